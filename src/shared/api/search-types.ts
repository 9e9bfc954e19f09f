import type { Run } from './types';

/**
 * Shapes of run search, column listing and chart queries (tracking at scale). Times are
 * integer ms since the Unix epoch; metric values are IEEE doubles, NaN and ±Infinity included.
 */

/** Which runs by lifecycle stage, as MLflow's ViewType. */
export const VIEW_TYPES = ['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'] as const;
export type ViewType = (typeof VIEW_TYPES)[number];

/**
 * Which params, metrics and tags to return with each run (a runs table loads only its
 * visible columns). An absent list means all of that kind; `[]` means none.
 */
export interface RunColumns {
  params?: string[];
  metrics?: string[];
  tags?: string[];
}

export interface RunSearchPage {
  runs: Run[];
  /** Runs matching the filter in total (all pages). */
  total: number;
  /** Pass back as `pageToken` for the next page; null on the last page. */
  nextPageToken: string | null;
}

/** The distinct keys of a set of runs, each list sorted, for a column picker. */
export interface RunKeys {
  params: string[];
  metrics: string[];
  tags: string[];
}

/** What a chart's x axis shows: the step, the wall-clock time (ms), or ms since the series' first point. */
export const CHART_X_AXES = ['step', 'wall', 'relative'] as const;
export type ChartXAxis = (typeof CHART_X_AXES)[number];

/** A chart query (metrics.chart): one metric key of several runs, cut into `buckets` (≈ the chart's width in pixels). */
export interface ChartQuery {
  runIds: string[];
  key: string;
  xAxis: ChartXAxis;
  /** Range on the x axis (steps, or ms for wall/relative); default: all the series cover. */
  xMin?: number;
  xMax?: number;
  buckets: number;
}

/**
 * One bucket of a series: the points whose x falls in
 * `[chart.x0 + i·chart.bucketWidth, chart.x0 + (i+1)·chart.bucketWidth)`.
 * `first`/`last` are the bucket's first and last points in step order (then timestamp); `min`
 * and `max` are over its non-NaN values, so every spike is kept.
 */
export interface ChartBucket {
  i: number;
  /** Points in the bucket, NaN included. */
  n: number;
  /** NaN points in the bucket. */
  nans: number;
  firstX: number;
  first: number;
  lastX: number;
  last: number;
  /** NaN when every point of the bucket is NaN. */
  min: number;
  max: number;
}

export interface ChartSeries {
  runId: string;
  /** Points in the whole stored series (any x). */
  total: number;
  /** Min and max of the series' non-NaN values over its whole history; null when it has none. */
  min: number | null;
  max: number | null;
  /** x of the series' first and last points on this axis; null for an empty series. */
  xFirst: number | null;
  xLast: number | null;
  /** For `relative`: the timestamp (ms) that x = 0 stands for (the series' first timestamp); else 0. */
  origin: number;
  /** The non-empty buckets within the range, in x order. */
  buckets: ChartBucket[];
}

/** A chart query's answer: the same buckets for every series, so runs line up. */
export interface MetricChart {
  key: string;
  xAxis: ChartXAxis;
  /** Left edge of bucket 0. Step charts align buckets to storage blocks, so this can be a little left of the asked `xMin`. */
  x0: number;
  /** Width of one bucket in x units (steps or ms); ≥ 1. */
  bucketWidth: number;
  /** Number of buckets covering the range (≤ the asked count). */
  bucketCount: number;
  series: ChartSeries[];
}
