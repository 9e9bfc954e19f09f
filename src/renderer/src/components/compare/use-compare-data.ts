import { useMemo } from 'react';
import { call } from '../../api/client';
import { useLiveQuery, type LiveQuery } from '../../hooks/use-live-query';
import { NOTE_TAG, runIdsFilter } from '../../lib/search-fields';
import type { LatestMetrics } from '../../lib/compare-axes';
import type { ChangeEvent, Run } from '../../../../shared/api/types';
import type { RunColumns, RunKeys } from '../../../../shared/api/search-types';

/** The filter text is capped at 10,000 characters; ~35 a run id leaves room for 200 a request. */
const IDS_PER_SEARCH = 200;
/** Up to this many metric keys, every latest value of the runs is loaded; beyond, only the keys in use. */
const ALL_METRICS_UP_TO = 500;

async function searchByIds(runIds: string[], columns: RunColumns): Promise<Run[]> {
  const parts = Array.from({ length: Math.ceil(runIds.length / IDS_PER_SEARCH) }, (_, i) => runIds.slice(i * IDS_PER_SEARCH, (i + 1) * IDS_PER_SEARCH));
  const pages = await Promise.all(
    parts.map((ids) => call((c) => c.runs.search({ filter: runIdsFilter(ids), viewType: 'ALL', limit: ids.length, columns }))),
  );
  const byId = new Map(pages.flatMap((p) => p.runs).map((r) => [r.info.runId, r]));
  // The reader's order (the table's selection order), not the search's.
  return runIds.flatMap((id) => (byId.has(id) ? [byId.get(id)!] : []));
}

export interface CompareData {
  runs: LiveQuery<Run[]>;
  keys: LiveQuery<RunKeys>;
  latest: LatestMetrics;
  /** Metric keys the compared runs have (all of the experiments' keys when there are too many to load). */
  metricKeys: string[];
  /** The ids asked for that do not exist (purged, or a mistyped URL). */
  missing: string[];
}

/**
 * What the compare view needs besides chart buckets: the runs (info, params, note), the key
 * index of their experiments, and the runs' latest metric values — all of them for normal
 * experiments, only `wanted` when the experiments have thousands of keys.
 */
export function useCompareData(runIds: string[], wanted: string[]): CompareData {
  const idKey = runIds.join(',');
  const ids = useMemo(() => new Set(runIds), [runIds]);
  const runs = useLiveQuery(
    `compare-runs:${idKey}`,
    () => searchByIds(runIds, { metrics: [], tags: [NOTE_TAG] }),
    (e: ChangeEvent) => e.kind === 'run' && e.runId !== undefined && ids.has(e.runId),
  );
  const experimentIds = useMemo(() => [...new Set((runs.data ?? []).map((r) => r.info.experimentId))].sort(), [runs.data]);
  const keys = useLiveQuery(`compare-keys:${experimentIds.join(',')}`, () =>
    experimentIds.length ? call((c) => c.runs.keys({ experimentIds })) : Promise.resolve({ params: [], metrics: [], tags: [] }),
  );
  const loadAll = keys.data !== undefined && keys.data.metrics.length <= ALL_METRICS_UP_TO;
  const wantedKey = loadAll ? '*' : wanted.join('\u0000');
  const latestQuery = useLiveQuery(
    keys.data ? `compare-latest:${idKey}:${wantedKey}` : 'compare-latest:pending',
    () => (keys.data ? searchByIds(runIds, { params: [], tags: [], metrics: loadAll ? undefined : wanted }) : Promise.resolve([])),
    (e: ChangeEvent) => e.kind === 'metrics' && e.runId !== undefined && ids.has(e.runId),
  );
  const latest = useMemo(() => {
    const m: LatestMetrics = new Map();
    for (const r of latestQuery.data ?? []) m.set(r.info.runId, Object.fromEntries(r.metrics.map((x) => [x.key, x.value])));
    return m;
  }, [latestQuery.data]);
  const metricKeys = useMemo(() => {
    if (!keys.data) return [];
    // Until the latest values arrive, the experiments' keys stand in, so charts start fetching a round trip sooner.
    if (!loadAll || latestQuery.data === undefined) return keys.data.metrics;
    const present = new Set<string>();
    for (const values of latest.values()) for (const k of Object.keys(values)) present.add(k);
    return [...present].sort();
  }, [keys.data, loadAll, latest, latestQuery.data]);
  const missing = useMemo(() => (runs.data ? runIds.filter((id) => !runs.data!.some((r) => r.info.runId === id)) : []), [runs.data, runIds]);
  return { runs, keys, latest, metricKeys, missing };
}
