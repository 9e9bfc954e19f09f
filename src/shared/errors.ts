/**
 * Lathe's error codes. They follow MLflow's `error_code` names so the same code reaches a
 * training script through the MLflow REST API and the UI through the typed API.
 * Source of the code → HTTP status table: MLflow `mlflow/protos/databricks.proto` and
 * `mlflow/server/handlers.py` (see ../shared/notes/mlflow-rest.md §1.3).
 */
export const ERROR_STATUS = {
  INVALID_PARAMETER_VALUE: 400,
  BAD_REQUEST: 400,
  RESOURCE_ALREADY_EXISTS: 400,
  RESOURCE_DOES_NOT_EXIST: 404,
  ENDPOINT_NOT_FOUND: 404,
  UNAUTHENTICATED: 401,
  PERMISSION_DENIED: 403,
  RESOURCE_CONFLICT: 409,
  INVALID_STATE: 500,
  INTERNAL_ERROR: 500,
  NOT_IMPLEMENTED: 501,
  TEMPORARILY_UNAVAILABLE: 503,
} as const;

export type ErrorCode = keyof typeof ERROR_STATUS;

/** The shape every error takes when it crosses a transport (HTTP, MessagePort, CLI --json). */
export interface ErrorBody {
  code: ErrorCode | string;
  message: string;
  details?: Record<string, unknown>;
}

/**
 * A domain error thrown by core services. Transports turn it into `{code, message, details}`
 * with the HTTP status from {@link ERROR_STATUS}.
 */
export class LatheError extends Error {
  readonly code: ErrorCode;
  readonly details?: Record<string, unknown>;

  constructor(code: ErrorCode, message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = 'LatheError';
    this.code = code;
    this.details = details;
  }

  /** HTTP status for this error's code. */
  get status(): number {
    return ERROR_STATUS[this.code];
  }

  toBody(): ErrorBody {
    return this.details ? { code: this.code, message: this.message, details: this.details } : { code: this.code, message: this.message };
  }
}
