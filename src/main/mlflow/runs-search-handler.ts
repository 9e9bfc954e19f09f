import type { ViewType } from '../../shared/api/search-types';
import { encodeOffsetToken } from '../core/search/page-token';
import type { JsonHandler } from './handler-types';
import { MlflowError } from './http-reply';
import { metricToJson, metricValueToJson } from './mlflow-json';
import { type Fields, list, optInt64, optString, reqString, runIdOf } from './request-body';
import { runWithIoToJson } from './runs-handlers';

/**
 * Run search and metric history reads of the MLflow API (../shared/notes/mlflow-rest.md §3.2,
 * §3.4), answered by core.search (src/main/core/search). Reads are open to any valid token.
 */

/** ViewType as a name or its proto number (1 ACTIVE_ONLY, 2 DELETED_ONLY, 3 ALL). */
function viewType(f: Fields, name: string): ViewType | undefined {
  const raw = optString(f, name);
  if (raw === undefined || raw === '') return undefined;
  const v = ({ '1': 'ACTIVE_ONLY', '2': 'DELETED_ONLY', '3': 'ALL' } as Record<string, ViewType>)[raw] ?? raw.toUpperCase();
  if (v === 'ACTIVE_ONLY' || v === 'DELETED_ONLY' || v === 'ALL') return v;
  throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${raw} for parameter '${name}' supplied: expected ACTIVE_ONLY, DELETED_ONLY or ALL`);
}

/** A repeated string field (experiment_ids, order_by, run_ids); numbers are taken as their text. */
function strings(f: Fields, name: string): string[] {
  return list(f, name).map((v, i) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number') return String(v);
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${JSON.stringify(v)} for parameter '${name}[${i}]' supplied: expected a string`);
  });
}

/**
 * `POST|GET runs/search` {experiment_ids, filter?, run_view_type? (default ACTIVE_ONLY),
 * max_results? (default 1000, at most 50000), order_by?: [string], page_token?} →
 * `{runs?, next_page_token?}`. As the real SQL store: no experiment_ids gives `{}`; the token is
 * base64 `{"offset": N}` and comes whenever the page is full (so the last full page is
 * followed by an empty one); runs carry `inputs` but no `outputs`.
 * Errors: 400 INVALID_PARAMETER_VALUE for a bad filter (naming the position and token),
 * order_by, page token, view type or max_results.
 */
export const searchRuns: JsonHandler = ({ core, fields }) => {
  const maxResults = optInt64(fields, 'max_results') ?? 1000;
  if (maxResults === 0) return {};
  const res = core.search.runs.search({
    experimentIds: strings(fields, 'experiment_ids'),
    filter: optString(fields, 'filter'),
    orderBy: strings(fields, 'order_by'),
    viewType: viewType(fields, 'run_view_type'),
    maxResults,
    pageToken: optString(fields, 'page_token'),
  });
  return {
    ...(res.runs.length ? { runs: res.runs.map((r) => runWithIoToJson(core, r, { outputs: false })) } : {}),
    ...(res.runs.length === maxResults ? { next_page_token: encodeOffsetToken(res.offset + maxResults) } : {}),
  };
};

/**
 * `GET metrics/get-history` {run_id | run_uuid, metric_key*, max_results?, page_token?} →
 * `{metrics?, next_page_token?}` in the real SQL server's order (timestamp, then step, then
 * value). Without max_results the whole history comes in one page; with it, pages follow a
 * keyset cursor (`next_page_token` while more points remain). An unknown key gives `{}`.
 * Errors: 400 (missing metric_key, bad max_results or page_token), 404 (unknown run).
 */
export const getMetricHistoryPaged: JsonHandler = ({ core, fields }) => {
  const runId = runIdOf(fields);
  const key = reqString(fields, 'metric_key');
  const page = core.search.history.page(runId, key, { maxResults: optInt64(fields, 'max_results'), pageToken: optString(fields, 'page_token') });
  return {
    ...(page.points.length ? { metrics: page.points.map(metricToJson) } : {}),
    ...(page.nextPageToken ? { next_page_token: page.nextPageToken } : {}),
  };
};

/**
 * `GET metrics/get-history-bulk-interval` {run_ids* (repeated, ≤ 100), metric_key*,
 * start_step?, end_step? (both or neither), max_results? (1–2500, default 2500)} →
 * `{metrics?: [{key, value, timestamp, step, run_id}]}`: MLflow's sampled steps across runs
 * (metric-history.ts). Errors: 400 INVALID_PARAMETER_VALUE, 404 for an unknown run.
 */
export const getMetricHistoryBulkInterval: JsonHandler = ({ core, fields }) => {
  const runIds = strings(fields, 'run_ids');
  const key = reqString(fields, 'metric_key');
  const points = core.search.history.bulkInterval(runIds, key, {
    startStep: optInt64(fields, 'start_step'),
    endStep: optInt64(fields, 'end_step'),
    maxResults: optInt64(fields, 'max_results'),
  });
  return points.length
    ? { metrics: points.map((p) => ({ key: p.key, value: metricValueToJson(p.value), timestamp: p.timestamp, step: p.step, run_id: p.runId })) }
    : {};
};
