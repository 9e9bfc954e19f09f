import type { Run, RunStatus } from '../../shared/api/types';
import type { Core } from '../core/create-core';
import { assertCanWriteRun, assertInstallToken } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError } from './http-reply';
import { runInfoToJson, runToJson } from './mlflow-json';
import { fieldsOf, keyValues, list, optInt64, optString, reqString, runIdOf } from './request-body';
import { runInputsToJson, runOutputsToJson } from './model-json';

/** The statuses MLflow's RunStatus enum has (Lathe's QUEUED is not one of them). */
const MLFLOW_STATUSES: readonly RunStatus[] = ['RUNNING', 'SCHEDULED', 'FINISHED', 'FAILED', 'KILLED'];

/**
 * `POST runs/create` {experiment_id, user_id?, run_name?, start_time? (ms), tags?} → `{run}`
 * with status RUNNING (§3.2). `run_name` and the `mlflow.runName` tag are kept in step; when
 * both are given they must agree. Install token only.
 * Errors: 400 BAD_REQUEST without experiment_id (the real server's quirk, §6), 404
 * RESOURCE_DOES_NOT_EXIST for an unknown experiment, 400 INVALID_PARAMETER_VALUE for a name/tag
 * mismatch or a bad tag key, 403 for a run token.
 */
export const createRun: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'create runs');
  const experimentId = optString(fields, 'experiment_id');
  if (!experimentId) throw new MlflowError('BAD_REQUEST', "runs/create needs an 'experiment_id' (\"0\" is the Default experiment)");
  const tags = keyValues(fields, 'tags');
  const runName = optString(fields, 'run_name') || undefined;
  const nameTag = tags.find((t) => t.key === 'mlflow.runName')?.value;
  if (runName && nameTag && runName !== nameTag) {
    throw new MlflowError(
      'INVALID_PARAMETER_VALUE',
      `Both 'run_name' argument and 'mlflow.runName' tag are specified, but with different values (run_name='${runName}', mlflow.runName='${nameTag}').`,
    );
  }
  const info = core.tracking.createRun({
    experimentId,
    name: runName,
    startTime: optInt64(fields, 'start_time'),
    userId: optString(fields, 'user_id'),
    tags,
  });
  return { run: runToJson(core.tracking.getRun(info.runId), { outputs: false }) };
};

/**
 * `GET runs/get` {run_id | run_uuid} → `{run}` with params, tags and the latest value of each
 * metric. Errors: 400 INVALID_PARAMETER_VALUE without an id, 404 RESOURCE_DOES_NOT_EXIST.
 */
export const getRun: JsonHandler = ({ core, fields }) => {
  return { run: runWithIoToJson(core, core.tracking.getRun(runIdOf(fields))) };
};

/**
 * A run as MLflow JSON with its dataset/model inputs and (unless `outputs: false`) its model
 * outputs filled in from the stores (runs/get; runs/search uses `outputs: false`, as the real
 * server sends no `outputs` there).
 */
export function runWithIoToJson(core: Core, run: Run, opts: { outputs?: boolean } = {}): Record<string, unknown> {
  const inputs = runInputsToJson(core.runInputs.getInputs(run.info.runId));
  const outputs = opts.outputs === false ? false : runOutputsToJson(core.loggedModels.getOutputs(run.info.runId));
  return runToJson(run, { inputs, outputs });
}

/**
 * `POST runs/update` {run_id | run_uuid, status?, end_time? (ms), run_name?} → `{run_info}`.
 * An unknown status string is ignored, as the real server does (§6). Renaming also updates
 * the `mlflow.runName` tag. Allowed to the install token and the run's own token.
 * Errors: 404 RESOURCE_DOES_NOT_EXIST, 403 for another run's token.
 */
export const updateRun: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  const rawStatus = optString(fields, 'status')?.toUpperCase();
  const status = MLFLOW_STATUSES.find((s) => s === rawStatus);
  const info = core.tracking.updateRun({
    runId,
    status,
    endTime: optInt64(fields, 'end_time'),
    name: optString(fields, 'run_name'),
  });
  return { run_info: runInfoToJson(info) };
};

/** `POST runs/delete` {run_id*} → `{}`: soft delete (lifecycle_stage deleted). */
export const deleteRun: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  core.tracking.setRunLifecycle(runId, 'deleted');
  return {};
};

/** `POST runs/restore` {run_id*} → `{}`: undoes a soft delete. */
export const restoreRun: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  core.tracking.setRunLifecycle(runId, 'active');
  return {};
};

/**
 * `POST runs/log-inputs` {run_id*, datasets?: [{dataset: {name*, digest*, source_type*, source*,
 * schema?, profile?}, tags?: [{key, value}]}], models?: [{model_id}]} → `{}` (§3.3). The same
 * dataset (name, digest) logged again is a no-op. Install token or the run's own token.
 * Errors: 404 (run), 400 (deleted run, missing field, value too long).
 */
export const logInputs: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  const datasets = list(fields, 'datasets').map((raw) => {
    const d = fieldsOf(fieldsOf(raw).dataset);
    return {
      dataset: {
        name: optString(d, 'name') ?? '',
        digest: optString(d, 'digest') ?? '',
        sourceType: optString(d, 'source_type') ?? '',
        source: optString(d, 'source') ?? '',
        schema: optString(d, 'schema'),
        profile: optString(d, 'profile'),
      },
      tags: keyValues(fieldsOf(raw), 'tags').map((t) => ({ key: t.key, value: t.value ?? '' })),
    };
  });
  const models = list(fields, 'models').map((m) => ({ modelId: optString(fieldsOf(m), 'model_id') ?? '' }));
  core.runInputs.logInputs(runId, { datasets, models });
  return {};
};

/**
 * `POST runs/outputs` {run_id*, models: [{model_id, step}]} → `{}`: MLflow 3's record of the
 * models a run produced, shown in runs/get `outputs.model_outputs`. Install token or the run's
 * own token. Errors: 404 (run or model), 400 (deleted run).
 */
export const logOutputs: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  const models = list(fields, 'models').map((m) => {
    const f = fieldsOf(m);
    return { modelId: reqString(f, 'model_id'), step: optInt64(f, 'step') ?? 0 };
  });
  core.loggedModels.logOutputs(runId, models);
  return {};
};

/** Longest `mlflow.log-model.history` kept: older entries are dropped to stay a valid JSON list. */
const LOG_MODEL_HISTORY_LIMIT = 8000;

/**
 * `POST runs/log-model` {run_id*, model_json*} → `{}` (MLflow 2.x `log_model`): `model_json` is
 * the MLmodel as JSON (artifact_path, flavors, run_id, utc_time_created, …); it is appended to
 * the run's `mlflow.log-model.history` tag as the real server does. Install token or the run's
 * own token. Errors: 400 (not JSON, missing fields, deleted run), 404 (run).
 */
export const logModel: JsonHandler = ({ core, principal, fields }) => {
  const runId = runIdOf(fields);
  assertCanWriteRun(principal, runId);
  const text = reqString(fields, 'model_json');
  let model: Record<string, unknown>;
  try {
    model = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new MlflowError('INVALID_PARAMETER_VALUE', "Malformed model info. 'model_json' must be a JSON object.");
  }
  const missing = ['artifact_path', 'flavors', 'utc_time_created', 'run_id'].filter((k) => !model || typeof model !== 'object' || !(k in model));
  if (missing.length) throw new MlflowError('INVALID_PARAMETER_VALUE', `Model json is missing mandatory fields: [${missing.map((k) => `'${k}'`).join(', ')}]`);
  const prior = core.tracking.getRun(runId).tags['mlflow.log-model.history'];
  let history: unknown[] = [];
  try {
    const parsed = JSON.parse(prior ?? '[]') as unknown;
    if (Array.isArray(parsed)) history = parsed;
  } catch {
    // a malformed history is started afresh
  }
  history.push(model);
  while (history.length > 1 && JSON.stringify(history).length > LOG_MODEL_HISTORY_LIMIT) history.shift();
  core.tracking.logBatch(runId, { tags: [{ key: 'mlflow.log-model.history', value: JSON.stringify(history) }] });
  return {};
};
