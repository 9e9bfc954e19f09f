import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { DatasetProfile } from '../../../../shared/api/dataset-types';
import { DuckSession, lit } from './duck';
import { readHead } from './head-sample';
import { detectEncoding, transcodeToUtf8 } from './encoding';
import { ON_DISK_BYTES } from './profiler';

/**
 * A DuckDB session over a profiled file, for queries that need the typed data (validation,
 * preview): `relation` is the profile's reproducible SELECT (columns c1…cN), with the path of
 * a fresh UTF-8 copy when the file needed transcoding. Close it with `close()`.
 */
export interface ProfiledSource {
  duck: DuckSession;
  relation: string;
  close(): void;
}

/**
 * Opens the typed relation of a file as its profile reads it.
 * @param materialize also load it into table `t` (for queries that scan several times).
 * @throws Error from DuckDB or the file system; AbortError when `signal` aborts.
 */
export async function openProfiledSource(file: string, profile: DatasetProfile, tempDir: string, opts: { materialize?: boolean; signal?: AbortSignal } = {}): Promise<ProfiledSource> {
  const onDisk = Boolean(opts.materialize) && profile.file.bytes * (profile.compression ? 4 : 1) > ON_DISK_BYTES;
  const duck = await DuckSession.open({ tempDir, onDisk });
  const temps: string[] = [];
  const close = () => {
    duck.close();
    for (const t of temps) fs.rmSync(t, { force: true });
  };
  try {
    // The profile may come from the cache, made from another file with the same content.
    let relation = profile.read;
    const profiled = /read_(?:csv|json|parquet)\('((?:[^']|'')*)'/.exec(relation)?.[1]?.replace(/''/g, "'");
    if (profiled && !profile.transcoded) relation = relation.split(lit(profiled)).join(lit(file));
    if (profile.transcoded) {
      const head = await readHead(file);
      const tmp = path.join(tempDir, `transcoded-${randomBytes(6).toString('hex')}.csv`);
      temps.push(tmp);
      await transcodeToUtf8(file, tmp, detectEncoding(head.bytes, head.complete), head.compression === 'gzip', opts.signal);
      relation = relation.replace(/'[^']*transcoded-[0-9a-f]+\.csv'/g, lit(tmp));
    }
    if (opts.materialize) {
      const onAbort = () => duck.interrupt();
      opts.signal?.addEventListener('abort', onAbort);
      try {
        await duck.run(`CREATE TABLE t AS ${relation}`);
      } finally {
        opts.signal?.removeEventListener('abort', onAbort);
      }
      opts.signal?.throwIfAborted();
    }
    return { duck, relation, close };
  } catch (err) {
    close();
    throw err;
  }
}
