import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import ignore from 'ignore';
import { LatheError } from '../../../shared/errors';

const exec = promisify(execFile);

export interface SnapshotResult {
  /** Folder holding the copied files. */
  dir: string;
  files: number;
  /** Total bytes copied. */
  bytes: number;
}

/** Cap on the number of files in a snapshot: a code folder has far fewer. */
export const MAX_SNAPSHOT_FILES = 50_000;

/** Default cap on a code snapshot: 100 MiB. Data belongs in datasets, not in the code folder. */
export const DEFAULT_SNAPSHOT_LIMIT_BYTES = 100 * 1024 * 1024;

/**
 * Files of `srcDir` that a snapshot keeps, relative, '/'-separated. In a git work tree this is
 * exactly what git would track (`git ls-files --cached --others --exclude-standard`: tracked
 * plus untracked-but-not-ignored); elsewhere a walk honouring `.gitignore` files. `.git` is
 * never included; a `.latheignore` in `srcDir` (gitignore syntax) excludes more.
 */
export async function listSnapshotFiles(srcDir: string): Promise<string[]> {
  let files: string[];
  try {
    const { stdout } = await exec('git', ['-C', srcDir, 'ls-files', '-z', '--cached', '--others', '--exclude-standard'], { maxBuffer: 256 * 1024 * 1024 });
    files = stdout.split('\0').filter(Boolean);
  } catch {
    files = await walk(srcDir, MAX_SNAPSHOT_FILES);
  }
  const extra = path.join(srcDir, '.latheignore');
  if (fs.existsSync(extra)) {
    const ig = ignore().add(fs.readFileSync(extra, 'utf8'));
    files = files.filter((f) => !ig.ignores(f));
  }
  return files.filter((f) => !f.split('/').includes('.git'));
}

/**
 * Walks a folder honouring `.gitignore` files at every level, asynchronously (a big folder
 * must not stall the server), skipping what cannot be read (e.g. /proc), and stopping once
 * more than `maxFiles` files were found.
 */
async function walk(root: string, maxFiles: number): Promise<string[]> {
  const out: string[] = [];
  const visit = async (rel: string, rules: ReturnType<typeof ignore>[]): Promise<void> => {
    const abs = path.join(root, rel);
    let here = rules;
    try {
      here = [...rules, ignore().add(await fsp.readFile(path.join(abs, '.gitignore'), 'utf8'))];
    } catch {
      // no .gitignore here
    }
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(abs, { withFileTypes: true });
    } catch {
      return; // unreadable folder: not part of the snapshot
    }
    for (const entry of entries) {
      if (out.length > maxFiles) return;
      if (entry.name === '.git') continue;
      const childRel = rel ? `${rel}/${entry.name}` : entry.name;
      const test = entry.isDirectory() ? `${childRel}/` : childRel;
      if (here.some((ig) => ig.ignores(test))) continue;
      if (entry.isDirectory()) await visit(childRel, here);
      else if (entry.isFile()) out.push(childRel);
    }
  };
  await visit('', []);
  return out;
}

/**
 * Copies the code folder into `destDir` (the run's snapshot), keeping only the files
 * {@link listSnapshotFiles} selects. Symlinks are not followed out of the folder.
 * @throws LatheError INVALID_PARAMETER_VALUE when `srcDir` is not a folder, or when the
 *   files add up to more than `limitBytes` (nothing is copied then; the message names the
 *   largest files and how to exclude them).
 */
export async function snapshotDirectory(srcDir: string, destDir: string, limitBytes = DEFAULT_SNAPSHOT_LIMIT_BYTES): Promise<SnapshotResult> {
  const src = path.resolve(srcDir);
  if (!fs.existsSync(src) || !fs.statSync(src).isDirectory()) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `Code folder ${src} does not exist or is not a folder`, { field: 'workdir' });
  }
  const files = await listSnapshotFiles(src);
  if (files.length > MAX_SNAPSHOT_FILES) {
    throw new LatheError(
      'INVALID_PARAMETER_VALUE',
      `The code folder ${src} has more than ${MAX_SNAPSHOT_FILES} files — is it the right folder? Point --dir at the folder holding your training code, and exclude data and outputs with .gitignore or .latheignore.`,
      { field: 'workdir' },
    );
  }
  const sized: Array<{ rel: string; size: number }> = [];
  let total = 0;
  for (const rel of files) {
    const st = await fsp.lstat(path.join(src, rel)).catch(() => null);
    if (!st || !st.isFile()) continue; // symlinks, unreadable and deleted-but-tracked files are skipped
    sized.push({ rel, size: st.size });
    total += st.size;
    if (total > limitBytes) break; // over the cap: no need to size the rest
  }
  if (total > limitBytes) {
    const biggest = [...sized].sort((a, b) => b.size - a.size).slice(0, 5).map((f) => `${f.rel} (${mib(f.size)})`).join(', ');
    throw new LatheError(
      'INVALID_PARAMETER_VALUE',
      `The code snapshot of ${src} would be over the ${mib(limitBytes)} limit. Largest files: ${biggest}. Exclude data and outputs with .gitignore or .latheignore, register data as a dataset (lathe datasets add), or raise the limit (--snapshot-limit-mb).`,
      { field: 'workdir', limitBytes },
    );
  }
  fs.mkdirSync(destDir, { recursive: true });
  for (const f of sized) {
    const to = path.join(destDir, f.rel);
    fs.mkdirSync(path.dirname(to), { recursive: true });
    await fsp.copyFile(path.join(src, f.rel), to);
  }
  return { dir: destDir, files: sized.length, bytes: total };
}

function mib(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MiB`;
}
