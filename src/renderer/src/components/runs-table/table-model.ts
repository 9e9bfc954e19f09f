import {
  columnGroupingFeature,
  columnPinningFeature,
  columnResizingFeature,
  columnSizingFeature,
  columnVisibilityFeature,
  constructAggregationFn,
  createExpandedRowModel,
  createGroupedRowModel,
  rowAggregationFeature,
  rowExpandingFeature,
  rowSelectionFeature,
  rowSortingFeature,
  tableFeatures,
} from '@tanstack/react-table';
import type { Run } from '../../../../shared/api/types';

/** A run as a table row: its latest metrics by key, so cells and aggregations read them in O(1). */
export interface RunRow {
  run: Run;
  metrics: Record<string, number>;
}

export function toRows(runs: readonly Run[]): RunRow[] {
  return runs.map((run) => {
    const metrics: Record<string, number> = {};
    for (const m of run.metrics) metrics[m.key] = m.value;
    return { run, metrics };
  });
}

/** Mean with min and max of a group's finite values (NaN and ±Infinity would poison the mean). */
export interface Band {
  mean: number;
  min: number;
  max: number;
  n: number;
}

const band = constructAggregationFn({
  aggregate: ({ rows, getValue }) => {
    let sum = 0;
    let n = 0;
    let min = Infinity;
    let max = -Infinity;
    for (const r of rows) {
      const v = getValue(r);
      if (typeof v !== 'number' || !Number.isFinite(v)) continue;
      sum += v;
      n += 1;
      if (v < min) min = v;
      if (v > max) max = v;
    }
    return n ? ({ mean: sum / n, min, max, n } satisfies Band) : undefined;
  },
});

/**
 * The table's features. Sorting is the server's (manualSorting: `runs.search` order_by), so
 * no sorted row model is registered; grouping, aggregation and expansion run on the client
 * over the loaded runs (all of them are loaded while grouping).
 */
export const runsTableFeatures = tableFeatures({
  rowSortingFeature,
  rowSelectionFeature,
  columnSizingFeature,
  columnResizingFeature,
  columnVisibilityFeature,
  columnPinningFeature,
  columnGroupingFeature,
  groupedRowModel: createGroupedRowModel(),
  rowExpandingFeature,
  expandedRowModel: createExpandedRowModel(),
  rowAggregationFeature,
  aggregationFns: { band },
});

export type RunsTableFeatures = typeof runsTableFeatures;
