import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatasetProfile, ValidationReport } from '../../src/shared/api/dataset-types';
import { tempHome } from '../helpers/temp-home';
import { LATHE_BIN } from '../helpers/serve-process';
import { FIXTURES, diffProfile, loadExpected } from './fixture-compare';

const exec = promisify(execFile);
let home: string;
let cleanup: () => void;

async function lathe(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await exec(process.execPath, [LATHE_BIN, '--home', home, ...args], { maxBuffer: 64 << 20 });
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

beforeAll(() => {
  const t = tempHome();
  home = t.home;
  cleanup = t.cleanup;
});
afterAll(() => cleanup());

describe('lathe datasets', () => {
  it('add, ls, versions', async () => {
    const add = await lathe('datasets', 'add', path.join(FIXTURES, '05-semicolon-decimal-comma.csv'), '--name', 'prices', '--import');
    expect(add.code, add.stderr).toBe(0);
    expect(add.stdout).toMatch(/^registered prices@[0-9a-f]{12} \(import, 1 file, 94 B\)/);
    const again = await lathe('datasets', 'add', path.join(FIXTURES, '05-semicolon-decimal-comma.csv'), '--name', 'prices', '--json');
    expect(JSON.parse(again.stdout)).toMatchObject({ created: false, version: { fileCount: 1 } });
    const ls = JSON.parse((await lathe('datasets', 'ls', '--json')).stdout) as Array<{ name: string; versionCount: number }>;
    expect(ls.map((d) => [d.name, d.versionCount])).toEqual([['prices', 1]]);
    const versions = await lathe('datasets', 'versions', 'prices');
    expect(versions.stdout).toContain('import');
  });

  it('inspect --json prints the profile with the fixtures\' field names, by name or by path', async () => {
    const exp = loadExpected(path.join(FIXTURES, '05-semicolon-decimal-comma.expected.json'));
    for (const target of ['prices', path.join(FIXTURES, '05-semicolon-decimal-comma.csv')]) {
      const res = await lathe('datasets', 'inspect', target, '--json');
      expect(res.code, res.stderr).toBe(0);
      const p = JSON.parse(res.stdout) as DatasetProfile;
      expect(p).toMatchObject({ rows: 5, encoding: 'UTF-8', delimiter: ';' });
      expect(diffProfile(exp, p)).toEqual([]);
      expect(p.findings.find((f) => f.kind === 'decimal_comma')).toMatchObject({ kind: 'decimal_comma', line: 4, column: 'price' });
    }
    const text = await lathe('datasets', 'inspect', 'prices');
    expect(text.stdout).toMatch(/5 rows × 4 columns/);
    expect(text.stdout).toContain('decimal comma');
  });

  it('writes NaN and Infinity as strings in --json', async () => {
    const res = await lathe('datasets', 'inspect', path.join(FIXTURES, '16-nan-infinity-literals.jsonl'), '--json');
    const p = JSON.parse(res.stdout) as DatasetProfile;
    expect(p.columns[1]!.top5).toContainEqual(['Infinity', 1]);
  });

  it('validate stores --rules and exits 1 when a rule fails', async () => {
    const rules = path.join(home, 'rules.json');
    fs.writeFileSync(rules, JSON.stringify([{ kind: 'range', column: 'price', min: 0 }, { kind: 'not_null', column: 'weight_kg' }]));
    const res = await lathe('datasets', 'validate', 'prices', '--rules', rules, '--json');
    expect(res.code).toBe(1);
    const report = JSON.parse(res.stdout) as ValidationReport;
    expect(report.results.map((r) => [r.passed, r.failing])).toEqual([[false, 1], [false, 1]]);
    expect(report.results[0]!.examples).toEqual([{ row: 5, line: 6, value: '-7.25' }]);
    expect(JSON.parse((await lathe('datasets', 'rules', 'prices')).stdout)).toHaveLength(2);
    const human = await lathe('datasets', 'validate', 'prices');
    expect(human.stdout).toMatch(/^FAILED/);
    fs.writeFileSync(rules, '[{"kind": "range", "column": "price"}]');
    const bad = await lathe('datasets', 'validate', 'prices', '--rules', rules);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/needs min or max/);
  });

  it('refuses a missing dataset with status 2', async () => {
    const res = await lathe('datasets', 'inspect', 'nope');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/No dataset or file named 'nope'/);
  });
});
