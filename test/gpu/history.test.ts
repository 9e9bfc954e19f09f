import { afterEach, describe, expect, it } from 'vitest';
import { openDatabase, closeDatabase, type Db } from '../../src/main/core/store/database';
import { GpuRing } from '../../src/main/core/gpu/gpu-ring';
import { GpuRollups } from '../../src/main/core/gpu/gpu-rollups';
import { tempHome } from '../helpers/temp-home';
import path from 'node:path';

const T0 = Date.UTC(2026, 10, 29, 12, 0, 0); // on a 5-minute boundary
const gpu = (uuid: string, util: number | null, mem: number | null, extra: Partial<Record<string, number | null>> = {}) => ({
  uuid, name: 'GeForce GTX TITAN X', index: uuid.endsWith('1') ? 0 : 1,
  utilization_gpu_pct: util, utilization_memory_pct: null, memory_used_mib: mem, temperature_c: 50, power_draw_w: null, fan_pct: null, sm_clock_mhz: null, ...extra,
});

describe('GpuRing (15 minutes at 1 Hz in memory)', () => {
  it('keeps the last N samples per GPU, oldest first, with null for no reading', () => {
    const ring = new GpuRing(3);
    for (let i = 0; i < 5; i++) ring.push(T0 + i * 1000, [gpu('GPU-1', i === 3 ? null : i * 10, 800 + i)]);
    const w = ring.window('GPU-1', 0);
    expect(w.t).toEqual([T0 + 2000, T0 + 3000, T0 + 4000]);
    expect(w.values.utilization_gpu_pct).toEqual([20, null, 40]);
    expect(w.values.memory_used_mib).toEqual([802, 803, 804]);
    expect(ring.window('GPU-1', T0 + 3500).t).toEqual([T0 + 4000]);
    expect(ring.mean('GPU-1', 'utilization_gpu_pct', 0)).toBe(30);
    expect(ring.mean('GPU-1', 'power_draw_w', 0)).toBeNull();
    expect(ring.live(T0 + 3000)).toEqual([{ uuid: 'GPU-1', t: [T0 + 3000, T0 + 4000], utilization_gpu_pct: [null, 40], memory_used_mib: [803, 804], power_draw_w: [null, null], temperature_c: [50, 50] }]);
    expect(new GpuRing().capacity).toBe(900);
  });
});

describe('GpuRollups (SQLite, min/mean/max per 10 s and per 5 min)', () => {
  let db: Db;
  let cleanup: () => void;
  afterEach(() => {
    closeDatabase(db);
    cleanup();
  });
  const open = () => {
    const t = tempHome();
    cleanup = t.cleanup;
    db = openDatabase(path.join(t.home, 'lathe.db'));
    return db;
  };

  it('writes a 10 s bucket when it closes, and the 5 min row from the 10 s rows; no reading stays NULL', () => {
    let now = T0;
    const r = new GpuRollups(open(), { now: () => now });
    // 6 minutes at 1 Hz: utilization i % 100, memory 1000 + i; GPU 2 never reports utilization.
    for (let i = 0; i < 360; i++) {
      now = T0 + i * 1000;
      r.add(now, [gpu('GPU-1', i % 100, 1000 + i), gpu('GPU-2', null, 500)]);
    }
    const fine = db.prepare('SELECT bucket, samples, util_min, util_mean, util_max, mem_used_min, mem_used_max FROM gpu_rollups WHERE resolution = 10 AND gpu = 1 ORDER BY bucket').all() as Array<Record<string, number>>;
    expect(fine).toHaveLength(35); // the 36th bucket is still open
    expect(fine[0]).toEqual({ bucket: T0, samples: 10, util_min: 0, util_mean: 4.5, util_max: 9, mem_used_min: 1000, mem_used_max: 1009 });
    expect(fine[9]).toEqual({ bucket: T0 + 90_000, samples: 10, util_min: 90, util_mean: 94.5, util_max: 99, mem_used_min: 1090, mem_used_max: 1099 });
    const coarse = db.prepare('SELECT bucket, samples, util_min, util_mean, util_max, mem_used_min, mem_used_max, temp_mean FROM gpu_rollups WHERE resolution = 300 AND gpu = 1 ORDER BY bucket').all();
    // The first 5 minutes: i = 0..299 → util 0..99 three times.
    expect(coarse[0]).toEqual({ bucket: T0, samples: 300, util_min: 0, util_mean: 49.5, util_max: 99, mem_used_min: 1000, mem_used_max: 1299, temp_mean: 50 });
    const nulls = db.prepare('SELECT util_min, util_mean, util_max, mem_used_mean FROM gpu_rollups WHERE resolution = 300 AND gpu = 2').get();
    expect(nulls).toEqual({ util_min: null, util_mean: null, util_max: null, mem_used_mean: 500 });

    const h = r.history('15m', now);
    expect(h.gpus.map((g) => [g.uuid, g.index, g.resolution_s])).toEqual([['GPU-1', 0, 10], ['GPU-2', 1, 10]]);
    const u = h.gpus[0]!.metrics.utilization_gpu_pct!;
    expect([h.gpus[0]!.t[0], u.min[0], u.mean[0], u.max[0]]).toEqual([T0, 0, 4.5, 9]);
    expect(h.gpus[0]!.t).toHaveLength(35);
    const none = h.gpus[1]!.metrics.utilization_gpu_pct!;
    expect([none.min[0], none.mean[0], none.max[0]]).toEqual([null, null, null]);
    // 24 h and 7 d read the 5-minute rows (the last window is complete up to the last closed 10 s bucket).
    const day = r.history('24h', now);
    expect(day.gpus[0]!.resolution_s).toBe(300);
    expect(day.gpus[0]!.t).toEqual([T0, T0 + 300_000]);
    const week = r.history('7d', now);
    const m = week.gpus[0]!.metrics.memory_used_mib!;
    expect(Object.keys(r.history('7d', now, ['power_draw_w']).gpus[0]!.metrics)).toEqual(['power_draw_w']);
    expect([m.min[0], m.mean[0], m.max[0]]).toEqual([1000, 1149.5, 1299]);
    // The window still open holds the 10 s buckets closed so far (i = 300..349).
    expect([m.min[1], m.max[1]]).toEqual([1300, 1349]);
  });

  it('a restart inside a bucket merges into it; flush writes open buckets; retention prunes old rows', () => {
    let now = T0;
    const db1 = open();
    const a = new GpuRollups(db1, { now: () => now });
    for (let i = 0; i < 5; i++) a.add(T0 + i * 1000, [gpu('GPU-1', 10, 100)]);
    a.flush();
    const b = new GpuRollups(db1, { now: () => now });
    for (let i = 5; i < 11; i++) b.add(T0 + i * 1000, [gpu('GPU-1', 30, 300)]);
    const row = db1.prepare('SELECT samples, util_min, util_mean, util_max FROM gpu_rollups WHERE resolution = 10 AND bucket = ?').get(T0);
    expect(row).toEqual({ samples: 10, util_min: 10, util_mean: 20, util_max: 30 });
    // 31 days later everything is past retention.
    now = T0 + 31 * 86_400_000;
    b.prune(now);
    expect(db1.prepare('SELECT COUNT(*) AS n FROM gpu_rollups').get()).toEqual({ n: 0 });
  });
});
