/**
 * GPU history load: 7 days of rollups for 8 GPUs, read for the dashboard's ranges (server side,
 * GpuService.history: the SQL and the shaping into series), plus the JSON size sent to the UI.
 * The store holds what 7 days of sampling leave: 5-minute rows for 7 days and 10-second rows
 * for the last 48 h (the fine retention), for 8 GPUs.
 *
 *   node bench/run.mjs bench/gpu-history-load.ts [--runs 20]
 *
 * Target: the 7-day view loads in < 200 ms.
 */
import os from 'node:os';
import { createCore } from '../src/main/core/create-core';
import { ROLLUP_METRICS, type GpuHistoryRange } from '../src/shared/api/gpu-types';
import { ROLLUP_COLUMN_STEMS } from '../src/main/core/store/migration-3-gpus';
import { tempHome } from '../test/helpers/temp-home';

/** What the dashboard's history view asks for (gpu-history.tsx). */
const DASHBOARD = ['utilization_gpu_pct', 'memory_used_mib', 'power_draw_w', 'temperature_c'] as const;

export default async function main(args: string[]): Promise<void> {
  const i = args.indexOf('--runs');
  const runs = i >= 0 ? Number(args[i + 1]) : 20;
  const t = tempHome('lathe-bench-');
  const now = Date.UTC(2026, 10, 29, 12, 0, 0);
  const core = createCore({ home: t.home, now: () => now });
  const db = core.db;
  const cols = ROLLUP_COLUMN_STEMS.flatMap((s) => [`${s}_min`, `${s}_mean`, `${s}_max`]);
  const insert = db.prepare(`INSERT INTO gpu_rollups (resolution, gpu, bucket, samples, ${cols.join(', ')}) VALUES (?, ?, ?, ?, ${cols.map(() => '?').join(', ')})`);
  const t0 = performance.now();
  let rows = 0;
  db.transaction(() => {
    for (let g = 0; g < 8; g++) {
      const id = (db.prepare('INSERT INTO gpu_devices (uuid, name, last_index, first_seen, last_seen) VALUES (?, ?, ?, ?, ?) RETURNING id').get(`GPU-bench-${g}`, 'NVIDIA H100 80GB HBM3', g, now, now) as { id: number }).id;
      const values = (k: number) =>
        ROLLUP_METRICS.flatMap((_m, j) => {
          // Readings have at most 2 decimals (433.78 W); means are rounded to 0.01 on read.
          const v = Math.round((40 + 30 * Math.sin(k / 50 + g + j)) * 100) / 100;
          return [Math.round(v - 10), v, Math.round(v + 10)];
        });
      for (let b = now - 7 * 86_400_000; b < now; b += 300_000, rows++) insert.run(300, id, b, 300, ...values(b / 300_000));
      for (let b = now - 48 * 3_600_000; b < now; b += 10_000, rows++) insert.run(10, id, b, 10, ...values(b / 10_000));
    }
  })();
  console.log(`seeded ${rows.toLocaleString()} rollup rows (8 GPUs: 7 d of 5-min + 48 h of 10-s) in ${(performance.now() - t0).toFixed(0)} ms`);
  console.log(`load average ${os.loadavg().map((l) => l.toFixed(2)).join(' ')}`);
  const ranges: GpuHistoryRange[] = ['7d', '24h', '1h', '15m'];
  for (const range of ranges) {
    const times: number[] = [];
    let size = 0;
    let points = 0;
    for (let r = 0; r < runs; r++) {
      const s = performance.now();
      const h = core.gpus.service.history(range, DASHBOARD);
      times.push(performance.now() - s);
      if (r === 0) {
        size = JSON.stringify(h).length;
        points = h.gpus.reduce((n, g) => n + g.t.length, 0);
      }
    }
    const sorted = [...times].sort((a, b) => a - b);
    console.log(`${range.padEnd(4)} ${points.toLocaleString().padStart(6)} buckets (all GPUs), JSON ${(size / 1024).toFixed(0)} KiB: first ${times[0]!.toFixed(1)} ms, median ${sorted[Math.floor(runs / 2)]!.toFixed(1)} ms, max ${sorted.at(-1)!.toFixed(1)} ms`);
  }
  const all: number[] = [];
  for (let r = 0; r < runs; r++) {
    const s = performance.now();
    core.gpus.service.history('7d');
    all.push(performance.now() - s);
  }
  all.sort((a, b) => a - b);
  console.log(`7d, all ${ROLLUP_METRICS.length} metrics (lathe API without a metric list): median ${all[Math.floor(runs / 2)]!.toFixed(1)} ms, max ${all.at(-1)!.toFixed(1)} ms`);
  core.dispose();
  t.cleanup();
}
