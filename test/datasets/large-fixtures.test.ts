import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { profileFile } from '../../src/main/core/datasets/inspect/profiler';
import { FIXTURES, diffProfile, loadExpected } from './fixture-compare';
import { ensureLargeFiles } from './large-files';

// Generated at test time by the fixtures' gen_large.py (stdlib python3), checked by SHA-256,
// kept in the temp folder between runs; never committed.
const DIR = process.env.LATHE_LARGE_FIXTURES ?? path.join(os.tmpdir(), 'lathe-datasets-large');
const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-ds-large-'));
let files: { synthetic: string; wide: string };

beforeAll(async () => {
  files = await ensureLargeFiles(DIR);
}, 240_000);
afterAll(() => fs.rmSync(tempDir, { recursive: true, force: true }));

describe('the generated large fixtures match their expected JSON', () => {
  it('synthetic_1m.csv: 1,000,000 rows × 10 columns, exact figures', async () => {
    const exp = loadExpected(path.join(FIXTURES, 'large', 'synthetic_1m.expected.json'));
    const p = await profileFile(files.synthetic, { tempDir });
    expect(diffProfile(exp, p)).toEqual([]);
    expect(p.findings.filter((f) => f.severity !== 'info')).toEqual([]);
  }, 240_000);

  it('wide_500x20000.csv: 500 columns × 20,000 rows', async () => {
    const exp = loadExpected(path.join(FIXTURES, 'large', 'wide_500x20000.expected.json'));
    const p = await profileFile(files.wide, { tempDir });
    expect(diffProfile(exp, p)).toEqual([]);
  }, 240_000);
});
