import { call } from '../../api/client';
import { useLiveQuery } from '../../hooks/use-live-query';
import { pickMetricColumns, pickParamColumns } from '../../lib/run-columns';
import type { RunKeys } from '../../../../shared/api/search-types';

/** Runs sampled to choose default columns: the newest ones, as the table opens on them. */
const SAMPLE = 25;
/** With more metric keys than this in the experiment, a smaller sample keeps its size in check (runs × keys values). */
const MANY_KEYS = 1000;
const SMALL_SAMPLE = 8;

export interface DefaultColumns {
  metrics: string[];
  params: string[];
}

/**
 * The columns a scope opens with before the reader picks: the metric and param keys most of
 * the newest runs have (user metrics before `system/…`), so one run with thousands of keys
 * does not fill the table with them. Waits for the key index, then reads one small sample;
 * undefined until known.
 */
export function useDefaultColumns(scope: string, experimentIds: string[] | undefined, keys: RunKeys | undefined, needed: boolean): DefaultColumns | undefined {
  const limit = keys !== undefined && keys.metrics.length > MANY_KEYS ? SMALL_SAMPLE : SAMPLE;
  const sample = useLiveQuery(needed && keys ? `run-sample:${scope}:${limit}` : 'run-sample:off', () =>
    needed && keys ? call((c) => c.runs.search({ experimentIds, limit, columns: { tags: [] } })) : Promise.resolve(undefined),
  );
  if (!needed || !keys || sample.loading) return undefined;
  const runs = sample.data?.runs ?? [];
  // A key only a few runs have (one run logging 3,000 per-layer norms) is not a default column.
  const common = (k: string) => runs.filter((r) => r.metrics.some((m) => m.key === k)).length * 2 >= runs.length;
  return {
    metrics: runs.length ? pickMetricColumns(runs, 5).filter(common) : keys.metrics.slice(0, 5),
    params: runs.length ? pickParamColumns(runs, 5) : keys.params.slice(0, 5),
  };
}
