import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';
import type { DatasetFormat } from '../../../../shared/api/dataset-types';

/** How many (decompressed) bytes the dialect and encoding detection look at. */
export const HEAD_BYTES = 1 << 20;

export interface HeadSample {
  /** The first bytes of the file, decompressed when it is gzip. */
  bytes: Buffer;
  /** True when `bytes` holds the whole (decompressed) file. */
  complete: boolean;
  /** Size of the file on disk, in bytes. */
  fileBytes: number;
  compression: 'gzip' | 'zstd' | null;
  format: DatasetFormat;
}

const GZIP_MAGIC = [0x1f, 0x8b];
const ZSTD_MAGIC = [0x28, 0xb5, 0x2f, 0xfd];
const PARQUET_MAGIC = Buffer.from('PAR1');

function startsWith(buf: Buffer, magic: number[] | Buffer): boolean {
  if (buf.length < magic.length) return false;
  for (let i = 0; i < magic.length; i++) if (buf[i] !== magic[i]) return false;
  return true;
}

async function readRaw(file: string, max: number): Promise<Buffer> {
  const fh = await fs.promises.open(file, 'r');
  try {
    const buf = Buffer.alloc(max);
    const { bytesRead } = await fh.read(buf, 0, max, 0);
    return buf.subarray(0, bytesRead);
  } finally {
    await fh.close();
  }
}

/** Decompresses up to `max` bytes of a gzip file; `complete` when the stream ended first. */
async function readGzipHead(file: string, max: number): Promise<{ bytes: Buffer; complete: boolean }> {
  const chunks: Buffer[] = [];
  let size = 0;
  const input = fs.createReadStream(file);
  const gunzip = zlib.createGunzip();
  return new Promise((resolve, reject) => {
    let done = false;
    const finish = (complete: boolean) => {
      if (done) return;
      done = true;
      input.destroy();
      gunzip.destroy();
      const all = Buffer.concat(chunks);
      resolve({ bytes: all.subarray(0, Math.min(max, all.length)), complete: complete && all.length <= max });
    };
    gunzip.on('data', (c: Buffer) => {
      chunks.push(c);
      size += c.length;
      if (size > max) finish(false);
    });
    gunzip.on('end', () => finish(true));
    gunzip.on('error', (err) => {
      if (done) return;
      // A truncated gzip still gives its first bytes; anything else is not gzip after all.
      if (size > 0) finish(false);
      else {
        done = true;
        input.destroy();
        reject(err);
      }
    });
    input.on('error', (err) => {
      if (!done) {
        done = true;
        reject(err);
      }
    });
    input.pipe(gunzip);
  });
}

/** JSON Lines when the first non-blank character is '{', a JSON array when it is '['. */
function sniffJson(bytes: Buffer, ext: string): DatasetFormat | null {
  let i = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf ? 3 : 0;
  while (i < bytes.length && (bytes[i] === 0x20 || bytes[i] === 0x0a || bytes[i] === 0x0d || bytes[i] === 0x09)) i++;
  if (bytes[i] === 0x7b) return ext === '.json' ? 'json' : 'jsonl';
  if (bytes[i] === 0x5b && (ext === '.json' || ext === '.jsonl' || ext === '.ndjson')) return 'json';
  return null;
}

/**
 * Reads the head of a data file and tells its format and compression from the bytes (magic
 * numbers first, the extension only as a hint): gzip `1f 8b`, zstd `28 b5 2f fd`, Parquet
 * `PAR1`, JSON by its first character, otherwise delimited text (csv, or tsv by extension —
 * the delimiter itself is detected later).
 * @param file absolute path of a regular file.
 * @param max bytes of (decompressed) head to keep; default {@link HEAD_BYTES} (1 MiB).
 * @throws Error from the file system (ENOENT, EACCES) or from zlib for a corrupt gzip header.
 */
export async function readHead(file: string, max = HEAD_BYTES): Promise<HeadSample> {
  const fileBytes = (await fs.promises.stat(file)).size;
  const raw = await readRaw(file, max);
  let name = path.basename(file).toLowerCase();
  let compression: HeadSample['compression'] = null;
  let bytes = raw;
  let complete = raw.length >= fileBytes;
  if (startsWith(raw, GZIP_MAGIC)) {
    compression = 'gzip';
    ({ bytes, complete } = await readGzipHead(file, max));
    name = name.replace(/\.gz$/, '');
  } else if (startsWith(raw, ZSTD_MAGIC)) {
    // Node 20 has no zstd decoder: DuckDB reads it; the head stays unknown.
    compression = 'zstd';
    bytes = Buffer.alloc(0);
    complete = false;
    name = name.replace(/\.zst$/, '');
  }
  const ext = path.extname(name);
  let format: DatasetFormat;
  if (compression === null && startsWith(raw, PARQUET_MAGIC)) format = 'parquet';
  else format = sniffJson(bytes, ext) ?? (ext === '.tsv' || ext === '.tab' ? 'tsv' : 'csv');
  return { bytes, complete, fileBytes, compression, format };
}
