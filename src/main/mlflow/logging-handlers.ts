import type { Core } from '../core/create-core';
import type { MetricIn } from '../core/tracking/tracking-service';
import { assertCanWriteRun } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError, missingField } from './http-reply';
import { type Fields, keyValues, list, optInt64, optString, reqString, runIdOf } from './request-body';

/**
 * Logging routes (../shared/notes/mlflow-rest.md §3.3, §3.4). Each write is allowed to the
 * install token and to the run's own token (403 PERMISSION_DENIED for another run's token).
 * Common errors: 400 INVALID_PARAMETER_VALUE for a missing required field, a bad key or
 * value, a changed param or a deleted run; 404 RESOURCE_DOES_NOT_EXIST for an unknown run.
 */

type WireMetric = MetricIn & { timestamp: number; step: number; modelId?: string; datasetName?: string; datasetDigest?: string };

/**
 * A metric as sent on the wire: key*, value* (number or "NaN"/"Infinity"/"-Infinity"/numeric
 * string), timestamp* (ms, number or numeric string), step (default 0). 3.x extras: `model_id`
 * (the point is also recorded as that logged model's metric), `dataset_name`,
 * `dataset_digest`; `run_id` is ignored (the request's run counts).
 */
function metricIn(f: Fields, prefix = ''): WireMetric {
  const key = optString(f, 'key');
  if (key === undefined || key === '') throw missingField(`${prefix}key`);
  if (f.value === undefined || f.value === null) throw missingField(`${prefix}value`);
  const timestamp = optInt64(f, 'timestamp');
  if (timestamp === undefined) throw missingField(`${prefix}timestamp`);
  return {
    key,
    value: f.value,
    timestamp,
    step: optInt64(f, 'step') ?? 0,
    modelId: optString(f, 'model_id') || undefined,
    datasetName: optString(f, 'dataset_name') || undefined,
    datasetDigest: optString(f, 'dataset_digest') || undefined,
  };
}

/** Records points that carry a `model_id` as metrics of that logged model too (MLflow 3). */
function logModelMetrics(core: Core, runId: string, metrics: WireMetric[]): void {
  const withModel = metrics.filter((m): m is WireMetric & { modelId: string } => m.modelId !== undefined);
  core.loggedModels.logMetrics(runId, withModel);
}

/** `POST runs/log-metric` {run_id | run_uuid, key*, value*, timestamp*, step?} → `{}`. */
export const logMetric: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  const metric = metricIn(fields);
  core.tracking.logBatch(runId, { metrics: [metric] });
  logModelMetrics(core, runId, [metric]);
  return {};
};

/**
 * `POST runs/log-parameter` {run_id | run_uuid, key*, value} → `{}`. A missing value is
 * stored as `""`; values over 6000 characters are truncated; the same value again is fine,
 * another value is 400.
 */
export const logParameter: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  core.tracking.logBatch(runId, { params: [{ key: reqString(fields, 'key'), value: optString(fields, 'value') ?? '' }] });
  return {};
};

/** `POST runs/set-tag` {run_id | run_uuid, key*, value} → `{}`. Overwrites; values over 8000 characters are truncated. */
export const setTag: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  core.tracking.logBatch(runId, { tags: [{ key: reqString(fields, 'key'), value: optString(fields, 'value') ?? '' }] });
  return {};
};

/** `POST runs/delete-tag` {run_id*, key*} → `{}`; an unknown tag is 404 RESOURCE_DOES_NOT_EXIST. */
export const deleteTag: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  core.tracking.deleteTag(runId, reqString(fields, 'key'));
  return {};
};

/**
 * `POST runs/log-batch` {run_id*, metrics?, params?, tags?} → `{}`, all or nothing. Limits:
 * ≤1000 metrics, ≤100 params, ≤100 tags, ≤1000 entities in total; duplicate param keys with
 * different values are refused. An identical metric point logged again (NaN included) is
 * accepted and stored once.
 */
export const logBatch: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  const metrics = list(fields, 'metrics').map((m, i) => {
    if (m === null || typeof m !== 'object' || Array.isArray(m)) {
      throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value for parameter 'metrics[${i}]' supplied: expected an object`);
    }
    return metricIn(m as Fields, `metrics[${i}].`);
  });
  const params = keyValues(fields, 'params').map((p) => ({ key: p.key, value: p.value ?? '' }));
  const tags = keyValues(fields, 'tags').map((t) => ({ key: t.key, value: t.value ?? '' }));
  core.tracking.logBatch(runId, { metrics, params, tags });
  logModelMetrics(core, runId, metrics);
  return {};
};
