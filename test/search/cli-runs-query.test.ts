import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { latheCli } from '../helpers/cli';
import { seedGrammarStore, type Seeded } from './seed';

/** `lathe runs ls --filter/--order-by`, `lathe runs compare`, `lathe runs export --metrics` (built bundle). */

let s: Seeded;
let home: string;

const lathe = (...args: string[]) => latheCli(home, args);

beforeAll(() => {
  s = seedGrammarStore();
  home = s.core.home;
  const curve = Array.from({ length: 3000 }, (_, i) => ({ key: 'curve', value: i === 5 ? 'NaN' : i === 6 ? 'Infinity' : i === 7 ? '-Infinity' : i / 3, step: i, timestamp: 10 + i }));
  for (let i = 0; i < curve.length; i += 1000) s.core.tracking.logBatch(s.ids['alpha-1']!, { metrics: curve.slice(i, i + 1000) });
  s.core.dispose(); // the CLI opens the store itself
});
afterAll(() => s?.close());

describe('lathe runs ls', { timeout: 120_000 }, () => {
  it('filters and orders with MLflow syntax, with extra columns', async () => {
    const json = JSON.parse((await lathe('runs', 'ls', '--experiment', 'grammar', '--filter', "params.lr = '0.1'", '--order-by', 'metrics.val_loss DESC', '--json')).stdout);
    expect(json.total).toBe(2);
    expect(json.runs.map((r: { info: { name: string } }) => r.info.name)).toEqual(['beta-1', 'alpha-1']);
    const table = await lathe('runs', 'ls', '--filter', 'metrics.val_loss < 1', '-o', 'metrics.val_loss', '--columns', 'metrics.val_loss,params.lr,tags.group');
    expect(table.code).toBe(0);
    const lines = table.stdout.split('\n').filter((l) => /alpha|other/.test(l));
    expect(lines.map((l) => /(alpha-\d|other)/.exec(l)![1])).toEqual(['other', 'alpha-1', 'alpha-2']);
    expect(lines[0]).toMatch(/0\.2\s.*0\.1\s.*a/);
    const deleted = JSON.parse((await lathe('runs', 'ls', '--view', 'deleted', '--json')).stdout);
    expect(deleted.runs.map((r: { info: { name: string } }) => r.info.name)).toEqual(['gamma']);
  });

  it('names the position of a bad filter and exits 2', async () => {
    const bad = await lathe('runs', 'ls', '--filter', 'metrics.x <<< 1');
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("Invalid filter at position 11 near '<<< 1'");
  });
});

describe('lathe runs compare', { timeout: 120_000 }, () => {
  it('shows the differing params and every latest metric', async () => {
    const out = await lathe('runs', 'compare', s.ids['alpha-1']!, s.ids['beta-1']!);
    expect(out.code).toBe(0);
    expect(out.stdout).toMatch(/params\.opt\s.*adam\s.*Adam/);
    expect(out.stdout).toMatch(/params\.batch size\s.*32\s.*—/);
    expect(out.stdout).not.toMatch(/params\.lr/);
    expect(out.stdout).toMatch(/metrics\.val_loss\s.*0\.3\s.*Infinity/);
    expect(out.stdout).toContain('(1 param with equal values not shown; --all to show them)');
    const json = JSON.parse((await lathe('runs', 'compare', s.ids['alpha-1']!, s.ids['alpha-2']!, '--all', '--json')).stdout);
    expect(json.runs.map((r: { name: string }) => r.name)).toEqual(['alpha-1', 'alpha-2']);
    expect(json.params).toContainEqual({ key: 'lr', values: ['0.1', '0.01'] });
    expect(json.metrics).toContainEqual({ key: 'acc', values: [0.9, 'NaN'] });
    expect(json.metrics).toContainEqual({ key: 'curve', values: [999.6666666666666, null] });
    expect((await lathe('runs', 'compare', s.ids['alpha-1']!)).code).toBe(2);
  });
});

describe('lathe runs export --metrics', { timeout: 120_000 }, () => {
  it('writes the full history as CSV, non-finite values spelled out', async () => {
    const out = await lathe('runs', 'export', s.ids['alpha-1']!, '--metrics');
    const lines = out.stdout.trimEnd().split('\n');
    expect(lines[0]).toBe('run_id,key,step,timestamp,value');
    expect(lines).toHaveLength(1 + 3000 + 5);
    const curve = lines.filter((l) => l.includes(',curve,'));
    expect(curve).toHaveLength(3000);
    expect(curve.slice(4, 8)).toEqual([
      `${s.ids['alpha-1']},curve,4,14,1.3333333333333333`,
      `${s.ids['alpha-1']},curve,5,15,NaN`,
      `${s.ids['alpha-1']},curve,6,16,Infinity`,
      `${s.ids['alpha-1']},curve,7,17,-Infinity`,
    ]);
    expect(lines).toContain(`${s.ids['alpha-1']},val loss,1,2,1`);
    const one = await lathe('runs', 'export', s.ids['alpha-1']!, '--metrics', '--key', 'val_loss');
    expect(one.stdout).toBe(`run_id,key,step,timestamp,value\n${s.ids['alpha-1']},val_loss,0,1,0.9\n${s.ids['alpha-1']},val_loss,1,2,0.3\n`);
    expect((await lathe('runs', 'export', s.ids['alpha-1']!)).stderr).toContain('--metrics');
    expect((await lathe('runs', 'export', 'deadbeef', '--metrics')).stderr).toContain('Run with id=deadbeef not found');
  });
});
