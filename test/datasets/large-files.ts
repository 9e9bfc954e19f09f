import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const FIXTURES = fileURLToPath(new URL('../fixtures/datasets/large', import.meta.url));

/** SHA-256 of a file, streamed. */
export async function sha256File(file: string): Promise<string> {
  const h = createHash('sha256');
  for await (const chunk of fs.createReadStream(file)) h.update(chunk as Buffer);
  return h.digest('hex');
}

/**
 * The generated large fixtures (synthetic_1m.csv, wide_500x20000.csv) in `dir`, written by
 * the fixtures' generator (python3, standard library only) when missing, and checked against
 * the SHA-256 in their expected JSON.
 * @throws Error when python3 is missing or a file's digest differs from the reference.
 */
export async function ensureLargeFiles(dir: string): Promise<{ synthetic: string; wide: string }> {
  const synthetic = path.join(dir, 'synthetic_1m.csv');
  const wide = path.join(dir, 'wide_500x20000.csv');
  if (!fs.existsSync(synthetic) || !fs.existsSync(wide)) {
    fs.mkdirSync(dir, { recursive: true });
    const res = spawnSync('python3', [path.join(FIXTURES, 'gen_large.py'), dir], { encoding: 'utf8' });
    if (res.status !== 0) throw new Error(`gen_large.py failed: ${res.error?.message ?? res.stderr}`);
  }
  for (const [file, name] of [[synthetic, 'synthetic_1m'], [wide, 'wide_500x20000']] as const) {
    const expected = (JSON.parse(fs.readFileSync(path.join(FIXTURES, `${name}.expected.json`), 'utf8')) as { file_info: { sha256: string } }).file_info.sha256;
    const actual = await sha256File(file);
    if (actual !== expected) throw new Error(`${file}: SHA-256 ${actual} differs from the reference ${expected}; regenerate it`);
  }
  return { synthetic, wide };
}
