import type { Experiment } from '../../shared/api/types';
import { assertInstallToken } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError } from './http-reply';
import { encodePageToken, experimentToJson } from './mlflow-json';
import { keyValues, list, optString, reqString, searchPage } from './request-body';
import { searchExperiments } from './experiment-search';

/** MLflow's ceiling for search max_results (SEARCH_MAX_RESULTS_THRESHOLD). */
const MAX_RESULTS_LIMIT = 50_000;

/**
 * `POST experiments/create` {name*, artifact_location?, tags?} → `{experiment_id}` (§3.1).
 * `artifact_location` is ignored: Lathe always serves artifacts as `mlflow-artifacts:/<id>`.
 * Install token only. Errors: 400 INVALID_PARAMETER_VALUE (missing/empty/too long name),
 * 400 RESOURCE_ALREADY_EXISTS (duplicate name), 403 for a run token.
 */
export const createExperiment: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'create experiments');
  const name = reqString(fields, 'name');
  const tags = Object.fromEntries(keyValues(fields, 'tags').map((t) => [t.key, t.value ?? '']));
  const e = core.tracking.createExperiment(name, tags);
  return { experiment_id: e.experimentId };
};

/** `GET experiments/get` {experiment_id*} → `{experiment}`; unknown id → 404 RESOURCE_DOES_NOT_EXIST. */
export const getExperiment: JsonHandler = ({ core, fields }) => {
  return { experiment: experimentToJson(core.tracking.getExperiment(reqString(fields, 'experiment_id'))) };
};

/**
 * `GET experiments/get-by-name` {experiment_name*} → `{experiment}`; an unknown name is 404
 * RESOURCE_DOES_NOT_EXIST, which the client reads as "none" before creating it.
 */
export const getExperimentByName: JsonHandler = ({ core, fields }) => {
  return { experiment: experimentToJson(core.tracking.getExperimentByName(reqString(fields, 'experiment_name'))) };
};

/**
 * `POST|GET experiments/search` {max_results (default 1000), page_token?, filter?, order_by?,
 * view_type (ACTIVE_ONLY | DELETED_ONLY | ALL)} → `{experiments?, next_page_token?}`.
 * Filter and order_by: the subset in experiment-search.ts. Page tokens are base64
 * `{"offset": N}`, present whenever a page came back full (the real store's behaviour).
 * Errors: 400 INVALID_PARAMETER_VALUE for a bad view_type, max_results, page_token or filter.
 */
export const searchExperimentsHandler: JsonHandler = ({ core, fields }) => {
  const viewType = (optString(fields, 'view_type') ?? 'ACTIVE_ONLY').toUpperCase();
  if (!['ACTIVE_ONLY', 'DELETED_ONLY', 'ALL'].includes(viewType)) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid view_type '${viewType}' (ACTIVE_ONLY, DELETED_ONLY or ALL)`);
  }
  const { maxResults, offset } = searchPage(fields, 1000, MAX_RESULTS_LIMIT);
  const orderBy = list(fields, 'order_by').map(String);
  const all = core.tracking.listExperiments(viewType !== 'ACTIVE_ONLY');
  const byView = viewType === 'DELETED_ONLY' ? all.filter((e: Experiment) => e.lifecycleStage === 'deleted') : all;
  const found = searchExperiments(byView, optString(fields, 'filter'), orderBy);
  const page = found.slice(offset, offset + maxResults);
  return {
    ...(page.length ? { experiments: page.map(experimentToJson) } : {}),
    ...(page.length === maxResults ? { next_page_token: encodePageToken(offset + maxResults) } : {}),
  };
};

/**
 * `POST experiments/update` {experiment_id*, new_name} → `{}`: renames (§3.1). Install token only.
 * Errors: 404 RESOURCE_DOES_NOT_EXIST, 400 RESOURCE_ALREADY_EXISTS (name taken),
 * 400 INVALID_PARAMETER_VALUE (empty name, deleted experiment).
 */
export const updateExperiment: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'rename experiments');
  const id = reqString(fields, 'experiment_id');
  const newName = optString(fields, 'new_name');
  if (newName !== undefined) core.tracking.renameExperiment(id, newName);
  else core.tracking.getExperiment(id);
  return {};
};

/**
 * `POST experiments/delete` {experiment_id*} → `{}`: soft delete of the experiment and its runs,
 * as MLflow does. Install token only. Errors: 404, 400 for the Default experiment "0".
 */
export const deleteExperiment: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'delete experiments');
  core.tracking.setExperimentLifecycle(reqString(fields, 'experiment_id'), 'deleted');
  return {};
};

/** `POST experiments/restore` {experiment_id*} → `{}`: undoes a delete (its runs too). Install token only. */
export const restoreExperiment: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'restore experiments');
  core.tracking.setExperimentLifecycle(reqString(fields, 'experiment_id'), 'active');
  return {};
};

/**
 * `POST experiments/set-experiment-tag` {experiment_id*, key*, value*} → `{}`. Install token only.
 * Errors: 404, 400 (bad key, value over 5000 characters, deleted experiment).
 */
export const setExperimentTag: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'tag experiments');
  core.tracking.setExperimentTag(reqString(fields, 'experiment_id'), reqString(fields, 'key'), optString(fields, 'value') ?? '');
  return {};
};

/** `POST experiments/delete-experiment-tag` {experiment_id*, key*} → `{}`; a missing tag is 404. Install token only. */
export const deleteExperimentTag: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'tag experiments');
  core.tracking.setExperimentTag(reqString(fields, 'experiment_id'), reqString(fields, 'key'), null);
  return {};
};
