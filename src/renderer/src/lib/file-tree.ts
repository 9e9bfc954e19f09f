export interface TreeRow {
  /** Folder rows carry the folder's path; file rows the file's. */
  path: string;
  name: string;
  depth: number;
  isDir: boolean;
  size?: number;
}

/**
 * Sorted '/'-separated file paths as the rows of an indented tree: each folder once, before
 * its contents; within a folder, subfolders before files (as editors show them).
 */
export function treeRows(files: ReadonlyArray<{ path: string; size: number }>): TreeRow[] {
  interface Node {
    dirs: Map<string, Node>;
    files: Array<{ name: string; path: string; size: number }>;
  }
  const root: Node = { dirs: new Map(), files: [] };
  for (const f of files) {
    const parts = f.path.split('/');
    let node = root;
    for (const dir of parts.slice(0, -1)) {
      let next = node.dirs.get(dir);
      if (!next) node.dirs.set(dir, (next = { dirs: new Map(), files: [] }));
      node = next;
    }
    node.files.push({ name: parts[parts.length - 1]!, path: f.path, size: f.size });
  }
  const rows: TreeRow[] = [];
  const walk = (node: Node, prefix: string, depth: number) => {
    for (const name of [...node.dirs.keys()].sort((a, b) => a.localeCompare(b))) {
      const path = prefix ? `${prefix}/${name}` : name;
      rows.push({ path, name, depth, isDir: true });
      walk(node.dirs.get(name)!, path, depth + 1);
    }
    for (const f of [...node.files].sort((a, b) => a.name.localeCompare(b.name))) rows.push({ path: f.path, name: f.name, depth, isDir: false, size: f.size });
  };
  walk(root, '', 0);
  return rows;
}

/** The file a run most likely centres on: the first command argument that is a snapshot file. */
export function entryFile(files: ReadonlyArray<{ path: string }>, command: readonly string[] | undefined): string | null {
  const paths = new Set(files.map((f) => f.path));
  for (const arg of command ?? []) {
    const clean = arg.replace(/^\.\//, '');
    if (paths.has(clean)) return clean;
  }
  const preferred = files.find((f) => /(^|\/)(train|main)\.py$/.test(f.path)) ?? files.find((f) => f.path.endsWith('.py')) ?? files.find((f) => /^readme/i.test(f.path));
  return preferred?.path ?? files[0]?.path ?? null;
}
