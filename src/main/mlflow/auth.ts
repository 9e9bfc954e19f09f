import type http from 'node:http';
import type { Core } from '../core/create-core';
import { tokenMatches } from '../server/request-guard';
import { artifactUriToRelPath } from '../core/artifacts/artifact-paths';
import { MlflowError } from './http-reply';

/**
 * Who is calling: the install token (full access), or a per-run token handed to a run's
 * training code (reads anything, writes only to its own run). DESIGN.md, Security.
 */
export type Principal = { kind: 'install' } | { kind: 'run'; runId: string };

/**
 * The secret a request presents: `Authorization: Bearer <token>` (MLFLOW_TRACKING_TOKEN), or
 * the password of `Authorization: Basic` (MLFLOW_TRACKING_USERNAME / MLFLOW_TRACKING_PASSWORD;
 * the user name is ignored). §1.1 of ../shared/notes/mlflow-rest.md.
 */
export function presentedSecret(req: http.IncomingMessage): string | undefined {
  const auth = req.headers.authorization?.trim();
  if (!auth) return undefined;
  const space = auth.indexOf(' ');
  if (space < 0) return undefined;
  const scheme = auth.slice(0, space).toLowerCase();
  const value = auth.slice(space + 1).trim();
  if (scheme === 'bearer') return value || undefined;
  if (scheme === 'basic') {
    const decoded = Buffer.from(value, 'base64').toString('utf8');
    const colon = decoded.indexOf(':');
    return colon >= 0 ? decoded.slice(colon + 1) || undefined : undefined;
  }
  return undefined;
}

/**
 * Authenticates a request against the install token and the per-run tokens.
 * @throws MlflowError 401 UNAUTHENTICATED when no token, or an unknown one, is presented.
 */
export function authenticate(req: http.IncomingMessage, core: Core, installToken: string): Principal {
  const secret = presentedSecret(req);
  if (secret) {
    if (tokenMatches(secret, installToken)) return { kind: 'install' };
    const runId = core.runTokens.resolve(secret);
    if (runId) return { kind: 'run', runId };
  }
  throw new MlflowError(
    'UNAUTHENTICATED',
    secret ? 'Unknown or revoked API token' : 'An API token is required: set MLFLOW_TRACKING_TOKEN (Authorization: Bearer <token>)',
    401,
    { 'www-authenticate': 'Bearer realm="lathe"' },
  );
}

/**
 * Writes to a run: allowed to the install token and to that run's own token.
 * @throws MlflowError 403 PERMISSION_DENIED otherwise.
 */
export function assertCanWriteRun(p: Principal, runId: string): void {
  if (p.kind === 'run' && p.runId !== runId) {
    throw new MlflowError('PERMISSION_DENIED', `This run token may only write to run ${p.runId}, not ${runId}`);
  }
}

/**
 * Writes that belong to no single run (create an experiment or a run): install token only.
 * @throws MlflowError 403 PERMISSION_DENIED for a per-run token.
 */
export function assertInstallToken(p: Principal, what: string): void {
  if (p.kind !== 'install') throw new MlflowError('PERMISSION_DENIED', `A run token may not ${what}; only the run's own data can be written`);
}

/**
 * Artifact writes (upload, delete): a per-run token may write only under its run's artifact
 * folder (`<experiment_id>/<run_id>/artifacts/…`, from the run's artifact URI), or under the
 * folder of a logged model created from its run (`<experiment_id>/models/<model_id>/artifacts/…`,
 * from the model's artifact URI), which is where MLflow 3's `log_model` uploads.
 * @throws MlflowError 403 PERMISSION_DENIED otherwise.
 */
export function assertCanWriteArtifact(p: Principal, core: Core, rootRel: string): void {
  if (p.kind === 'install') return;
  const prefix = core.artifacts.runPrefix(p.runId);
  if (rootRel.startsWith(`${prefix}/`)) return;
  const modelId = /^[^/]+\/models\/([^/]+)\/artifacts\//.exec(rootRel)?.[1];
  const model = modelId ? core.loggedModels.find(modelId) : undefined;
  if (model && model.sourceRunId === p.runId && rootRel.startsWith(`${artifactUriToRelPath(model.artifactUri)}/`)) return;
  throw new MlflowError('PERMISSION_DENIED', `This run token may only upload artifacts under ${prefix}/ or the folders of models logged from its run`);
}

/**
 * Writes to a logged model (finalize, tags, params, delete): the install token, or the token of
 * the run the model was logged from.
 * @throws MlflowError 403 PERMISSION_DENIED otherwise; LatheError 404 for an unknown model.
 */
export function assertCanWriteModel(p: Principal, core: Core, modelId: string): void {
  if (p.kind === 'install') return;
  if (core.loggedModels.get(modelId).sourceRunId !== p.runId) {
    throw new MlflowError('PERMISSION_DENIED', `This run token may only change models logged from run ${p.runId}`);
  }
}

/**
 * Registering a model version (`model-versions/create`): the install token, or a run token
 * registering its own run's model (`run_id` is its run, or `model_id` / a `models:/<id>` source
 * names a model logged from its run), which is what `log_model(registered_model_name=…)` and
 * `mlflow.register_model` do inside a training script.
 * @throws MlflowError 403 PERMISSION_DENIED otherwise.
 */
export function assertCanRegister(p: Principal, core: Core, v: { runId?: string; modelId?: string; source?: string }): void {
  if (p.kind === 'install') return;
  const modelId = v.modelId || /^models:\/(m-[0-9a-f]+)\/?$/.exec(v.source ?? '')?.[1];
  const ownModel = modelId ? core.loggedModels.find(modelId)?.sourceRunId === p.runId : false;
  const ownRun = v.runId === p.runId && (!modelId || ownModel);
  if (!ownModel && !ownRun) throw new MlflowError('PERMISSION_DENIED', `This run token may only register models of run ${p.runId}`);
}
