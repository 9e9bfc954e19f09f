import type { RunStatus } from '../../shared/api/types';
import { assertCanWriteRun, assertInstallToken } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError } from './http-reply';
import { runInfoToJson, runToJson } from './mlflow-json';
import { keyValues, optInt64, optString, runIdOf } from './request-body';

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
  return { run: runToJson(core.tracking.getRun(runIdOf(fields))) };
};

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
