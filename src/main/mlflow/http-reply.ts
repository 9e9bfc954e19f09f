import type http from 'node:http';
import { LatheError } from '../../shared/errors';

/**
 * HTTP status for each MLflow `error_code`: MLflow's own table (mlflow/server/handlers.py,
 * ../shared/notes/mlflow-rest.md §1.3). Note RESOURCE_ALREADY_EXISTS is 400, not 409.
 */
export const MLFLOW_ERROR_STATUS: Record<string, number> = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  NOT_FOUND: 404,
  ENDPOINT_NOT_FOUND: 404,
  INVALID_STATE: 500,
  INTERNAL_ERROR: 500,
  DATA_LOSS: 500,
  PERMISSION_DENIED: 403,
  UNAUTHENTICATED: 401,
  CUSTOMER_UNAUTHORIZED: 401,
  RESOURCE_CONFLICT: 409,
  ABORTED: 409,
  ALREADY_EXISTS: 409,
  REQUEST_LIMIT_EXCEEDED: 429,
  RESOURCE_EXHAUSTED: 429,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
  DEADLINE_EXCEEDED: 504,
};

/**
 * An MLflow error answer: `{"error_code", "message"}` with the status of {@link MLFLOW_ERROR_STATUS}
 * unless `status` overrides it (405 for a wrong method).
 */
export class MlflowError extends Error {
  constructor(
    readonly errorCode: string,
    message: string,
    readonly status: number = MLFLOW_ERROR_STATUS[errorCode] ?? 500,
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'MlflowError';
  }
}

/** The MLflow client's wording for a missing required field (§3 notation `*`). */
export function missingField(field: string): MlflowError {
  return new MlflowError(
    'INVALID_PARAMETER_VALUE',
    `Missing value for required parameter '${field}'. See the API docs for more information about request parameters.`,
  );
}

/** Writes a JSON body with Content-Length. `{}` for empty answers (§1.2). */
export function sendJson(res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  const json = JSON.stringify(body);
  res.writeHead(status, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(json), ...headers });
  res.end(json);
}

/** Writes `{"error_code", "message"}` with its status. */
export function sendMlflowError(res: http.ServerResponse, err: MlflowError): void {
  sendJson(res, err.status, { error_code: err.errorCode, message: err.message }, err.headers);
}

/**
 * Turns anything thrown by a handler into an MLflow error: LatheError keeps its code and
 * status; a busy database becomes 503 TEMPORARILY_UNAVAILABLE with Retry-After (the client
 * retries it politely); anything else is 500 INTERNAL_ERROR.
 */
export function toMlflowError(err: unknown): MlflowError {
  if (err instanceof MlflowError) return err;
  if (err instanceof LatheError) return new MlflowError(err.code, err.message, err.status);
  const code = (err as { code?: unknown } | null)?.code;
  if (code === 'SQLITE_BUSY' || code === 'SQLITE_LOCKED') {
    return new MlflowError('TEMPORARILY_UNAVAILABLE', 'The store is busy; retry shortly', 503, { 'retry-after': '1' });
  }
  return new MlflowError('INTERNAL_ERROR', err instanceof Error ? err.message : String(err), 500);
}
