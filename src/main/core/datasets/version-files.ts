import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { AddProgress, DatasetFileEntry } from '../../../shared/api/dataset-types';
import { LatheError } from '../../../shared/errors';

/** A file of a dataset on disk. */
export interface SourceFile {
  /** POSIX relative path inside the dataset (the base name for a single-file dataset). */
  rel: string;
  abs: string;
  size: number;
}

export interface ProgressOptions {
  /** Called at most every ~100 ms with bytes done so far. */
  onProgress?: (p: AddProgress) => void;
  signal?: AbortSignal;
}

/** First line of the manifest text whose SHA-256 is a version's digest (bump to change the scheme). */
export const MANIFEST_HEADER = 'lathe-dataset-manifest/1';

function byUtf8(a: string, b: string): number {
  return Buffer.compare(Buffer.from(a, 'utf8'), Buffer.from(b, 'utf8'));
}

/**
 * The files of a dataset: the file itself, or every regular file under a folder (recursive),
 * sorted by relative path in UTF-8 byte order so the manifest does not depend on the file
 * system's listing order.
 * @throws LatheError INVALID_PARAMETER_VALUE when the path is missing, is neither file nor
 *   folder, contains a symbolic link (it could point outside the dataset, and would not
 *   resolve inside a container) or has no file.
 */
export async function listSourceFiles(root: string): Promise<{ kind: 'file' | 'folder'; files: SourceFile[] }> {
  let st: fs.Stats;
  try {
    st = await fs.promises.lstat(root);
  } catch {
    throw new LatheError('INVALID_PARAMETER_VALUE', `No such file or folder: ${root}`, { field: 'path' });
  }
  if (st.isSymbolicLink()) st = await fs.promises.stat(root);
  if (st.isFile()) return { kind: 'file', files: [{ rel: path.basename(root), abs: root, size: st.size }] };
  if (!st.isDirectory()) throw new LatheError('INVALID_PARAMETER_VALUE', `${root} is neither a file nor a folder`, { field: 'path' });
  const files: SourceFile[] = [];
  const walk = async (dir: string, prefix: string) => {
    for (const e of await fs.promises.readdir(dir, { withFileTypes: true })) {
      const abs = path.join(dir, e.name);
      const rel = prefix ? `${prefix}/${e.name}` : e.name;
      if (e.isSymbolicLink()) throw new LatheError('INVALID_PARAMETER_VALUE', `${abs} is a symbolic link; datasets hold regular files only (copy the target in, or register it separately)`, { field: 'path' });
      if (e.isDirectory()) await walk(abs, rel);
      else if (e.isFile()) files.push({ rel, abs, size: (await fs.promises.stat(abs)).size });
    }
  };
  await walk(root, '');
  if (files.length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', `${root} holds no file`, { field: 'path' });
  files.sort((a, b) => byUtf8(a.rel, b.rel));
  return { kind: 'folder', files };
}

/**
 * A version's digest: SHA-256 (hex) of the manifest text — the header line, then one line
 * per file in path order: `<sha256 hex> <size> <relative path>\n`. A changed byte changes a
 * file's SHA-256, a renamed or moved file changes a path, so either gives a new version;
 * identical content always gives the same digest. (Raw bytes, no line-ending normalisation:
 * DVC's old dos2unix hashing made CRLF and LF files collide.)
 */
export function manifestDigest(entries: DatasetFileEntry[]): string {
  const h = createHash('sha256');
  h.update(`${MANIFEST_HEADER}\n`);
  for (const e of [...entries].sort((a, b) => byUtf8(a.path, b.path))) h.update(`${e.sha256} ${e.size} ${e.path}\n`);
  return h.digest('hex');
}

/** Throttled progress reporting over a known total. */
export function progressReporter(phase: AddProgress['phase'], total: number, opts: ProgressOptions) {
  let done = 0;
  let last = 0;
  return {
    add(bytes: number, file?: string) {
      done += bytes;
      const now = Date.now();
      if (opts.onProgress && (now - last > 100 || done === total)) {
        last = now;
        opts.onProgress({ phase, bytesDone: done, bytesTotal: total, file });
      }
    },
    get done() {
      return done;
    },
  };
}

/**
 * SHA-256 of one file, streamed (64 KiB reads, memory flat for any size).
 * @throws Error from the file system; AbortError when `signal` aborts.
 */
export async function hashFile(file: string, onBytes?: (n: number) => void, signal?: AbortSignal): Promise<string> {
  const h = createHash('sha256');
  const stream = fs.createReadStream(file, { highWaterMark: 1 << 20, signal });
  for await (const chunk of stream) {
    h.update(chunk as Buffer);
    onBytes?.((chunk as Buffer).length);
  }
  return h.digest('hex');
}

/**
 * SHA-256 of a file that must not change while it is read: size and modification time are
 * compared before and after, so a file being written is never recorded under a digest its
 * bytes do not have.
 * @throws LatheError RESOURCE_CONFLICT (409) when the file changed during hashing; AbortError when cancelled.
 */
export async function hashStable(file: string, onBytes?: (n: number) => void, signal?: AbortSignal): Promise<string> {
  const before = await fs.promises.stat(file, { bigint: true });
  const sha = await hashFile(file, onBytes, signal);
  const after = await fs.promises.stat(file, { bigint: true });
  if (before.size !== after.size || before.mtimeNs !== after.mtimeNs) {
    throw new LatheError('RESOURCE_CONFLICT', `${file} changed while it was being hashed; try again once it is written`, { file });
  }
  return sha;
}

/**
 * Hashes every file of a dataset in place, reporting progress ('hash' phase) and stopping on
 * `signal`.
 * @returns the manifest entries, in path order.
 * @throws Error from the file system; AbortError when cancelled.
 */
export async function hashSourceFiles(files: SourceFile[], opts: ProgressOptions = {}): Promise<DatasetFileEntry[]> {
  const total = files.reduce((s, f) => s + f.size, 0);
  const progress = progressReporter('hash', total, opts);
  const out: DatasetFileEntry[] = [];
  for (const f of files) {
    opts.signal?.throwIfAborted();
    const sha256 = await hashStable(f.abs, (n) => progress.add(n, f.rel), opts.signal);
    out.push({ path: f.rel, size: f.size, sha256 });
  }
  opts.onProgress?.({ phase: 'hash', bytesDone: total, bytesTotal: total });
  return out;
}
