import type { Db } from '../store/database';
import { ROLLUP_METRICS, type GpuHistory, type GpuHistoryRange, type GpuHistorySeries, type GpuReading, type RollupMetric } from '../../../shared/api/gpu-types';
import { ROLLUP_COLUMN_STEMS } from '../store/migration-3-gpus';
import type { Statement } from 'better-sqlite3';

const STEM: Record<RollupMetric, string> = Object.fromEntries(ROLLUP_METRICS.map((m, i) => [m, ROLLUP_COLUMN_STEMS[i]!])) as Record<RollupMetric, string>;
const FINE_MS = 10_000;
const COARSE_MS = 300_000;

/** The rollup value columns: min, mean and max of each metric. */
const COLS = ROLLUP_METRICS.flatMap((m) => [`${STEM[m]}_min`, `${STEM[m]}_mean`, `${STEM[m]}_max`]);

/** Merges a closed 10 s bucket into the row already there (a restart mid-bucket). */
const FINE_MERGE = ROLLUP_METRICS.flatMap((m) => {
  const s = STEM[m];
  return [
    `${s}_min = CASE WHEN ${s}_min IS NULL THEN excluded.${s}_min WHEN excluded.${s}_min IS NULL THEN ${s}_min ELSE MIN(${s}_min, excluded.${s}_min) END`,
    `${s}_max = CASE WHEN ${s}_max IS NULL THEN excluded.${s}_max WHEN excluded.${s}_max IS NULL THEN ${s}_max ELSE MAX(${s}_max, excluded.${s}_max) END`,
    `${s}_mean = CASE WHEN ${s}_mean IS NULL THEN excluded.${s}_mean WHEN excluded.${s}_mean IS NULL THEN ${s}_mean ELSE (${s}_mean * samples + excluded.${s}_mean * excluded.samples) / (samples + excluded.samples) END`,
  ];
});
const FINE_SQL = `INSERT INTO gpu_rollups (resolution, gpu, bucket, samples, ${COLS.join(', ')}) VALUES (10, ?, ?, ?, ${COLS.map(() => '?').join(', ')})
  ON CONFLICT (resolution, gpu, bucket) DO UPDATE SET ${FINE_MERGE.join(', ')}, samples = samples + excluded.samples`;

/** (Re)computes one GPU's 5-minute row from its 10 s rows; binds (start, gpu, start, end). */
const COARSE_SEL = ROLLUP_METRICS.flatMap((m) => {
  const s = STEM[m];
  return [`MIN(${s}_min)`, `SUM(${s}_mean * samples) / SUM(CASE WHEN ${s}_mean IS NOT NULL THEN samples END)`, `MAX(${s}_max)`];
});
const COARSE_SQL = `INSERT OR REPLACE INTO gpu_rollups (resolution, gpu, bucket, samples, ${COLS.join(', ')})
  SELECT 300, gpu, ?, SUM(samples), ${COARSE_SEL.join(', ')} FROM gpu_rollups WHERE resolution = 10 AND gpu = ? AND bucket >= ? AND bucket < ? GROUP BY gpu`;

interface Acc {
  bucket: number;
  n: number;
  min: Array<number | null>;
  max: Array<number | null>;
  sum: number[];
  count: number[];
}

export interface RollupOptions {
  /** Days 5-minute rollups are kept (default 30). */
  retentionDays?: number;
  /** Hours 10-second rollups are kept (default 48; the 24 h view reads them). */
  fineRetentionHours?: number;
  now?: () => number;
}

/** What each history range reads: rollup resolution, span, and the bucket it is drawn at. */
const RANGES: Record<GpuHistoryRange, { resolution: 10 | 300; spanMs: number; drawMs: number }> = {
  '15m': { resolution: 10, spanMs: 15 * 60_000, drawMs: 10_000 },
  '1h': { resolution: 10, spanMs: 60 * 60_000, drawMs: 10_000 },
  '24h': { resolution: 300, spanMs: 24 * 3600_000, drawMs: 300_000 },
  '7d': { resolution: 300, spanMs: 7 * 24 * 3600_000, drawMs: 300_000 },
};

/**
 * GPU history in SQLite: min/mean/max per 10 s bucket for each GPU, written when a bucket
 * closes, and per 5 min, computed in SQL from the 10 s rows when a 5-minute window closes
 * (idempotent, so a restart mid-window just recomputes it). Pruned to the retention.
 */
export class GpuRollups {
  private readonly acc = new Map<string, Acc>();
  private readonly ids = new Map<string, number>();
  private readonly now: () => number;
  private lastPrune = 0;

  constructor(private readonly db: Db, private readonly opts: RollupOptions = {}) {
    this.now = opts.now ?? Date.now;
  }

  /** Adds one sample of every GPU; closes (writes) the buckets that `at` has moved past. */
  add(at: number, gpus: ReadonlyArray<Pick<GpuReading, 'uuid' | 'name' | 'index' | RollupMetric>>): void {
    const bucket = Math.floor(at / FINE_MS) * FINE_MS;
    const closing: Array<[string, Acc]> = [];
    for (const g of gpus) {
      let a = this.acc.get(g.uuid);
      if (a && a.bucket !== bucket) {
        closing.push([g.uuid, a]);
        a = undefined;
      }
      if (!a) {
        a = { bucket, n: 0, min: ROLLUP_METRICS.map(() => null), max: ROLLUP_METRICS.map(() => null), sum: ROLLUP_METRICS.map(() => 0), count: ROLLUP_METRICS.map(() => 0) };
        this.acc.set(g.uuid, a);
      }
      a.n += 1;
      ROLLUP_METRICS.forEach((m, i) => {
        const v = g[m];
        if (v === null || v === undefined) return;
        a!.min[i] = a!.min[i] === null ? v : Math.min(a!.min[i]!, v);
        a!.max[i] = a!.max[i] === null ? v : Math.max(a!.max[i]!, v);
        a!.sum[i]! += v;
        a!.count[i]! += 1;
      });
    }
    if (closing.length) this.write(closing, gpus);
  }

  /** Writes every open bucket (shutdown); the 5-minute row of the current window is computed from what exists. */
  flush(): void {
    const open = [...this.acc.entries()];
    this.acc.clear();
    if (open.length) this.write(open, []);
  }

  private gpuId(uuid: string, name: string | null, index: number | null, at: number): number {
    const known = this.ids.get(uuid);
    if (known !== undefined) return known;
    const row = this.db
      .prepare<[string, string | null, number | null, number, number], { id: number }>(
        `INSERT INTO gpu_devices (uuid, name, last_index, first_seen, last_seen) VALUES (?, ?, ?, ?, ?)
         ON CONFLICT (uuid) DO UPDATE SET name = COALESCE(excluded.name, name), last_index = excluded.last_index, last_seen = excluded.last_seen RETURNING id`,
      )
      .get(uuid, name, index, at, at)!;
    this.ids.set(uuid, row.id);
    return row.id;
  }

  /** The write statements, prepared on the first bucket that closes. */
  private stmts?: { fine: Statement; coarse: Statement };

  private write(closing: Array<[string, Acc]>, gpus: ReadonlyArray<Pick<GpuReading, 'uuid' | 'name' | 'index'>>): void {
    this.stmts ??= { fine: this.db.prepare(FINE_SQL), coarse: this.db.prepare(COARSE_SQL) };
    const { fine, coarse: rollUpCoarse } = this.stmts;
    const coarse = new Set<string>();
    const at = this.now();
    this.db.transaction(() => {
      for (const [uuid, a] of closing) {
        const g = gpus.find((x) => x.uuid === uuid);
        const id = this.gpuId(uuid, g?.name ?? null, g?.index ?? null, a.bucket);
        const vals = ROLLUP_METRICS.flatMap((_m, i) => [a.min[i], a.count[i] ? a.sum[i]! / a.count[i]! : null, a.max[i]]);
        fine.run(id, a.bucket, a.n, ...vals);
        coarse.add(`${id}:${Math.floor(a.bucket / COARSE_MS) * COARSE_MS}`);
      }
      for (const key of coarse) {
        const [id, start] = key.split(':').map(Number) as [number, number];
        rollUpCoarse.run(start, id, start, start + COARSE_MS);
      }
    })();
    if (at - this.lastPrune > 3600_000) this.prune(at);
  }

  /** Deletes 10 s rows past their retention (48 h) and 5 min rows past `retentionDays` (30). */
  prune(at = this.now()): void {
    this.lastPrune = at;
    const fine = at - (this.opts.fineRetentionHours ?? 48) * 3600_000;
    const coarse = at - (this.opts.retentionDays ?? 30) * 86_400_000;
    this.db.prepare('DELETE FROM gpu_rollups WHERE resolution = 10 AND bucket < ?').run(fine);
    this.db.prepare('DELETE FROM gpu_rollups WHERE resolution = 300 AND bucket < ?').run(coarse);
  }

  /**
   * History of every GPU seen in the range: 15 min and 1 h from the 10 s rows, 24 h and 7 d from
   * the 5 min rows. Columnar (one time array per GPU), means rounded to 0.01.
   */
  history(range: GpuHistoryRange, to = this.now(), only?: readonly RollupMetric[]): GpuHistory {
    const spec = RANGES[range];
    const from = to - spec.spanMs;
    const metrics = only?.length ? ROLLUP_METRICS.filter((m) => only.includes(m)) : [...ROLLUP_METRICS];
    const sel = metrics.flatMap((m) => {
      const s = STEM[m];
      return [`${s}_min`, `ROUND(${s}_mean, 2)`, `${s}_max`];
    });
    const rows = this.db
      .prepare(`SELECT gpu, bucket, ${sel.join(', ')} FROM gpu_rollups WHERE resolution = ? AND bucket >= ? AND bucket <= ? ORDER BY gpu, bucket`)
      .raw()
      .all(spec.resolution, from, to) as Array<Array<number | null>>;
    const devices = new Map(this.db.prepare<[], { id: number; uuid: string; name: string | null; last_index: number | null }>('SELECT id, uuid, name, last_index FROM gpu_devices').all().map((d) => [d.id, d]));
    const series = new Map<number, GpuHistorySeries>();
    for (const r of rows) {
      const id = r[0] as number;
      let s = series.get(id);
      if (!s) {
        const d = devices.get(id);
        s = {
          uuid: d?.uuid ?? String(id),
          name: d?.name ?? null,
          index: d?.last_index ?? null,
          resolution_s: spec.drawMs / 1000,
          t: [],
          metrics: Object.fromEntries(metrics.map((m) => [m, { min: [], mean: [], max: [] }])) as unknown as GpuHistorySeries['metrics'],
        };
        series.set(id, s);
      }
      s.t.push(r[1] as number);
      for (let i = 0; i < metrics.length; i++) {
        const m = s.metrics[metrics[i]!]!;
        m.min.push(r[2 + i * 3] as number | null);
        m.mean.push(r[3 + i * 3] as number | null);
        m.max.push(r[4 + i * 3] as number | null);
      }
    }
    return { range, from, to, gpus: [...series.values()].sort((a, b) => (a.index ?? 99) - (b.index ?? 99)) };
  }
}
