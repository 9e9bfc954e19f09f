import { createHash, randomBytes } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import { Transform } from 'node:stream';
import type { DatasetFileEntry } from '../../../shared/api/dataset-types';
import { progressReporter, type ProgressOptions, type SourceFile } from './version-files';

/**
 * Lathe's content-addressed store for imported datasets, under `<home>/datasets`:
 * - `objects/ab/cdef…` one read-only file per distinct content (named by its SHA-256), so
 *   identical files are stored once whatever their name, dataset or version;
 * - `versions/<digest>/…` the version's folder tree, hard links to the objects (no extra
 *   space), which is what runs mount read-only;
 * - `tmp/` partial copies, renamed into place only once complete (a crash never leaves a
 *   half-written object).
 */
export class ContentStore {
  readonly objects: string;
  readonly versions: string;
  readonly tmp: string;

  constructor(readonly root: string) {
    this.objects = path.join(root, 'objects');
    this.versions = path.join(root, 'versions');
    this.tmp = path.join(root, 'tmp');
  }

  /** Path of the object holding content `sha256` (it may not exist). */
  objectPath(sha256: string): string {
    return path.join(this.objects, sha256.slice(0, 2), sha256.slice(2));
  }

  has(sha256: string): boolean {
    return fs.existsSync(this.objectPath(sha256));
  }

  /** Number of stored objects (tests, diagnostics). */
  objectCount(): number {
    if (!fs.existsSync(this.objects)) return 0;
    return fs.readdirSync(this.objects).reduce((n, d) => n + fs.readdirSync(path.join(this.objects, d)).length, 0);
  }

  /**
   * Copies files into the store, hashing while copying (one read of each source), and keeps
   * one object per content: a file whose object exists is not stored again.
   * @returns manifest entries in the order given.
   * @throws Error from the file system; AbortError when cancelled (partial copies removed).
   */
  async importFiles(files: SourceFile[], opts: ProgressOptions = {}): Promise<DatasetFileEntry[]> {
    fs.mkdirSync(this.tmp, { recursive: true });
    const total = files.reduce((s, f) => s + f.size, 0);
    const progress = progressReporter('copy', total, opts);
    const out: DatasetFileEntry[] = [];
    for (const f of files) {
      opts.signal?.throwIfAborted();
      const tmp = path.join(this.tmp, `${process.pid}-${randomBytes(8).toString('hex')}`);
      const hash = createHash('sha256');
      const tap = new Transform({
        transform(chunk: Buffer, _enc, cb) {
          hash.update(chunk);
          progress.add(chunk.length, f.rel);
          cb(null, chunk);
        },
      });
      try {
        await pipeline(fs.createReadStream(f.abs, { highWaterMark: 1 << 20 }), tap, fs.createWriteStream(tmp, { mode: 0o444 }), { signal: opts.signal });
        const sha256 = hash.digest('hex');
        const dest = this.objectPath(sha256);
        if (fs.existsSync(dest)) fs.rmSync(tmp, { force: true });
        else {
          fs.mkdirSync(path.dirname(dest), { recursive: true });
          fs.renameSync(tmp, dest);
        }
        out.push({ path: f.rel, size: f.size, sha256 });
      } catch (err) {
        fs.rmSync(tmp, { force: true });
        throw err;
      }
    }
    opts.onProgress?.({ phase: 'copy', bytesDone: total, bytesTotal: total });
    return out;
  }

  /**
   * The folder tree of an imported version (`versions/<digest>/<relative paths>`), built from
   * hard links to the objects on first use (copies where the file system refuses links).
   * @throws Error when an object is missing from the store.
   */
  versionDir(digest: string, entries: DatasetFileEntry[]): string {
    const dir = path.join(this.versions, digest);
    if (fs.existsSync(dir)) return dir;
    fs.mkdirSync(this.tmp, { recursive: true });
    const building = path.join(this.tmp, `version-${digest}-${randomBytes(4).toString('hex')}`);
    for (const e of entries) {
      const target = path.join(building, ...e.path.split('/'));
      fs.mkdirSync(path.dirname(target), { recursive: true });
      const object = this.objectPath(e.sha256);
      try {
        fs.linkSync(object, target);
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code === 'ENOENT') throw err;
        fs.copyFileSync(object, target);
      }
    }
    fs.mkdirSync(this.versions, { recursive: true });
    try {
      fs.renameSync(building, dir);
    } catch {
      // Another process built it meanwhile.
      fs.rmSync(building, { recursive: true, force: true });
    }
    return dir;
  }
}
