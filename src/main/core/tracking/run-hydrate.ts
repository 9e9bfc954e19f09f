import type { Db } from '../store/database';
import type { Run } from '../../../shared/api/types';
import type { RunColumns } from '../../../shared/api/search-types';
import { toRunInfo, type RunRow } from './run-row';

/**
 * Runs with their params, tags and latest metrics, in the order of `rows`. `columns` narrows
 * each kind to the keys listed (an empty list loads none; omitted loads all). Used by the run
 * list, run lookups and run search alike.
 * @param prepare prepares (and may cache) a statement; the SQL depends only on `columns`.
 */
export function hydrateRuns(prepare: (sql: string) => ReturnType<Db['prepare']>, rows: RunRow[], columns?: RunColumns): Run[] {
  if (rows.length === 0) return [];
  const ids = JSON.stringify(rows.map((r) => r.id));
  const byRun = new Map<number, Run>();
  for (const r of rows) {
    byRun.set(r.id, {
      info: toRunInfo(r),
      params: {},
      tags: {},
      metrics: [],
    });
  }
  // Each run's params, tags and metrics come back as one JSON text built by SQLite
  // (json_group_object/array, in key order), so a page of 1,000 runs × 70 values is 3,000
  // rows to read rather than 70,000.
  const pick = (list: string[] | undefined, col: string): { sql: string; args: string[] } =>
    list === undefined ? { sql: '', args: [] } : { sql: ` AND ${col} IN (SELECT value FROM json_each(?))`, args: [JSON.stringify(list)] };
  const runsIn = 'run IN (SELECT value FROM json_each(?))';
  for (const [table, list] of [['params', columns?.params], ['tags', columns?.tags]] as const) {
    if (list?.length === 0) continue;
    const f = pick(list, 'key');
    const stmt = prepare(`SELECT run, json_group_object(key, value) FROM ${table} WHERE ${runsIn}${f.sql} GROUP BY run`).raw();
    for (const [run, json] of stmt.all(ids, ...f.args) as Array<[number, string]>) byRun.get(run)![table] = JSON.parse(json) as Record<string, string>;
  }
  if (columns?.metrics?.length !== 0) {
    const f = pick(columns?.metrics, 'k.key');
    const stmt = prepare(
      `SELECT l.run, json_group_array(json_array(k.key, l.step, l.timestamp, l.is_nan, l.value) ORDER BY k.key)
       FROM latest_metrics l JOIN metric_keys k ON k.id = l.key_id WHERE l.${runsIn}${f.sql} GROUP BY l.run`,
    ).raw();
    for (const [run, json] of stmt.all(ids, ...f.args) as Array<[number, string]>) {
      // SQLite writes ±Infinity as ±9e999, which JSON.parse reads back as ±Infinity; NaN is the is_nan flag.
      byRun.get(run)!.metrics = (JSON.parse(json) as Array<[string, number, number, number, number]>).map(([key, step, timestamp, isNan, value]) => ({
        key,
        value: isNan ? Number.NaN : value,
        step,
        timestamp,
      }));
    }
  }
  return rows.map((r) => byRun.get(r.id)!);
}
