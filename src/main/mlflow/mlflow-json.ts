import type { Experiment, MetricPoint, Run, RunInfo, RunStatus } from '../../shared/api/types';
import type { ArtifactFileInfo } from '../core/artifacts/artifact-store';
import { encodeOffsetToken } from '../core/search/page-token';

/**
 * Lathe entities → MLflow's proto3 JSON (snake_case field names, int64 as JSON numbers,
 * empty lists and unset fields left out). Shapes: ../shared/notes/mlflow-rest.md §2.
 */

type Json = Record<string, unknown>;

/** `[{key, value}]`, or undefined when empty (so the field is omitted). */
function keyValueList(record: Record<string, string>): Array<{ key: string; value: string }> | undefined {
  const entries = Object.entries(record);
  return entries.length ? entries.map(([key, value]) => ({ key, value })) : undefined;
}

/** Drops undefined fields (JSON.stringify would too; this keeps objects comparable in tests). */
function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined));
}

/**
 * A metric value as MLflow writes it: numbers as numbers, NaN as `"NaN"`, ±Infinity as
 * `"Infinity"` / `"-Infinity"` (JSON has no literal for them; the client's parser accepts
 * these strings, §1.6).
 */
export function metricValueToJson(value: number): number | string {
  if (Number.isNaN(value)) return 'NaN';
  if (value === Number.POSITIVE_INFINITY) return 'Infinity';
  if (value === Number.NEGATIVE_INFINITY) return '-Infinity';
  return value;
}

/** Lathe's statuses as MLflow's RunStatus: QUEUED (Lathe's GPU queue) is reported as SCHEDULED. */
export function statusToMlflow(status: RunStatus): string {
  return status === 'QUEUED' ? 'SCHEDULED' : status;
}

/** Experiment (§2): experiment_id, name, artifact_location, lifecycle_stage, times in ms, tags?. */
export function experimentToJson(e: Experiment): Json {
  return compact({
    experiment_id: e.experimentId,
    name: e.name,
    artifact_location: e.artifactLocation,
    lifecycle_stage: e.lifecycleStage,
    last_update_time: e.lastUpdateTime,
    creation_time: e.creationTime,
    tags: keyValueList(e.tags),
  });
}

/**
 * RunInfo (§2) with both `run_id` and the deprecated `run_uuid` (§1.2); `end_time` only once
 * the run has ended.
 */
export function runInfoToJson(info: RunInfo): Json {
  return compact({
    run_uuid: info.runId,
    experiment_id: info.experimentId,
    run_name: info.name,
    user_id: info.userId,
    status: statusToMlflow(info.status),
    start_time: info.startTime,
    end_time: info.endTime ?? undefined,
    artifact_uri: info.artifactUri,
    lifecycle_stage: info.lifecycleStage,
    run_id: info.runId,
  });
}

/** Metric (§2): key, value (number or "NaN"/"Infinity"/"-Infinity"), timestamp ms, step. */
export function metricToJson(m: MetricPoint): Json {
  return { key: m.key, value: metricValueToJson(m.value), timestamp: m.timestamp, step: m.step };
}

/**
 * Run (§2): `{info, data: {metrics?, params?, tags?}, inputs, outputs}`; `data.metrics` holds the
 * latest value per key. The real server sends `"inputs": {}` always and `"outputs": {}` from
 * runs/get but not from runs/create or runs/search (observed in the recorded traffic).
 * @param opts.outputs false to leave `outputs` out (runs/create, runs/search), or the rendered
 *   RunOutputs (model-json.ts runOutputsToJson); default `{}`.
 * @param opts.inputs the rendered RunInputs (model-json.ts runInputsToJson); default `{}`.
 */
export function runToJson(run: Run, opts: { outputs?: boolean | Json; inputs?: Json } = {}): Json {
  return {
    info: runInfoToJson(run.info),
    data: compact({
      metrics: run.metrics.length ? run.metrics.map(metricToJson) : undefined,
      params: keyValueList(run.params),
      tags: keyValueList(run.tags),
    }),
    inputs: opts.inputs ?? {},
    ...(opts.outputs === false ? {} : { outputs: typeof opts.outputs === 'object' ? opts.outputs : {} }),
  };
}

/** FileInfo (§2): path, is_dir, file_size (files only). */
export function fileInfoToJson(f: ArtifactFileInfo): Json {
  return f.isDir ? { path: f.path, is_dir: true } : { path: f.path, is_dir: false, file_size: f.fileSize ?? 0 };
}

/** `next_page_token` as the real SQL store writes it: base64 of `{"offset": N}` (§3.2). */
export { encodeOffsetToken as encodePageToken } from '../core/search/page-token';

/** A page of an offset-paged search as `{<key>?, next_page_token?}`, each left out when there is none. */
export function searchPageToJson<T>(key: string, found: { items: T[]; nextOffset?: number }, toJson: (item: T) => unknown): Json {
  return {
    ...(found.items.length ? { [key]: found.items.map(toJson) } : {}),
    ...(found.nextOffset !== undefined ? { next_page_token: encodeOffsetToken(found.nextOffset) } : {}),
  };
}

/**
 * Reads a page token written by {@link encodePageToken}; absent gives offset 0.
 * @returns the offset, or null for a token that is not one of ours.
 */
export function decodePageToken(token: string | undefined): number | null {
  if (!token) return 0;
  try {
    const parsed = JSON.parse(Buffer.from(token, 'base64').toString('utf8')) as { offset?: unknown };
    return Number.isSafeInteger(parsed.offset) && (parsed.offset as number) >= 0 ? (parsed.offset as number) : null;
  } catch {
    return null;
  }
}
