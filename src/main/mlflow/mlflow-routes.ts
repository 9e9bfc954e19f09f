import type http from 'node:http';
import type { Core } from '../core/create-core';
import type { HttpRoute } from '../server/http-server';
import { LATHE_VERSION } from '../core/version';
import { authenticate } from './auth';
import type { JsonHandler } from './handler-types';
import { MlflowError, sendJson, sendMlflowError, toMlflowError } from './http-reply';
import { queryFields, readJsonBody } from './request-body';
import { createExperiment, getExperiment, getExperimentByName, searchExperimentsHandler } from './experiments-handlers';
import { createRun, deleteRun, getRun, restoreRun, updateRun } from './runs-handlers';
import { deleteTag, getMetricHistory, logBatch, logMetric, logParameter, setTag } from './logging-handlers';
import { decodeArtifactPath, downloadArtifact, listArtifacts, listRunArtifacts, uploadArtifact } from './artifacts-handlers';

const TRACKING = '/api/2.0/mlflow/';
const ARTIFACTS = '/api/2.0/mlflow-artifacts/artifacts';

type Method = 'GET' | 'POST' | 'PATCH' | 'DELETE' | 'PUT';

/**
 * The JSON routes under `/api/2.0/mlflow/` (../shared/notes/mlflow-rest.md §3, §7), by path
 * then method.
 */
const ROUTES: Record<string, Partial<Record<Method, JsonHandler>>> = {
  'experiments/create': { POST: createExperiment },
  'experiments/get': { GET: getExperiment },
  'experiments/get-by-name': { GET: getExperimentByName },
  'experiments/search': { POST: searchExperimentsHandler, GET: searchExperimentsHandler },
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
  'metrics/get-history': { GET: getMetricHistory },
  'artifacts/list': { GET: listRunArtifacts },
  // 3.x clients search logged models before every `runs:/` download (§3.5). Lathe stores no
  // logged models yet, so the truthful answer is an empty result.
  'logged-models/search': { POST: () => ({}) },
};

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
    throw wrongMethod(method, ARTIFACTS, ['GET', 'PUT']);
  }

  let handler: JsonHandler | undefined;
  if (rawPath === ARTIFACTS) {
    if (method !== 'GET') throw wrongMethod(method, rawPath, ['GET']);
    handler = listArtifacts;
  } else if (rawPath.startsWith(TRACKING)) {
    const byMethod = ROUTES[rawPath.slice(TRACKING.length)];
    if (!byMethod) throw notFound(method, rawPath);
    handler = byMethod[method as Method];
    if (!handler) throw wrongMethod(method, rawPath, Object.keys(byMethod));
  } else {
    throw notFound(method, rawPath);
  }
  const fields = method === 'GET' ? queryFields(url.searchParams) : await readJsonBody(req);
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
 *   token reads anything and writes only to its own run (403 PERMISSION_DENIED).
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
      if ((err as { code?: string } | null)?.code === 'ECONNRESET' || req.socket.destroyed) {
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
