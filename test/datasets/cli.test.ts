import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, onTestFinished } from 'vitest';
import type { DatasetProfile, ValidationReport } from '../../src/shared/api/dataset-types';
import { createCore } from '../../src/main/core/create-core';
import { tempHome } from '../helpers/temp-home';
import { LATHE_BIN } from '../helpers/serve-process';
import { latheCli, runProcess } from '../helpers/cli';
import { FIXTURES, diffProfile, loadExpected } from './fixture-compare';

let home: string;
let cleanup: () => void;
const lathe = (...args: string[]) => latheCli(home, args);

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

  it('rm: asks on a terminal, needs --yes otherwise, refuses versions runs used, keeps tracked files', async () => {
    // Outside the home: Lathe refuses data inside its own data directory.
    const data = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-rm-data-'));
    onTestFinished(() => fs.rmSync(data, { recursive: true, force: true }));
    const file = path.join(data, 'rows.csv');
    fs.writeFileSync(file, 'a,b\n1,2\n');
    expect((await lathe('datasets', 'add', file, '--name', 'stored', '--import')).code).toBe(0);
    fs.writeFileSync(file, 'a,b\n1,2\n3,4\n');
    const v2 = JSON.parse((await lathe('datasets', 'add', file, '--name', 'stored', '--import', '--json')).stdout).version.digest as string;
    const v1 = (JSON.parse((await lathe('datasets', 'versions', 'stored', '--json')).stdout) as Array<{ digest: string }>)[1]!.digest;
    expect((await lathe('datasets', 'add', file, '--name', 'tracked')).code).toBe(0);

    // stdin is not a terminal here: --yes is required, and nothing goes without it.
    const noYes = await lathe('datasets', 'rm', `stored@${v1.slice(0, 8)}`);
    expect(noYes).toMatchObject({ code: 2, stdout: '' });
    expect(noYes.stderr).toBe('lathe: permanent deletion needs confirmation: pass --yes when stdin is not a terminal (INVALID_PARAMETER_VALUE)\n');
    // On a terminal (script(1) gives one) it asks, says what goes, and "n" keeps everything.
    const tty = await runProcess('script', ['-qec', `${process.execPath} ${LATHE_BIN} --home ${home} datasets rm stored@${v1.slice(0, 8)}`, '/dev/null'], { input: 'n\n' });
    expect(tty.code).toBe(1);
    expect(tty.stdout).toContain(`Delete stored@${v1.slice(0, 12)}?`);
    expect(tty.stdout).toContain("removes 1 file (8 B) from Lathe's store");
    expect(tty.stdout).toContain('lathe: nothing deleted');
    expect(JSON.parse((await lathe('datasets', 'versions', 'stored', '--json')).stdout)).toHaveLength(2);

    const rm = await lathe('datasets', 'rm', `stored@${v1.slice(0, 8)}`, '--yes');
    expect(rm.code, rm.stderr).toBe(0);
    expect(rm.stdout).toBe(`Deleted stored@${v1.slice(0, 12)}; freed 8 B\n  ${v1.slice(0, 12)}  imported, 1 file, 8 B\n`);
    expect((JSON.parse((await lathe('datasets', 'versions', 'stored', '--json')).stdout) as Array<{ digest: string }>).map((v) => v.digest)).toEqual([v2]);

    // A run used v2: refused (409) before any question, naming the run; exit 2, nothing deleted.
    const core = createCore({ home });
    const exp = core.tracking.listExperiments()[0]!;
    const runId = core.tracking.createRun({ experimentId: exp.experimentId, name: 'trainer' }).runId;
    const { row } = core.datasets.resolve('stored');
    core.datasets.runs.record(runId, [{ name: 'stored', versionId: row.id, digest: row.digest }], 'process');
    core.dispose();
    const refused = await lathe('datasets', 'rm', 'stored');
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe(
      `lathe: Cannot delete dataset 'stored': 1 run used it as an input: trainer (${runId.slice(0, 8)}). Their lineage would point at nothing; delete those runs permanently first (lathe runs delete, then lathe runs purge). (RESOURCE_CONFLICT)\n`,
    );
    expect(JSON.parse((await lathe('datasets', 'versions', 'stored', '--json')).stdout)).toHaveLength(1);

    // A tracked dataset: the file stays on disk, byte for byte.
    const tracked = await lathe('datasets', 'rm', 'tracked', '-y');
    expect(tracked.code, tracked.stderr).toBe(0);
    expect(tracked.stdout).toMatch(/^Deleted dataset 'tracked' and its 1 version; freed 0 B\n  [0-9a-f]{12} {2}tracked, 1 file, 12 B\n/);
    expect(tracked.stdout).toContain(`the tracked data at ${file} stays on disk\n`);
    expect(fs.readFileSync(file, 'utf8')).toBe('a,b\n1,2\n3,4\n');
    expect((JSON.parse((await lathe('datasets', 'ls', '--json')).stdout) as Array<{ name: string }>).map((d) => d.name)).not.toContain('tracked');

    const unknown = await lathe('datasets', 'rm', 'nope', '-y');
    expect(unknown).toMatchObject({ code: 2, stderr: "lathe: No dataset named 'nope' (RESOURCE_DOES_NOT_EXIST)\n" });
    const badVersion = await lathe('datasets', 'rm', 'stored@zz', '-y');
    expect(badVersion.code).toBe(2);
  });

  it('refuses a missing dataset with status 2', async () => {
    const res = await lathe('datasets', 'inspect', 'nope');
    expect(res.code).toBe(2);
    expect(res.stderr).toMatch(/No dataset or file named 'nope'/);
  });
});
