import type http from 'node:http';
import type { Core } from '../core/create-core';
import type { HttpRoute } from '../server/http-server';
import { LATHE_VERSION } from '../core/version';
import { authenticate } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError, sendJson, sendMlflowError, toMlflowError } from './http-reply';
import { queryFields, readJsonBody } from './request-body';
import * as experiments from './experiments-handlers';
import { createRun, deleteRun, getRun, logInputs, logModel, logOutputs, restoreRun, updateRun } from './runs-handlers';
import { deleteTag, logBatch, logMetric, logParameter, setTag } from './logging-handlers';
import { getMetricHistoryBulkInterval, getMetricHistoryPaged, searchRuns } from './runs-search-handler';
import { decodeArtifactPath, deleteArtifact, downloadArtifact, listArtifacts, listRunArtifacts, uploadArtifact } from './artifacts-handlers';
import * as models from './logged-models-handlers';
import * as registry from './registry-handlers';

const TRACKING = '/api/2.0/mlflow/';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';
const MULTIPART = /^\/api\/2\.0\/mlflow-artifacts\/mpu\/(?:create|complete|abort)\//;

/**
 * The answer to proxied multipart uploads (§3.5, opt-in on the client): 501 NOT_IMPLEMENTED with
 * exactly `mlflow.exceptions._UnsupportedMultipartUploadException.MESSAGE`, the one message on
 * which the client falls back to a single streamed PUT.
 */
export const UNSUPPORTED_MULTIPART_MESSAGE = 'Multipart upload is not supported for the current artifact repository';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/**
 * The JSON routes under `/api/2.0/mlflow/` (../shared/notes/mlflow-rest.md §3, §7), by path
 * then method.
 */
const ROUTES: Record<string, Partial<Record<Method, JsonHandler>>> = {
  'experiments/create': { POST: experiments.createExperiment },
  'experiments/get': { GET: experiments.getExperiment },
  'experiments/get-by-name': { GET: experiments.getExperimentByName },
  'experiments/search': { POST: experiments.searchExperimentsHandler, GET: experiments.searchExperimentsHandler },
  'experiments/update': { POST: experiments.updateExperiment },
  'experiments/delete': { POST: experiments.deleteExperiment },
  'experiments/restore': { POST: experiments.restoreExperiment },
  'experiments/set-experiment-tag': { POST: experiments.setExperimentTag },
  'experiments/delete-experiment-tag': { POST: experiments.deleteExperimentTag },
  'runs/create': { POST: createRun },
  'runs/get': { GET: getRun },
  'runs/update': { POST: updateRun },
  'runs/delete': { POST: deleteRun },
  'runs/restore': { POST: restoreRun },
  'runs/log-metric': { POST: logMetric },
  'runs/log-parameter': { POST: logParameter },
  'runs/set-tag': { POST: setTag },
  'runs/delete-tag': { POST: deleteTag },
  'runs/log-batch': { POST: logBatch },
  'runs/log-inputs': { POST: logInputs },
  'runs/outputs': { POST: logOutputs },
  'runs/log-model': { POST: logModel },
  'runs/search': { POST: searchRuns, GET: searchRuns },
  'metrics/get-history': { GET: getMetricHistoryPaged },
  'metrics/get-history-bulk-interval': { GET: getMetricHistoryBulkInterval },
  'artifacts/list': { GET: listRunArtifacts },
  // MLflow 3 logged models (§3.6); 3.x clients search them before every `runs:/` download.
  'logged-models': { POST: models.createLoggedModel },
  'logged-models/search': { POST: models.searchLoggedModels },
  // The model registry (§3.7).
  'registered-models/create': { POST: registry.createRegisteredModel },
  'registered-models/get': { GET: registry.getRegisteredModel },
  'registered-models/rename': { POST: registry.renameRegisteredModel },
  'registered-models/update': { PATCH: registry.updateRegisteredModel },
  'registered-models/delete': { DELETE: registry.deleteRegisteredModel },
  'registered-models/search': { GET: registry.searchRegisteredModels },
  'registered-models/get-latest-versions': { POST: registry.getLatestVersions, GET: registry.getLatestVersions },
  'registered-models/set-tag': { POST: registry.setRegisteredModelTag },
  'registered-models/delete-tag': { DELETE: registry.deleteRegisteredModelTag },
  'registered-models/alias': { POST: registry.setAlias, GET: registry.getAlias, DELETE: registry.deleteAlias },
  'model-versions/create': { POST: registry.createModelVersion },
  'model-versions/get': { GET: registry.getModelVersion },
  'model-versions/update': { PATCH: registry.updateModelVersion },
  'model-versions/delete': { DELETE: registry.deleteModelVersion },
  'model-versions/search': { GET: registry.searchModelVersions },
  'model-versions/transition-stage': { POST: registry.transitionStage },
  'model-versions/set-tag': { POST: registry.setModelVersionTag },
  'model-versions/delete-tag': { DELETE: registry.deleteModelVersionTag },
  'model-versions/get-download-uri': { GET: registry.getDownloadUri },
};

/**
 * Routes with values in the path (`logged-models/{model_id}…`), tried after {@link ROUTES}. The
 * named groups become request fields (percent-decoded).
 */
const PATH_ROUTES: Array<{ pattern: RegExp; byMethod: Partial<Record<Method, JsonHandler>> }> = [
  { pattern: /^logged-models\/(?<model_id>[^/]+)$/, byMethod: { GET: models.getLoggedModel, PATCH: models.finalizeLoggedModel, DELETE: models.deleteLoggedModel } },
  { pattern: /^logged-models\/(?<model_id>[^/]+)\/tags$/, byMethod: { PATCH: models.setLoggedModelTags } },
  { pattern: /^logged-models\/(?<model_id>[^/]+)\/tags\/(?<tag_key>.+)$/, byMethod: { DELETE: models.deleteLoggedModelTag } },
  { pattern: /^logged-models\/(?<model_id>[^/]+)\/params$/, byMethod: { POST: models.logLoggedModelParams } },
  { pattern: /^logged-models\/(?<model_id>[^/]+)\/artifacts\/directories$/, byMethod: { GET: models.listLoggedModelArtifacts } },
];

/** The handlers for a tracking route (relative to `/api/2.0/mlflow/`) and its path values. */
function findRoute(route: string): { byMethod: Partial<Record<Method, JsonHandler>>; params: Record<string, string> } | undefined {
  const exact = ROUTES[route];
  if (exact) return { byMethod: exact, params: {} };
  for (const r of PATH_ROUTES) {
    const m = r.pattern.exec(route);
    if (!m) continue;
    try {
      return { byMethod: r.byMethod, params: Object.fromEntries(Object.entries(m.groups ?? {}).map(([k, v]) => [k, decodeURIComponent(v)])) };
    } catch {
      throw new MlflowError('INVALID_PARAMETER_VALUE', 'Invalid path: malformed percent-encoding');
    }
  }
  return undefined;
}

function notFound(method: string, path: string): MlflowError {
  return new MlflowError('ENDPOINT_NOT_FOUND', `No MLflow API route ${method} ${path}`, 404);
}

/**
 * A wrong method on a known route: 405 with an Allow header. The error_code is
 * ENDPOINT_NOT_FOUND, which is what the client's fallbacks (e.g. POST → GET for
 * get-latest-versions) look for; the real server sends an HTML page here.
 */
function wrongMethod(method: string, path: string, allowed: string[]): MlflowError {
  return new MlflowError('ENDPOINT_NOT_FOUND', `${method} is not allowed on ${path}; use ${allowed.join(' or ')}`, 405, { allow: allowed.join(', ') });
}

async function dispatch(req: http.IncomingMessage, res: http.ServerResponse, url: URL, core: Core, token: string, rawPath: string): Promise<void> {
  const method = (req.method ?? 'GET').toUpperCase();
  const principal = authenticate(req, core, token);

  if (rawPath.startsWith(`${ARTIFACTS}/`)) {
    const rootRel = decodeArtifactPath(rawPath.slice(ARTIFACTS.length + 1));
    if (method === 'PUT') return uploadArtifact(req, res, core, principal, rootRel);
    if (method === 'GET') return downloadArtifact(res, core, rootRel);
    if (method === 'DELETE') return deleteArtifact(res, core, principal, rootRel);
    throw wrongMethod(method, ARTIFACTS, ['GET', 'PUT', 'DELETE']);
  }

  if (MULTIPART.test(rawPath)) {
    req.resume();
    if (method !== 'POST') throw wrongMethod(method, rawPath, ['POST']);
    throw new MlflowError('NOT_IMPLEMENTED', UNSUPPORTED_MULTIPART_MESSAGE);
  }

  let handler: JsonHandler | undefined;
  let params: Record<string, string> = {};
  if (rawPath === ARTIFACTS) {
    if (method !== 'GET') throw wrongMethod(method, rawPath, ['GET']);
    handler = listArtifacts;
  } else if (rawPath.startsWith(TRACKING)) {
    const found = findRoute(rawPath.slice(TRACKING.length));
    if (!found) throw notFound(method, rawPath);
    handler = found.byMethod[method as Method];
    if (!handler) throw wrongMethod(method, rawPath, Object.keys(found.byMethod));
    params = found.params;
  } else {
    throw notFound(method, rawPath);
  }
  const fields = { ...(method === 'GET' ? queryFields(url.searchParams) : await readJsonBody(req)), ...params };
  const body = await handler({ core, principal, fields });
  sendJson(res, 200, body ?? {});
}

/**
 * The MLflow-compatible REST API as an {@link HttpRoute} for `startHttpServer`:
 * - `GET /version` (no token): Lathe's version as text;
 * - everything under `/api/` (tracking `/api/2.0/mlflow/…`, artifacts
 *   `/api/2.0/mlflow-artifacts/…`; anything else there is 404 ENDPOINT_NOT_FOUND, so the
 *   client's fallbacks, e.g. traces v3 → v2, work). These need `Authorization: Bearer
 *   <token>` or Basic with the token as password (401 UNAUTHENTICATED otherwise); a per-run
 *   token reads anything and writes only to its own run, the logged models created from it
 *   (and their artifact folders), and the registry entries that register them (auth.ts;
 *   403 PERMISSION_DENIED otherwise).
 * Errors are `{"error_code", "message"}` with MLflow's statuses (§1.3). `/health` is answered
 * by the HTTP server itself.
 */
export function createMlflowRoutes(core: Core, token: string): HttpRoute {
  return async (req, res, url) => {
    // The raw path, not url.pathname: URL parsing resolves `..` and `%2e%2e` segments, which
    // would hide a traversal attempt instead of refusing it.
    const rawPath = (req.url ?? '/').split('?')[0]!;
    if (rawPath === '/version' && (req.method === 'GET' || req.method === 'HEAD')) {
      res.writeHead(200, { 'content-type': 'text/plain; charset=utf-8', 'content-length': Buffer.byteLength(LATHE_VERSION) });
      res.end(req.method === 'HEAD' ? undefined : LATHE_VERSION);
      return true;
    }
    if (!rawPath.startsWith('/api/')) return false;
    try {
      await dispatch(req, res, url, core, token, rawPath);
    } catch (err) {
      if ((err as { code?: string } | null)?.code === 'ECONNRESET' || !req.socket || req.socket.destroyed) {
        // The client went away mid-request (an aborted upload): nothing to answer.
        res.destroy();
        return true;
      }
      const e = toMlflowError(err);
      if (e.status >= 500) console.error(`[mlflow] ${req.method} ${rawPath}: ${err instanceof Error ? (err.stack ?? err.message) : String(err)}`);
      if (!res.headersSent) sendMlflowError(res, e);
      else res.destroy();
    }
    return true;
  };
}
