import { artifactUriToRelPath, joinArtifactPath, splitArtifactPath } from '../core/artifacts/artifact-paths';
import { assertCanWriteModel, assertCanWriteRun } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError } from './http-reply';
import { fileInfoToJson, searchPageToJson } from './mlflow-json';
import { loggedModelToJson } from './model-json';
import { fieldsOf, keyValues, list, optString, reqString, searchPage } from './request-body';

/**
 * MLflow 3 logged models (../shared/notes/mlflow-rest.md §3.6). Routes with the model id in the
 * path get it as the `model_id` field (and a tag key as `tag_key`), see mlflow-routes.ts.
 * Writes are allowed to the install token and to the token of the model's source run.
 * Errors: 404 RESOURCE_DOES_NOT_EXIST (model, experiment, run), 400 INVALID_PARAMETER_VALUE.
 */

/** MLflow's default page size for logged-models/search. */
const SEARCH_DEFAULT = 50;
const SEARCH_MAX = 50_000;

/**
 * `POST logged-models` {experiment_id*, name?, model_type?, source_run_id?, params?, tags?} →
 * `{model}` in LOGGED_MODEL_PENDING with `artifact_uri mlflow-artifacts:/<exp>/models/<id>/artifacts`.
 * A run token may create models whose source run is its own run, in that run's experiment.
 */
export const createLoggedModel: JsonHandler = ({ core, principal, fields }) => {
  const experimentId = reqString(fields, 'experiment_id');
  const sourceRunId = optString(fields, 'source_run_id') || undefined;
  if (principal.kind === 'run') {
    if (!sourceRunId) throw new MlflowError('PERMISSION_DENIED', `A run token may only create models with source_run_id ${principal.runId}`);
    assertCanWriteRun(principal, sourceRunId);
    if (core.tracking.getRunInfo(sourceRunId).experimentId !== experimentId) {
      throw new MlflowError('PERMISSION_DENIED', "A run token may only create models in its run's experiment");
    }
  }
  const model = core.loggedModels.create({
    experimentId,
    name: optString(fields, 'name') || undefined,
    modelType: optString(fields, 'model_type') || undefined,
    sourceRunId,
    params: keyValues(fields, 'params'),
    tags: keyValues(fields, 'tags'),
  });
  return { model: loggedModelToJson(model) };
};

/** `GET logged-models/{id}` → `{model}`; unknown or deleted → 404. */
export const getLoggedModel: JsonHandler = ({ core, fields }) => {
  return { model: loggedModelToJson(core.loggedModels.get(reqString(fields, 'model_id'))) };
};

/** `PATCH logged-models/{id}` {status*: LOGGED_MODEL_READY | LOGGED_MODEL_UPLOAD_FAILED} → `{model}` (finalize). */
export const finalizeLoggedModel: JsonHandler = ({ core, principal, fields }) => {
  const modelId = reqString(fields, 'model_id');
  assertCanWriteModel(principal, core, modelId);
  return { model: loggedModelToJson(core.loggedModels.finalize(modelId, reqString(fields, 'status'), optString(fields, 'status_message'))) };
};

/** `DELETE logged-models/{id}` → `{}` (soft delete). */
export const deleteLoggedModel: JsonHandler = ({ core, principal, fields }) => {
  const modelId = reqString(fields, 'model_id');
  assertCanWriteModel(principal, core, modelId);
  core.loggedModels.delete(modelId);
  return {};
};

/** `PATCH logged-models/{id}/tags` {tags: [{key, value}]} → `{}`. */
export const setLoggedModelTags: JsonHandler = ({ core, principal, fields }) => {
  const modelId = reqString(fields, 'model_id');
  assertCanWriteModel(principal, core, modelId);
  core.loggedModels.setTags(modelId, keyValues(fields, 'tags'));
  return {};
};

/** `DELETE logged-models/{id}/tags/{key}` → `{}`; a missing tag is 404. */
export const deleteLoggedModelTag: JsonHandler = ({ core, principal, fields }) => {
  const modelId = reqString(fields, 'model_id');
  assertCanWriteModel(principal, core, modelId);
  core.loggedModels.deleteTag(modelId, reqString(fields, 'tag_key'));
  return {};
};

/** `POST logged-models/{id}/params` {params: [{key, value}]} → `{}`; a changed value is 400. */
export const logLoggedModelParams: JsonHandler = ({ core, principal, fields }) => {
  const modelId = reqString(fields, 'model_id');
  assertCanWriteModel(principal, core, modelId);
  core.loggedModels.logParams(modelId, keyValues(fields, 'params'));
  return {};
};

/**
 * `POST logged-models/search` {experiment_ids, filter?, datasets?: [{dataset_name, dataset_digest?}],
 * max_results? (default 50), order_by?: [{field_name, ascending, dataset_name?, dataset_digest?}],
 * page_token?} → `{models?, next_page_token?}`. 3.x clients send it before every `runs:/`
 * download; with no match the answer is `{}`.
 */
export const searchLoggedModels: JsonHandler = ({ core, fields }) => {
  const page = searchPage(fields, SEARCH_DEFAULT, SEARCH_MAX);
  const found = core.loggedModels.search({
    experimentIds: list(fields, 'experiment_ids').map(String),
    filter: optString(fields, 'filter'),
    datasets: list(fields, 'datasets').map((d) => ({ datasetName: optString(fieldsOf(d), 'dataset_name') ?? '', datasetDigest: optString(fieldsOf(d), 'dataset_digest') })),
    orderBy: list(fields, 'order_by').map((o) => {
      const f = fieldsOf(o);
      const asc = f.ascending;
      return {
        fieldName: reqString(f, 'field_name'),
        ascending: asc === undefined || asc === null ? true : asc === true || asc === 'true',
        datasetName: optString(f, 'dataset_name'),
        datasetDigest: optString(f, 'dataset_digest'),
      };
    }),
    ...page,
  });
  return searchPageToJson('models', found, loggedModelToJson);
};

/**
 * `GET logged-models/{id}/artifacts/directories` {artifact_directory_path?} →
 * `{root_uri, files?}`: a folder of the model's artifacts, names given from the model's root.
 */
export const listLoggedModelArtifacts: JsonHandler = async ({ core, fields }) => {
  const model = core.loggedModels.get(reqString(fields, 'model_id'));
  const rel = optString(fields, 'artifact_directory_path') ?? '';
  splitArtifactPath(rel);
  const files = await core.artifacts.listPath(joinArtifactPath(artifactUriToRelPath(model.artifactUri), rel));
  return {
    root_uri: model.artifactUri,
    ...(files.length ? { files: files.map((f) => fileInfoToJson({ ...f, path: joinArtifactPath(rel, f.path) })) } : {}),
  };
};
