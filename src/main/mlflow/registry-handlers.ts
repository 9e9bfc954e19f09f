import { assertCanRegister, assertInstallToken } from './auth';
import type { JsonHandler } from './handler-types';
import { searchPageToJson } from './mlflow-json';
import { modelVersionToJson, registeredModelToJson } from './model-json';
import { type Fields, keyValues, list, optString, reqString, searchPage } from './request-body';

/**
 * The model registry routes (../shared/notes/mlflow-rest.md §3.7). GET routes take query
 * fields, the others JSON bodies (DELETE included). Reads are open to every token; writes need
 * the install token, except that a run token may create a registered model and register its
 * own run's model as a version (what `log_model(registered_model_name=…)` does in a training
 * script). Errors: 404 RESOURCE_DOES_NOT_EXIST (model or version), 400 RESOURCE_ALREADY_EXISTS
 * (taken name), 400 INVALID_PARAMETER_VALUE (bad input; also a missing alias, as the real
 * server answers), 403 PERMISSION_DENIED.
 */

/** MLflow's defaults for the two searches (the client sends 100 and 10000). */
const MODELS_DEFAULT = 100;
const VERSIONS_DEFAULT = 10_000;

function bool(fields: Fields, name: string): boolean {
  const v = fields[name];
  return v === true || (typeof v === 'string' && v.toLowerCase() === 'true');
}

// ---------------------------------------------------------------- registered models

/**
 * `POST registered-models/create` {name*, tags?, description?} → `{registered_model}`; a taken
 * name is 400 RESOURCE_ALREADY_EXISTS (which `mlflow.register_model` expects and ignores).
 */
export const createRegisteredModel: JsonHandler = ({ core, fields }) => {
  const m = core.registry.createRegisteredModel(reqString(fields, 'name'), {
    tags: keyValues(fields, 'tags'),
    description: optString(fields, 'description'),
  });
  return { registered_model: registeredModelToJson(m) };
};

/** `GET registered-models/get` {name*} → `{registered_model}`. */
export const getRegisteredModel: JsonHandler = ({ core, fields }) => ({ registered_model: registeredModelToJson(core.registry.getRegisteredModel(reqString(fields, 'name'))) });

/** `POST registered-models/rename` {name*, new_name*} → `{registered_model}`. */
export const renameRegisteredModel: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'rename registered models');
  return { registered_model: registeredModelToJson(core.registry.renameRegisteredModel(reqString(fields, 'name'), reqString(fields, 'new_name'))) };
};

/** `PATCH registered-models/update` {name*, description?} → `{registered_model}`. */
export const updateRegisteredModel: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'update registered models');
  return { registered_model: registeredModelToJson(core.registry.updateRegisteredModel(reqString(fields, 'name'), optString(fields, 'description') ?? null)) };
};

/** `DELETE registered-models/delete` {name*} → `{}`: the model with all its versions. */
export const deleteRegisteredModel: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'delete registered models');
  core.registry.deleteRegisteredModel(reqString(fields, 'name'));
  return {};
};

/** `GET registered-models/search` {filter?, max_results? (100), order_by?, page_token?} → `{registered_models?, next_page_token?}`. */
export const searchRegisteredModels: JsonHandler = ({ core, fields }) => {
  const found = core.registry.searchRegisteredModels({ filter: optString(fields, 'filter'), orderBy: list(fields, 'order_by').map(String), ...searchPage(fields, MODELS_DEFAULT) });
  return searchPageToJson('registered_models', found, registeredModelToJson);
};

/** `POST|GET registered-models/get-latest-versions` {name*, stages?} → `{model_versions?}` (one per stage). */
export const getLatestVersions: JsonHandler = ({ core, fields }) => {
  const versions = core.registry.getLatestVersions(reqString(fields, 'name'), list(fields, 'stages').map(String));
  return versions.length ? { model_versions: versions.map(modelVersionToJson) } : {};
};

/** `POST registered-models/set-tag` {name*, key*, value*} → `{}`. */
export const setRegisteredModelTag: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'tag registered models');
  core.registry.setRegisteredModelTag(reqString(fields, 'name'), reqString(fields, 'key'), optString(fields, 'value') ?? '');
  return {};
};

/** `DELETE registered-models/delete-tag` {name*, key*} → `{}` (a missing tag is fine). */
export const deleteRegisteredModelTag: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'tag registered models');
  core.registry.setRegisteredModelTag(reqString(fields, 'name'), reqString(fields, 'key'), null);
  return {};
};

/** `POST registered-models/alias` {name*, alias*, version*} → `{}`; `latest` and `v<N>` are reserved (400), a missing version is 404. */
export const setAlias: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'set aliases');
  core.registry.setAlias(reqString(fields, 'name'), reqString(fields, 'alias'), reqString(fields, 'version'));
  return {};
};

/** `GET registered-models/alias` {name*, alias*} → `{model_version}` with `aliases`; a missing alias is 400. */
export const getAlias: JsonHandler = ({ core, fields }) => ({ model_version: modelVersionToJson(core.registry.getVersionByAlias(reqString(fields, 'name'), reqString(fields, 'alias'))) });

/** `DELETE registered-models/alias` {name*, alias*} (JSON body) → `{}`. */
export const deleteAlias: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'delete aliases');
  core.registry.deleteAlias(reqString(fields, 'name'), reqString(fields, 'alias'));
  return {};
};

// ---------------------------------------------------------------- model versions

/**
 * `POST model-versions/create` {name*, source*, run_id?, tags?, run_link?, description?,
 * model_id?} → `{model_version}`, READY at once. A local-path source (`x`, `/tmp/m`, `file:`)
 * is 400; a `models:/<model_id>` source resolves to the logged model's artifacts, and the
 * logged model's `mlflow.modelVersions` tag gets the new version.
 */
export const createModelVersion: JsonHandler = ({ core, principal, fields }) => {
  const input = {
    name: reqString(fields, 'name'),
    source: reqString(fields, 'source'),
    runId: optString(fields, 'run_id') || undefined,
    runLink: optString(fields, 'run_link'),
    description: optString(fields, 'description'),
    modelId: optString(fields, 'model_id') || undefined,
    tags: keyValues(fields, 'tags'),
  };
  assertCanRegister(principal, core, input);
  const v = core.registry.createModelVersion(input);
  if (v.modelId) core.loggedModels.addModelVersion(v.modelId, v.name, v.version);
  return { model_version: modelVersionToJson(v) };
};

/** `GET model-versions/get` {name*, version*} → `{model_version}`; missing → 404. */
export const getModelVersion: JsonHandler = ({ core, fields }) => ({ model_version: modelVersionToJson(core.registry.getModelVersion(reqString(fields, 'name'), reqString(fields, 'version'))) });

/** `PATCH model-versions/update` {name*, version*, description?} → `{model_version}`. */
export const updateModelVersion: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'update model versions');
  return { model_version: modelVersionToJson(core.registry.updateModelVersion(reqString(fields, 'name'), reqString(fields, 'version'), optString(fields, 'description') ?? '')) };
};

/** `DELETE model-versions/delete` {name*, version*} → `{}`; the number is never reused. */
export const deleteModelVersion: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'delete model versions');
  core.registry.deleteModelVersion(reqString(fields, 'name'), reqString(fields, 'version'));
  return {};
};

/** `GET model-versions/search` {filter?, max_results? (10000), order_by?, page_token?} → `{model_versions?, next_page_token?}`. */
export const searchModelVersions: JsonHandler = ({ core, fields }) => {
  const found = core.registry.searchModelVersions({ filter: optString(fields, 'filter'), orderBy: list(fields, 'order_by').map(String), ...searchPage(fields, VERSIONS_DEFAULT) });
  return searchPageToJson('model_versions', found, modelVersionToJson);
};

/** `POST model-versions/transition-stage` {name*, version*, stage*, archive_existing_versions} → `{model_version}`. */
export const transitionStage: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'change model stages');
  const v = core.registry.transitionStage(reqString(fields, 'name'), reqString(fields, 'version'), reqString(fields, 'stage'), bool(fields, 'archive_existing_versions'));
  return { model_version: modelVersionToJson(v) };
};

/** `POST model-versions/set-tag` {name*, version*, key*, value*} → `{}`. */
export const setModelVersionTag: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'tag model versions');
  core.registry.setModelVersionTag(reqString(fields, 'name'), reqString(fields, 'version'), reqString(fields, 'key'), optString(fields, 'value') ?? '');
  return {};
};

/** `DELETE model-versions/delete-tag` {name*, version*, key*} → `{}`. */
export const deleteModelVersionTag: JsonHandler = ({ core, principal, fields }) => {
  assertInstallToken(principal, 'tag model versions');
  core.registry.setModelVersionTag(reqString(fields, 'name'), reqString(fields, 'version'), reqString(fields, 'key'), null);
  return {};
};

/** `GET model-versions/get-download-uri` {name*, version*} → `{artifact_uri}` (a logged model's artifacts for `models:/` sources). */
export const getDownloadUri: JsonHandler = ({ core, fields }) => ({ artifact_uri: core.registry.getDownloadUri(reqString(fields, 'name'), reqString(fields, 'version')) });
