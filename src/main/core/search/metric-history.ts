import type { Db } from '../store/database';
import { LatheError } from '../../../shared/errors';
import type { MetricPoint } from '../../../shared/api/types';
import { BLOCK_LEVELS } from '../store/migration-5-search-indexes';

/** A history point with its run, as MLflow's MetricWithRunId. */
export interface RunMetricPoint extends MetricPoint {
  runId: string;
}

export interface HistoryPage {
  points: MetricPoint[];
  /** Token for the next page; null when this page is the last. */
  nextPageToken: string | null;
}

/** MLflow server limits for get-history-bulk-interval (mlflow/server/handlers.py). */
export const BULK_INTERVAL_LIMITS = { runs: 100, resultsPerRun: 2500, historyPerRun: 25_000 } as const;

type Row = [number, number, number, number];

/** The keyset cursor: the last point of a page in MLflow's history order (timestamp, step, NaN first, value). */
interface Cursor {
  ts: number;
  step: number;
  /** 1 - is_nan, so the tuple compares in the ORDER BY's direction. */
  notNan: number;
  value: number;
  /** Points on the pages before (they all sort at or before the cursor). */
  seen: number;
}

function encodeCursor(c: Cursor): string {
  return Buffer.from(JSON.stringify({ after: [c.ts, c.step, c.notNan, String(c.value)], seen: c.seen })).toString('base64');
}

/**
 * Reads a page token: a keyset cursor written by this service, or `{"offset": N}` (the real
 * server's format, and Lathe's before keyset paging).
 * @throws LatheError INVALID_PARAMETER_VALUE "Invalid page token".
 */
function decodeToken(token: string): Cursor | { offset: number } {
  try {
    const t = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { after?: unknown; offset?: unknown; seen?: unknown };
    if (Number.isSafeInteger(t.offset) && (t.offset as number) >= 0) return { offset: t.offset as number };
    const a = t.after;
    if (Array.isArray(a) && a.length === 4 && Number.isSafeInteger(a[0]) && Number.isSafeInteger(a[1]) && (a[2] === 0 || a[2] === 1) && typeof a[3] === 'string' && !Number.isNaN(Number(a[3]))) {
      return { ts: a[0], step: a[1], notNan: a[2], value: Number(a[3]), seen: Number.isSafeInteger(t.seen) && (t.seen as number) >= 0 ? (t.seen as number) : 0 };
    }
  } catch {
    // fall through
  }
  throw new LatheError('INVALID_PARAMETER_VALUE', 'Invalid page token', { field: 'page_token' });
}

const ORDER = 'ORDER BY timestamp, step, is_nan DESC, value';
const L2 = BLOCK_LEVELS[1].level;

/** A page's step range and time ceiling (metric-history.ts stepBounds). */
interface Bounds {
  lo: number;
  hi: number;
  tmax: number;
}
const UNBOUNDED: Bounds = { lo: -Infinity, hi: Infinity, tmax: Infinity };

/**
 * Metric history reads for the MLflow API (../shared/notes/mlflow-rest.md §3.4):
 * - `page`: metrics/get-history in the real SQL server's order (timestamp, then step, then
 *   value, NaN first among equals), paged with a keyset cursor, so page k costs the same as
 *   page 1 (no OFFSET re-reading what earlier pages returned);
 * - `bulkInterval`: metrics/get-history-bulk-interval, MLflow's step sampling across runs.
 */
export class MetricHistoryService {
  private readonly stmt;

  constructor(db: Db) {
    const cols = 'SELECT step, timestamp, is_nan, value FROM metrics WHERE run = @run AND key_id = @key';
    this.stmt = {
      run: db.prepare('SELECT id FROM runs WHERE run_id = ?').pluck(),
      key: db.prepare('SELECT id FROM metric_keys WHERE key = ?').pluck(),
      first: db.prepare(`${cols} AND step BETWEEN @lo AND @hi AND timestamp <= @tmax ${ORDER} LIMIT @limit`).raw(),
      after: db.prepare(`${cols} AND step BETWEEN @lo AND @hi AND timestamp <= @tmax AND (timestamp, step, 1 - is_nan, value) > (@ts, @step, @notNan, @value) ${ORDER} LIMIT @limit`).raw(),
      // Step bounds of a page from the level-2 block summaries (see stepBounds).
      stepFrom: db.prepare(`SELECT MIN(first_step) FROM metric_blocks WHERE run = @run AND key_id = @key AND level = ${L2} AND max_ts >= @ts`).pluck(),
      timeUntil: db.prepare(
        `SELECT max_ts FROM (SELECT max_ts, SUM(n) OVER (ORDER BY max_ts ROWS UNBOUNDED PRECEDING) AS upto FROM metric_blocks WHERE run = @run AND key_id = @key AND level = ${L2})
         WHERE upto >= @need ORDER BY max_ts LIMIT 1`,
      ).pluck(),
      stepUntil: db.prepare(`SELECT MAX(last_step) FROM metric_blocks WHERE run = @run AND key_id = @key AND level = ${L2} AND min_ts <= @ts`).pluck(),
      offset: db.prepare(`${cols} ${ORDER} LIMIT @limit OFFSET @offset`).raw(),
      steps: db.prepare('SELECT DISTINCT step FROM metrics WHERE run = @run AND key_id = @key AND step BETWEEN @lo AND @hi ORDER BY step').pluck(),
      maxStep: db.prepare('SELECT MAX(step) FROM metrics WHERE run = @run AND key_id = @key').pluck(),
      exportAll: db.prepare('SELECT k.key, m.step, m.timestamp, m.is_nan, m.value FROM metrics m JOIN metric_keys k ON k.id = m.key_id WHERE m.run = @run ORDER BY k.key, m.step, m.timestamp').raw(),
      exportKey: db.prepare('SELECT @name, step, timestamp, is_nan, value FROM metrics WHERE run = @run AND key_id = @key ORDER BY step, timestamp').raw(),
      atSteps: db.prepare('SELECT step, timestamp, is_nan, value FROM metrics WHERE run = @run AND key_id = @key AND step IN (SELECT value FROM json_each(@steps)) ORDER BY step, timestamp LIMIT @limit').raw(),
    };
  }

  private runRowId(runId: string): number {
    const id = this.stmt.run.get(runId) as number | undefined;
    if (id === undefined) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`, { runId });
    return id;
  }

  /**
   * One page of a metric's history. Without `maxResults` the whole history comes at once.
   * An unknown key gives no points.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), INVALID_PARAMETER_VALUE (bad token or size).
   */
  page(runId: string, key: string, opts: { maxResults?: number; pageToken?: string } = {}): HistoryPage {
    const run = this.runRowId(runId);
    const max = opts.maxResults;
    if (max !== undefined && (!Number.isSafeInteger(max) || max < 1)) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid value ${max} for parameter 'max_results' supplied: it must be a positive integer`, { field: 'max_results' });
    }
    const cursor = opts.pageToken ? decodeToken(opts.pageToken) : null;
    const keyId = this.stmt.key.get(key) as number | undefined;
    if (keyId === undefined) return { points: [], nextPageToken: null };
    const limit = max === undefined ? -1 : max + 1;
    const at = cursor !== null && !('offset' in cursor) ? cursor : null;
    const read = (b: Bounds) => (
      cursor === null ? this.stmt.first.all({ run, key: keyId, limit, ...b }) :
      'offset' in cursor ? this.stmt.offset.all({ run, key: keyId, limit, offset: cursor.offset }) :
      this.stmt.after.all({ run, key: keyId, limit, ...b, ts: cursor.ts, step: cursor.step, notNan: cursor.notNan, value: cursor.value })
    ) as Row[];
    const bounds = max === undefined ? UNBOUNDED : this.stepBounds(run, keyId, at, max + 1);
    let rows = read(bounds);
    // A short page under a time bound means points were logged before the cursor since the
    // last page (so `seen` undercounts): read it again without bounds.
    if (rows.length < limit && bounds.tmax !== Infinity) rows = read(UNBOUNDED);
    const more = max !== undefined && rows.length > max;
    if (more) rows.length = max;
    const last = rows[rows.length - 1];
    const seen = (at?.seen ?? (cursor && 'offset' in cursor ? cursor.offset : 0)) + rows.length;
    return {
      points: rows.map(([step, timestamp, nan, value]) => ({ key, value: nan ? Number.NaN : value, step, timestamp })),
      nextPageToken: more && last ? encodeCursor({ step: last[0], ts: last[1], notNan: 1 - last[2], value: last[3], seen }) : null,
    };
  }

  /**
   * The step range that holds the next `want` points after `at` in history order
   * (timestamp first), from the block summaries, so a page reads about its own rows instead
   * of the whole series (a 1,000,000-point history pages in ~40 reads of ~25,000 rows):
   * - every point with timestamp ≥ the cursor's lies in a block whose max_ts ≥ it, so steps
   *   start at the lowest first_step of those blocks;
   * - the page's points all have timestamps ≤ T, the max_ts at which the blocks, taken by
   *   max_ts, hold `seen + want` points (at least `want` of them come after the cursor), so
   *   steps end at the highest last_step of the blocks that start by T, and the read keeps
   *   to timestamps ≤ T.
   * Exact for any order of timestamps; tight when they grow with the step, as they do in training.
   */
  private stepBounds(run: number, key: number, at: Cursor | null, want: number): Bounds {
    const lo = at === null ? -Infinity : ((this.stmt.stepFrom.get({ run, key, ts: at.ts }) as number | null) ?? -Infinity);
    const until = this.stmt.timeUntil.get({ run, key, need: (at?.seen ?? 0) + want }) as number | undefined;
    if (until === undefined) return { lo, hi: Infinity, tmax: Infinity };
    return { lo, hi: (this.stmt.stepUntil.get({ run, key, ts: until }) as number | null) ?? Infinity, tmax: until };
  }

  /**
   * Every point of a run's history, streamed (for CSV export): by key, then step, then
   * timestamp; only `keys` when given (unknown keys give nothing). Yields
   * `[key, step, timestamp, value]` with NaN restored.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  *exportRows(runId: string, keys?: string[]): Generator<[string, number, number, number]> {
    const run = this.runRowId(runId);
    const sources = keys === undefined
      ? [this.stmt.exportAll.iterate({ run })]
      : [...new Set(keys)].sort().flatMap((name) => {
          const key = this.stmt.key.get(name) as number | undefined;
          return key === undefined ? [] : [this.stmt.exportKey.iterate({ run, key, name })];
        });
    for (const rows of sources) {
      for (const [key, step, timestamp, nan, value] of rows as Iterable<[string, number, number, number, number]>) yield [key, step, timestamp, nan ? Number.NaN : value];
    }
  }

  /**
   * MLflow's get-history-bulk-interval: the distinct steps the runs logged for `key` within
   * [startStep, endStep] (default 0 to the highest step), sampled evenly down to
   * `maxResults` (default 2500) plus each run's first and last step in range, then every
   * point at those steps, per run in step order, at most 25,000 a run.
   * @throws LatheError INVALID_PARAMETER_VALUE (no runs, over 100 runs, only one of
   *   startStep/endStep, startStep > endStep, maxResults outside 1–2500),
   *   RESOURCE_DOES_NOT_EXIST (unknown run).
   */
  bulkInterval(runIds: string[], key: string, opts: { startStep?: number; endStep?: number; maxResults?: number } = {}): RunMetricPoint[] {
    const bad = (m: string, field: string) => new LatheError('INVALID_PARAMETER_VALUE', m, { field });
    if (runIds.length === 0) throw bad("Missing value for required parameter 'run_ids'.", 'run_ids');
    if (runIds.length > BULK_INTERVAL_LIMITS.runs) throw bad(`At most ${BULK_INTERVAL_LIMITS.runs} run_ids may be given; got ${runIds.length}.`, 'run_ids');
    const maxResults = opts.maxResults ?? BULK_INTERVAL_LIMITS.resultsPerRun;
    if (!Number.isSafeInteger(maxResults) || maxResults < 1 || maxResults > BULK_INTERVAL_LIMITS.resultsPerRun) {
      throw bad(`max_results must be between 1 and ${BULK_INTERVAL_LIMITS.resultsPerRun}.`, 'max_results');
    }
    const { startStep, endStep } = opts;
    if ((startStep === undefined) !== (endStep === undefined)) throw bad('If either start step or end step are specified, both must be specified.', 'start_step');
    if (startStep !== undefined && endStep !== undefined && startStep > endStep) {
      throw bad(`end_step must be greater than start_step. Found start_step=${startStep} and end_step=${endStep}.`, 'end_step');
    }
    const runs = runIds.map((runId) => ({ runId, id: this.runRowId(runId) }));
    const keyId = this.stmt.key.get(key) as number | undefined;
    if (keyId === undefined) return [];
    const lo = startStep ?? 0;
    const hi = endStep ?? Math.max(0, ...runs.map((r) => (this.stmt.maxStep.get({ run: r.id, key: keyId }) as number | null) ?? 0));
    const wanted = new Set<number>();
    const all = new Set<number>();
    for (const r of runs) {
      const steps = this.stmt.steps.all({ run: r.id, key: keyId, lo, hi }) as number[];
      if (steps.length) {
        wanted.add(steps[0]!);
        wanted.add(steps[steps.length - 1]!);
      }
      for (const s of steps) all.add(s);
    }
    const sorted = [...all].sort((a, b) => a - b);
    if (sorted.length <= maxResults) for (const s of sorted) wanted.add(s);
    else {
      const interval = sorted.length / maxResults;
      for (let i = 0; i < maxResults; i++) wanted.add(sorted[Math.floor(i * interval)]!);
      wanted.add(sorted[sorted.length - 1]!);
    }
    const steps = JSON.stringify([...wanted].sort((a, b) => a - b));
    return runs.flatMap((r) =>
      (this.stmt.atSteps.all({ run: r.id, key: keyId, steps, limit: BULK_INTERVAL_LIMITS.historyPerRun }) as Row[]).map(([step, timestamp, nan, value]) => ({
        runId: r.runId,
        key,
        value: nan ? Number.NaN : value,
        step,
        timestamp,
      })),
    );
  }
}
