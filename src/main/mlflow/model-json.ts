import type { ModelVersion, RegisteredModel } from '../core/registry/registry-types';
import type { LoggedModel } from '../core/tracking/logged-models';
import type { RunInputs } from '../core/tracking/run-inputs';
import { metricValueToJson } from './mlflow-json';

/**
 * Registry entities, logged models and run inputs/outputs → MLflow's proto3 JSON, as the real
 * 3.5 server writes them (../shared/notes/mlflow-rest.md §2; the recorded traffic in
 * test/fixtures/mlflow/real-client-3.5.1-traffic.jsonl): snake_case, int64 as numbers,
 * version numbers as strings, empty lists and unset fields left out.
 */

type Json = Record<string, unknown>;

function kv(record: Record<string, string>): Array<{ key: string; value: string }> | undefined {
  const entries = Object.entries(record);
  return entries.length ? entries.map(([key, value]) => ({ key, value })) : undefined;
}

function compact(o: Json): Json {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null));
}

/**
 * ModelVersion: `description`, `run_id` and `run_link` are always present ("" when unset), as
 * the real server sends them; `aliases` only when the version has some (and only where the
 * service filled them in). `model_id` is not sent: the 3.5 server does not send it either.
 */
export function modelVersionToJson(v: ModelVersion): Json {
  return compact({
    name: v.name,
    version: String(v.version),
    creation_timestamp: v.creationTime,
    last_updated_timestamp: v.lastUpdatedTime,
    user_id: v.userId ?? undefined,
    current_stage: v.currentStage,
    description: v.description,
    source: v.source,
    run_id: v.runId,
    status: v.status,
    status_message: v.statusMessage ?? undefined,
    tags: kv(v.tags),
    run_link: v.runLink,
    aliases: v.aliases.length ? v.aliases : undefined,
  });
}

/** RegisteredModel with `latest_versions` (no aliases inside), tags and `{alias, version}` aliases. */
export function registeredModelToJson(m: RegisteredModel): Json {
  return compact({
    name: m.name,
    creation_timestamp: m.creationTime,
    last_updated_timestamp: m.lastUpdatedTime,
    user_id: m.userId ?? undefined,
    description: m.description ?? undefined,
    latest_versions: m.latestVersions.length ? m.latestVersions.map((v) => modelVersionToJson({ ...v, aliases: [] })) : undefined,
    tags: kv(m.tags),
    aliases: m.aliases.length ? m.aliases.map((a) => ({ alias: a.alias, version: String(a.version) })) : undefined,
  });
}

/**
 * LoggedModel `{info, data}`: tags sorted by key, `model_type` always present, metrics with
 * `model_id` and `run_id` (NaN and ±Infinity as strings).
 */
export function loggedModelToJson(m: LoggedModel): Json {
  return {
    info: compact({
      model_id: m.modelId,
      experiment_id: m.experimentId,
      name: m.name,
      creation_timestamp_ms: m.creationTime,
      last_updated_timestamp_ms: m.lastUpdatedTime,
      artifact_uri: m.artifactUri,
      status: m.status,
      model_type: m.modelType,
      source_run_id: m.sourceRunId ?? undefined,
      status_message: m.statusMessage ?? undefined,
      tags: kv(m.tags),
    }),
    data: compact({
      params: kv(m.params),
      metrics: m.metrics.length
        ? m.metrics.map((x) =>
            compact({
              key: x.key,
              value: metricValueToJson(x.value),
              timestamp: x.timestamp,
              step: x.step,
              dataset_name: x.datasetName ?? undefined,
              dataset_digest: x.datasetDigest ?? undefined,
              model_id: m.modelId,
              run_id: x.runId ?? undefined,
            }),
          )
        : undefined,
    }),
  };
}

/** RunInputs: `{dataset_inputs?, model_inputs?}` (`{}` when the run has none). */
export function runInputsToJson(inputs: RunInputs): Json {
  return compact({
    dataset_inputs: inputs.datasetInputs.length
      ? inputs.datasetInputs.map((d) =>
          compact({
            tags: d.tags.length ? d.tags : undefined,
            dataset: compact({
              name: d.dataset.name,
              digest: d.dataset.digest,
              source_type: d.dataset.sourceType,
              source: d.dataset.source,
              schema: d.dataset.schema,
              profile: d.dataset.profile,
            }),
          }),
        )
      : undefined,
    model_inputs: inputs.modelInputs.length ? inputs.modelInputs.map((m) => ({ model_id: m.modelId })) : undefined,
  });
}

/** RunOutputs: `{model_outputs?: [{model_id, step}]}`. */
export function runOutputsToJson(outputs: Array<{ modelId: string; step: number }>): Json {
  return outputs.length ? { model_outputs: outputs.map((o) => ({ model_id: o.modelId, step: o.step })) } : {};
}
