import fs from 'node:fs';
import path from 'node:path';
import { LatheError } from '../../../shared/errors';

export interface SnapshotListing {
  /** Files relative to the code folder, '/'-separated, sorted, with sizes in bytes. */
  files: Array<{ path: string; size: number }>;
  /** `git diff HEAD` recorded at launch; null when the folder was clean or not a git work tree. */
  gitDiff: string | null;
}

export interface SnapshotFile {
  path: string;
  size: number;
  /** UTF-8 text (first `maxBytes`), or null for a binary file. */
  text: string | null;
  truncated: boolean;
}

/**
 * Reads a run's code snapshot (`<home>/snapshots/<run_id>/files`) for the UI. Paths from
 * clients are resolved and must stay inside the snapshot (no `..`, no absolute paths, no
 * symlink escape).
 */
export class SnapshotReader {
  constructor(private readonly snapshotsDir: string) {}

  private root(runId: string): string {
    if (!/^[0-9a-f]{32}$/.test(runId)) throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid run id '${runId}'`, { field: 'runId' });
    return path.join(this.snapshotsDir, runId);
  }

  /** The files of a run's snapshot and its git diff; empty when the run has no snapshot. */
  list(runId: string): SnapshotListing {
    const root = this.root(runId);
    const filesDir = path.join(root, 'files');
    const files: SnapshotListing['files'] = [];
    const walk = (rel: string) => {
      for (const e of fs.readdirSync(path.join(filesDir, rel), { withFileTypes: true })) {
        const child = rel ? `${rel}/${e.name}` : e.name;
        if (e.isDirectory()) walk(child);
        else if (e.isFile()) files.push({ path: child, size: fs.statSync(path.join(filesDir, child)).size });
      }
    };
    if (fs.existsSync(filesDir)) walk('');
    files.sort((a, b) => a.path.localeCompare(b.path));
    const diffFile = path.join(root, 'git.diff');
    return { files, gitDiff: fs.existsSync(diffFile) ? fs.readFileSync(diffFile, 'utf8') : null };
  }

  /**
   * One file of the snapshot, as text when it is (no NUL byte in the first 8 KiB).
   * @param maxBytes cap on the bytes returned (default 2 MiB).
   * @throws LatheError INVALID_PARAMETER_VALUE for a path leaving the snapshot;
   *   RESOURCE_DOES_NOT_EXIST when there is no such file.
   */
  read(runId: string, relPath: string, maxBytes = 2 * 1024 * 1024): SnapshotFile {
    const filesDir = path.join(this.root(runId), 'files');
    const parts = relPath.split('/');
    if (!relPath || path.isAbsolute(relPath) || parts.some((p) => p === '..' || p === '.' || p === '')) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid snapshot path '${relPath}'`, { field: 'path' });
    }
    const abs = path.join(filesDir, ...parts);
    let real: string;
    try {
      real = fs.realpathSync(abs);
    } catch {
      throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No file '${relPath}' in the code snapshot of run ${runId}`, { path: relPath });
    }
    if (!real.startsWith(fs.realpathSync(filesDir) + path.sep) || !fs.statSync(real).isFile()) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid snapshot path '${relPath}'`, { field: 'path' });
    }
    const size = fs.statSync(real).size;
    const fd = fs.openSync(real, 'r');
    try {
      const buf = Buffer.alloc(Math.min(size, maxBytes));
      fs.readSync(fd, buf, 0, buf.length, 0);
      const binary = buf.subarray(0, 8192).includes(0);
      return { path: relPath, size, text: binary ? null : buf.toString('utf8'), truncated: size > maxBytes };
    } finally {
      fs.closeSync(fd);
    }
  }
}
