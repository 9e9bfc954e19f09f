import { useMemo } from 'react';
import { call } from '../../api/client';
import { useLiveQuery } from '../../hooks/use-live-query';
import { pickMetricColumns, pickParamColumns } from '../../lib/run-columns';

/**
 * Runs sampled to choose default columns: the newest ones, as the table opens on them. Few,
 * because the sample carries every latest metric (an experiment may log thousands of keys).
 */
const SAMPLE = 10;

export interface DefaultColumns {
  metrics: string[];
  params: string[];
}

/**
 * The columns a scope opens with before the reader picks: the metric and param keys most of
 * the newest runs have (user metrics before `system/…`), so one run with thousands of keys
 * does not fill the table with them. One small request, made in parallel with the key index;
 * undefined until it answers.
 */
export function useDefaultColumns(scope: string, experimentIds: string[] | undefined, needed: boolean): DefaultColumns | undefined {
  const sample = useLiveQuery(needed ? `run-sample:${scope}` : 'run-sample:off', () =>
    needed ? call((c) => c.runs.search({ experimentIds, limit: SAMPLE, columns: { tags: [] } })) : Promise.resolve(undefined),
  );
  const ready = needed && !sample.loading;
  const data = sample.data;
  // One object per answer: the table's columns are rebuilt (and its cells remounted) when it changes.
  return useMemo(() => {
    if (!ready) return undefined;
    const runs = data?.runs ?? [];
    // A key only a few runs have (one run logging 3,000 per-layer norms) is not a default column.
    const common = (k: string) => runs.filter((r) => r.metrics.some((m) => m.key === k)).length * 2 >= runs.length;
    return { metrics: pickMetricColumns(runs, 5).filter(common), params: pickParamColumns(runs, 5) };
  }, [ready, data]);
}
