/**
 * Datasets benchmark: the first profile of the generated 1,000,000-row CSV by Lathe (an
 * uncached inspection of the registered version, exact figures), side by side with DuckDB's
 * own SUMMARIZE (approximate) and pandas read_csv + describe() on the same file in the same
 * run, alternating the order; then a repeat inspection of the same version (profile cache).
 *
 *   node bench/run.mjs bench/datasets-profile.ts [--runs 5] [--dir /tmp/datasets-large]
 *
 * Prints each run (wall and CPU seconds), medians and best times, and the ratios the issue
 * bounds (Lathe ≤ 1.2 × SUMMARIZE, Lathe < pandas, repeat < 200 ms). pandas needs Debian's
 * python3-pandas. On a shared machine compare the best times and the CPU seconds: wall times
 * of multi-threaded DuckDB suffer more from other load than single-threaded pandas.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { DuckDBInstance } from '@duckdb/node-api';
import { createCore, type Core } from '../src/main/core/create-core';
import { ensureLargeFiles } from '../test/datasets/large-files';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;

/** CPU seconds (user + system, all threads of this process) spent by `fn`, with its wall time. */
async function measured(fn: () => Promise<void>): Promise<{ wall: number; cpu: number }> {
  const c = process.cpuUsage();
  const t = performance.now();
  await fn();
  const d = process.cpuUsage(c);
  return { wall: (performance.now() - t) / 1000, cpu: (d.user + d.system) / 1e6 };
}

async function summarize(file: string): Promise<number> {
  const t = performance.now();
  const inst = await DuckDBInstance.create(':memory:');
  const conn = await inst.connect();
  await conn.runAndReadAll(`SUMMARIZE SELECT * FROM read_csv('${file.replace(/'/g, "''")}')`);
  conn.closeSync();
  inst.closeSync();
  return (performance.now() - t) / 1000;
}

/** A first (uncached) inspection of the registered version: the service path the CLI and UI use. */
async function lathe(core: Core): Promise<number> {
  const t = performance.now();
  const p = await core.datasets.inspect('synthetic', { refresh: true });
  if (p.rows !== 1_000_000) throw new Error(`Lathe profiled ${p.rows} rows`);
  return (performance.now() - t) / 1000;
}

const PANDAS = `
import sys, time
t0 = time.perf_counter()
import pandas as pd
t1 = time.perf_counter()
df = pd.read_csv(sys.argv[1])
t2 = time.perf_counter()
df.describe()
t3 = time.perf_counter()
print(f"{t3 - t1:.6f} {time.process_time():.6f}")
`;

/** pandas read_csv + describe(): wall seconds (import excluded) and the process's CPU seconds (import included). */
function pandas(file: string): { wall: number; cpu: number } | null {
  const res = spawnSync('/usr/bin/python3', ['-c', PANDAS, file], { encoding: 'utf8' });
  if (res.status !== 0) return null;
  const [wall, cpu] = res.stdout.trim().split(' ').map(Number);
  return { wall: wall!, cpu: cpu! };
}

const min = (xs: number[]) => Math.min(...xs);

export default async function main(args: string[]): Promise<void> {
  const runs = Number(arg(args, '--runs', '5'));
  const dir = arg(args, '--dir', path.join(os.tmpdir(), 'datasets-large'));
  const { synthetic } = await ensureLargeFiles(dir);
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-bench-home-'));
  const core = createCore({ home });
  console.log(`file ${synthetic} (${fs.statSync(synthetic).size.toLocaleString('en-US')} bytes), ${os.cpus().length} cores, node ${process.version}, load ${os.loadavg()[0]!.toFixed(2)}`);
  const results = { summarize: [] as number[], lathe: [] as number[], pandas: [] as number[] };
  const cpu = { summarize: [] as number[], lathe: [] as number[], pandas: [] as number[] };
  const repeat: number[] = [];
  try {
    await core.datasets.add({ path: synthetic, name: 'synthetic', mode: 'track' });
    for (let i = 0; i < runs; i++) {
      // Alternate the order so neither side always runs on a warmer page cache.
      const runS = () => measured(async () => void (await summarize(synthetic)));
      const runL = () => measured(async () => void (await lathe(core)));
      let s: { wall: number; cpu: number };
      let l: { wall: number; cpu: number };
      if (i % 2 === 0) (s = await runS()), (l = await runL());
      else (l = await runL()), (s = await runS());
      const p = pandas(synthetic);
      results.summarize.push(s.wall);
      results.lathe.push(l.wall);
      cpu.summarize.push(s.cpu);
      cpu.lathe.push(l.cpu);
      if (p !== null) results.pandas.push(p.wall), cpu.pandas.push(p.cpu);
      console.log(
        `run ${i + 1}: DuckDB SUMMARIZE ${s.wall.toFixed(3)} s (cpu ${s.cpu.toFixed(2)}) · Lathe first profile ${l.wall.toFixed(3)} s (cpu ${l.cpu.toFixed(2)}, ratio ${(l.wall / s.wall).toFixed(2)}) · pandas read_csv+describe ${p === null ? 'n/a (apt-get install python3-pandas)' : `${p.wall.toFixed(3)} s (cpu ${p.cpu.toFixed(2)})`}`,
      );
    }
    // A repeat inspection of the same version is served from the profile cache.
    for (let i = 0; i < runs; i++) {
      const t = performance.now();
      await core.datasets.inspect('synthetic');
      repeat.push(performance.now() - t);
    }
  } finally {
    core.dispose();
    fs.rmSync(home, { recursive: true, force: true });
  }
  const report = (label: string, xs: number[]) => `${label.padEnd(38)} median ${median(xs).toFixed(3)} s · best ${min(xs).toFixed(3)} s`;
  console.log('\nside by side, same process, same file');
  console.log(report('DuckDB SUMMARIZE (approximate)', results.summarize));
  console.log(report('Lathe first profile (exact)', results.lathe));
  console.log(`  ratio Lathe/SUMMARIZE: median of run ratios ${median(results.lathe.map((l, i) => l / results.summarize[i]!)).toFixed(2)}, best vs best ${(min(results.lathe) / min(results.summarize)).toFixed(2)} (bound 1.2)`);
  if (results.pandas.length) {
    console.log(report('pandas read_csv + describe()', results.pandas));
    console.log(`  ratio Lathe/pandas: median ${(median(results.lathe) / median(results.pandas)).toFixed(2)}, best vs best ${(min(results.lathe) / min(results.pandas)).toFixed(2)} (bound < 1)`);
  }
  console.log(`CPU seconds (median): SUMMARIZE ${median(cpu.summarize).toFixed(2)} · Lathe ${median(cpu.lathe).toFixed(2)}${cpu.pandas.length ? ` · pandas ${median(cpu.pandas).toFixed(2)} (incl. import)` : ''}`);
  console.log(`Lathe repeat inspection (cached)       median ${median(repeat).toFixed(1)} ms (bound 200 ms)`);
  console.log(`load average now ${os.loadavg().map((x) => x.toFixed(2)).join(' ')}`);
}
