import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { LatheError } from '../../../shared/errors';
import { artifactUriToRelPath, isInside, joinArtifactPath, splitArtifactPath } from './artifact-paths';

/** One entry of a listing. `path` is relative to the listed folder (MLflow's FileInfo). */
export interface ArtifactFileInfo {
  path: string;
  isDir: boolean;
  /** Bytes; files only. */
  fileSize?: number;
}

/** An open artifact file, ready to stream. */
export interface ArtifactReadHandle {
  /** Bytes, taken from the open file (what the stream will deliver). */
  size: number;
  /** The file's base name, e.g. for Content-Disposition. */
  fileName: string;
  /** Last modification, ms since epoch. */
  mtimeMs: number;
  stream: Readable;
}

/** Where a run's artifact URI comes from (the tracking service). */
export interface RunArtifactLookup {
  getRunInfo(runId: string): { artifactUri: string };
}

/** Prefix of in-progress upload files; they are never listed. */
const TEMP_PREFIX = '.lathe-upload-';

function errno(err: unknown): string | undefined {
  return (err as NodeJS.ErrnoException | undefined)?.code;
}

/**
 * Artifact files under one root folder (`<home>/artifacts`), laid out as MLflow's proxied
 * artifact store: `<experiment_id>/<run_id>/artifacts/<path>` for runs (matching a run's
 * `artifact_uri` `mlflow-artifacts:/<experiment_id>/<run_id>/artifacts`) and
 * `<experiment_id>/models/<model_id>/artifacts/<path>` for logged models.
 *
 * Every path is checked before use: no `..`, `.`, empty or absolute segments
 * ({@link splitArtifactPath}), and the real path (symlinks followed) of what is read or of
 * the deepest existing folder written into must stay inside the real root. Writes go to a
 * temp file in the target folder, fsynced, then renamed into place, so a reader never sees a
 * half-written file and a failed upload leaves nothing behind.
 *
 * Used by the MLflow artifact routes (root-relative `*Path` methods) and the typed API for the
 * UI (run-relative `list` / `openRead` / `write`).
 */
export class ArtifactStore {
  private realRoot: string | undefined;

  constructor(
    readonly root: string,
    private readonly runs: RunArtifactLookup,
  ) {}

  // ------------------------------------------------------------ run-relative

  /**
   * A run's artifact folder relative to the root, e.g. `3/<run_id>/artifacts`.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  runPrefix(runId: string): string {
    return artifactUriToRelPath(this.runs.getRunInfo(runId).artifactUri);
  }

  /**
   * Lists a folder of a run's artifacts (the run's artifact root when `relPath` is empty),
   * sorted by name. A missing folder, or a file, lists as `[]` (as MLflow does).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), INVALID_PARAMETER_VALUE (bad path).
   */
  async list(runId: string, relPath = ''): Promise<ArtifactFileInfo[]> {
    splitArtifactPath(relPath);
    return this.listPath(joinArtifactPath(this.runPrefix(runId), relPath));
  }

  /**
   * Opens one of a run's artifact files for streaming.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run or no such file),
   *   INVALID_PARAMETER_VALUE (bad path, or the path leaves the root).
   */
  async openRead(runId: string, relPath: string): Promise<ArtifactReadHandle> {
    if (splitArtifactPath(relPath).length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', 'An artifact file path is required', { field: 'path' });
    return this.openReadPath(joinArtifactPath(this.runPrefix(runId), relPath));
  }

  /**
   * Writes one of a run's artifact files atomically (see {@link writePath}).
   * @returns bytes written.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), INVALID_PARAMETER_VALUE (bad path).
   */
  async write(runId: string, relPath: string, source: Readable | Buffer | string, opts: { expectedSize?: number } = {}): Promise<number> {
    if (splitArtifactPath(relPath).length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', 'An artifact file path is required', { field: 'path' });
    return this.writePath(joinArtifactPath(this.runPrefix(runId), relPath), source, opts);
  }

  // ------------------------------------------------------------ root-relative

  /**
   * Lists a folder given relative to the artifact root. Missing folders and files list as `[]`.
   * Entries that are symlinks leading outside the root, and unfinished uploads, are left out.
   * @throws LatheError INVALID_PARAMETER_VALUE for a bad path or one that leaves the root.
   */
  async listPath(rootRel: string): Promise<ArtifactFileInfo[]> {
    const segments = splitArtifactPath(rootRel);
    const root = await this.resolvedRoot();
    let dir: string;
    try {
      dir = await fsp.realpath(path.join(root, ...segments));
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return [];
      throw err;
    }
    this.assertInside(root, dir, rootRel);
    let entries: fs.Dirent[];
    try {
      entries = await fsp.readdir(dir, { withFileTypes: true });
    } catch (err) {
      if (errno(err) === 'ENOTDIR' || errno(err) === 'ENOENT') return [];
      throw err;
    }
    const out: ArtifactFileInfo[] = [];
    for (const e of entries) {
      if (e.name.startsWith(TEMP_PREFIX)) continue;
      const full = path.join(dir, e.name);
      let st: fs.Stats;
      try {
        if (e.isSymbolicLink() && !isInside(root, await fsp.realpath(full))) continue;
        st = await fsp.stat(full);
      } catch {
        continue; // dangling link or removed meanwhile
      }
      if (st.isDirectory()) out.push({ path: e.name, isDir: true });
      else if (st.isFile()) out.push({ path: e.name, isDir: false, fileSize: st.size });
    }
    return out.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  /**
   * Opens a file given relative to the artifact root.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST when there is no such file (or it is a folder);
   *   INVALID_PARAMETER_VALUE for a bad path or one that resolves outside the root.
   */
  async openReadPath(rootRel: string): Promise<ArtifactReadHandle> {
    const segments = splitArtifactPath(rootRel);
    const root = await this.resolvedRoot();
    const missing = () => new LatheError('RESOURCE_DOES_NOT_EXIST', `No artifact file at '${rootRel}'`, { path: rootRel });
    if (segments.length === 0) throw missing();
    let real: string;
    try {
      real = await fsp.realpath(path.join(root, ...segments));
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') throw missing();
      throw err;
    }
    this.assertInside(root, real, rootRel);
    let handle: fsp.FileHandle;
    try {
      handle = await fsp.open(real, 'r');
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'EISDIR') throw missing();
      throw err;
    }
    const st = await handle.stat();
    if (!st.isFile()) {
      await handle.close();
      throw missing();
    }
    if (st.size === 0) {
      await handle.close();
      return { size: 0, fileName: segments[segments.length - 1]!, mtimeMs: st.mtimeMs, stream: Readable.from([]) };
    }
    // The stream owns the handle and closes it when done or destroyed. `end` pins the length
    // to what was stat'ed, so Content-Length stays true if the file is replaced meanwhile.
    const stream = handle.createReadStream({ start: 0, end: st.size - 1 });
    return { size: st.size, fileName: segments[segments.length - 1]!, mtimeMs: st.mtimeMs, stream };
  }

  /**
   * Writes a file given relative to the artifact root: streams `source` into a temp file in
   * the target folder (created as needed), fsyncs it and renames it over the target. On any
   * error the temp file is removed and nothing else changes.
   * @param opts.expectedSize when given (an HTTP Content-Length), a body of another length is
   *   refused and nothing is stored.
   * @returns bytes written.
   * @throws LatheError INVALID_PARAMETER_VALUE for a bad path, one that leaves the root (also
   *   through a symlinked folder), or a target that is a folder or lies under a file.
   */
  async writePath(rootRel: string, source: Readable | Buffer | string, opts: { expectedSize?: number } = {}): Promise<number> {
    const segments = splitArtifactPath(rootRel);
    if (segments.length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', 'An artifact file path is required', { field: 'path' });
    if (segments.some((s) => s.startsWith(TEMP_PREFIX))) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid path '${rootRel}': names starting with ${TEMP_PREFIX} are reserved`, { field: 'path' });
    }
    const root = await this.resolvedRoot();
    const dir = await this.ensureDir(root, segments.slice(0, -1), rootRel);
    const target = path.join(dir, segments[segments.length - 1]!);
    const tmp = path.join(dir, `${TEMP_PREFIX}${randomBytes(8).toString('hex')}`);
    let written = 0;
    try {
      const out = fs.createWriteStream(tmp, { flags: 'wx', mode: 0o644 });
      const input = typeof source === 'string' || Buffer.isBuffer(source) ? Readable.from([Buffer.from(source)]) : source;
      await pipeline(input, out);
      written = out.bytesWritten;
      if (opts.expectedSize !== undefined && written !== opts.expectedSize) {
        throw new LatheError('INVALID_PARAMETER_VALUE', `Upload of '${rootRel}' ended after ${written} of ${opts.expectedSize} bytes`, { field: 'body' });
      }
      const fh = await fsp.open(tmp, 'r+');
      try {
        await fh.sync();
      } finally {
        await fh.close();
      }
      await fsp.rename(tmp, target);
      await fsyncDir(dir);
    } catch (err) {
      await fsp.rm(tmp, { force: true }).catch(() => undefined);
      if (errno(err) === 'EISDIR' || errno(err) === 'ENOTEMPTY' || errno(err) === 'EEXIST') {
        throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid path '${rootRel}': a folder exists there`, { field: 'path' });
      }
      throw err;
    }
    return written;
  }

  /**
   * Deletes a file or a folder (with everything in it) given relative to the artifact root
   * (MLflow's `DELETE /mlflow-artifacts/artifacts/<path>`). The folder holding it must resolve
   * inside the root; a symlink is removed itself, never what it points to. Nothing there is
   * not an error (a retried DELETE succeeds).
   * @returns whether something was removed.
   * @throws LatheError INVALID_PARAMETER_VALUE for a bad or empty path, or one that leaves the root.
   */
  async deletePath(rootRel: string): Promise<boolean> {
    const segments = splitArtifactPath(rootRel);
    if (segments.length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', 'An artifact path is required; the artifact root cannot be deleted', { field: 'path' });
    const root = await this.resolvedRoot();
    let parent: string;
    try {
      parent = await fsp.realpath(path.join(root, ...segments.slice(0, -1)));
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return false;
      throw err;
    }
    this.assertInside(root, parent, rootRel);
    const target = path.join(parent, segments[segments.length - 1]!);
    let st: fs.Stats;
    try {
      st = await fsp.lstat(target);
    } catch (err) {
      if (errno(err) === 'ENOENT' || errno(err) === 'ENOTDIR') return false;
      throw err;
    }
    // rm does not follow symlinks, neither the target itself nor links inside a folder.
    await fsp.rm(target, { recursive: st.isDirectory(), force: true });
    return true;
  }

  // ------------------------------------------------------------ internals

  private async resolvedRoot(): Promise<string> {
    if (!this.realRoot) {
      await fsp.mkdir(this.root, { recursive: true });
      this.realRoot = await fsp.realpath(this.root);
    }
    return this.realRoot;
  }

  private assertInside(root: string, real: string, rootRel: string): void {
    if (!isInside(root, real)) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid path '${rootRel}': it resolves outside the artifact root`, { field: 'path' });
    }
  }

  /**
   * Makes sure the folder `segments` exists under the root without ever creating anything
   * outside it: the deepest existing ancestor is resolved (symlinks followed) and checked
   * first, and only then are the missing folders created below it.
   */
  private async ensureDir(root: string, segments: string[], rootRel: string): Promise<string> {
    let existing = segments.length;
    let real: string | undefined;
    while (real === undefined) {
      try {
        real = await fsp.realpath(path.join(root, ...segments.slice(0, existing)));
      } catch (err) {
        if (errno(err) !== 'ENOENT' || existing === 0) throw err;
        existing--;
      }
    }
    this.assertInside(root, real, rootRel);
    const st = await fsp.stat(real);
    if (!st.isDirectory()) throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid path '${rootRel}': a parent is a file`, { field: 'path' });
    let dir = real;
    for (const s of segments.slice(existing)) {
      dir = path.join(dir, s);
      try {
        await fsp.mkdir(dir);
      } catch (err) {
        if (errno(err) !== 'EEXIST') throw err;
        // Created concurrently: it must be a real folder, not a link someone slipped in.
        const again = await fsp.lstat(dir);
        if (!again.isDirectory()) throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid path '${rootRel}': a parent is not a folder`, { field: 'path' });
      }
    }
    return dir;
  }
}

/** Makes a rename durable across power loss (best effort: not every platform can fsync a folder). */
async function fsyncDir(dir: string): Promise<void> {
  let fh: fsp.FileHandle | undefined;
  try {
    fh = await fsp.open(dir, 'r');
    await fh.sync();
  } catch {
    // Windows cannot open folders this way; the file itself was synced.
  } finally {
    await fh?.close().catch(() => undefined);
  }
}
