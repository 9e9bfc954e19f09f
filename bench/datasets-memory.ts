/**
 * Datasets memory benchmark: profiles a ≥ 5 GB CSV (the generated synthetic_1m.csv repeated,
 * about 77 million rows) in a child process and reports its peak resident memory (VmHWM),
 * which includes DuckDB (it runs inside Lathe's process). The issue bounds it at 1.5 GB.
 *
 *   node bench/run.mjs bench/datasets-memory.ts [--dir /tmp/datasets-large] [--gb 5]
 *
 * Large inputs are loaded into an on-disk DuckDB database with a memory limit
 * (LATHE_DUCKDB_MEMORY, default 1GB) and quantiles come from value counts, so memory stays
 * bounded whatever the file size; the spill files live under the data directory.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { profileFile } from '../src/main/core/datasets/inspect/profiler';
import { ensureLargeFiles } from '../test/datasets/large-files';

function arg(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(name);
  return i >= 0 && args[i + 1] ? args[i + 1]! : fallback;
}

/** Writes `target` by repeating the rows of `source` until it holds at least `bytes` bytes. */
async function buildBigCsv(source: string, target: string, bytes: number): Promise<void> {
  const text = fs.readFileSync(source);
  const nl = text.indexOf(0x0a);
  const header = text.subarray(0, nl + 1);
  const body = text.subarray(nl + 1);
  const out = fs.createWriteStream(`${target}.tmp`);
  const write = (b: Buffer) => new Promise<void>((resolve) => (out.write(b) ? resolve() : out.once('drain', resolve)));
  await write(header);
  let written = header.length;
  while (written < bytes) {
    await write(body);
    written += body.length;
  }
  await new Promise<void>((resolve) => out.end(resolve));
  fs.renameSync(`${target}.tmp`, target);
}

function peakRssMiB(): number {
  const m = /VmHWM:\s+(\d+) kB/.exec(fs.readFileSync('/proc/self/status', 'utf8'));
  return m ? Number(m[1]) / 1024 : NaN;
}

export default async function main(args: string[]): Promise<void> {
  const child = args.indexOf('--child');
  if (child >= 0) {
    const file = args[child + 1]!;
    const tempDir = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-mem-'));
    const t = performance.now();
    try {
      const p = await profileFile(file, { tempDir });
      console.log(JSON.stringify({ rows: p.rows, columns: p.columns.length, seconds: (performance.now() - t) / 1000, peakMiB: peakRssMiB(), findings: p.findings.map((f) => f.kind) }));
    } finally {
      fs.rmSync(tempDir, { recursive: true, force: true });
    }
    return;
  }
  const dir = arg(args, '--dir', path.join(os.tmpdir(), 'datasets-large'));
  const gb = Number(arg(args, '--gb', '5'));
  const { synthetic } = await ensureLargeFiles(dir);
  const big = path.join(dir, `synthetic_${gb}gb.csv`);
  if (!fs.existsSync(big) || fs.statSync(big).size < gb * 1e9) {
    console.log(`writing ${big} …`);
    await buildBigCsv(synthetic, big, gb * 1e9);
  }
  console.log(`profiling ${big} (${(fs.statSync(big).size / 1e9).toFixed(2)} GB) in a child process, ${os.cpus().length} cores`);
  const here = path.dirname(fileURLToPath(import.meta.url));
  const res = spawnSync(process.execPath, [path.join(here, 'run.mjs'), path.join(here, 'datasets-memory.ts'), '--child', big], { encoding: 'utf8', maxBuffer: 1 << 24 });
  if (res.status !== 0) throw new Error(`child failed: ${res.stderr}`);
  const r = JSON.parse(res.stdout.trim().split('\n').pop()!) as { rows: number; columns: number; seconds: number; peakMiB: number; findings: string[] };
  console.log(`rows ${r.rows.toLocaleString('en-US')} × ${r.columns} columns in ${r.seconds.toFixed(1)} s`);
  console.log(`peak resident memory of the profiling process: ${r.peakMiB.toFixed(0)} MiB (${(r.peakMiB / 1024).toFixed(2)} GiB; bound 1.5 GB = ${(1.5e9 / 2 ** 20).toFixed(0)} MiB) ${r.peakMiB * 2 ** 20 < 1.5e9 ? 'OK' : 'OVER'}`);
}
