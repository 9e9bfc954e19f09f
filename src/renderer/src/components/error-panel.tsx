import type { ApiError } from '../api/client';

interface ErrorPanelProps {
  error: ApiError;
  title?: string;
  onRetry?: () => void;
}

const TITLES: Record<string, string> = {
  RESOURCE_DOES_NOT_EXIST: 'Not found',
  NETWORK_ERROR: 'Cannot reach the Lathe server',
  INVALID_PARAMETER_VALUE: 'The request was refused',
  PERMISSION_DENIED: 'Permission denied',
};

/** An API failure as a person can read it: what went wrong, the server's code and message. */
export function ErrorPanel({ error, title, onRetry }: ErrorPanelProps) {
  return (
    <div className="panel panel-error" role="alert" data-testid="error-panel" data-error-code={error.code}>
      <div className="panel-title">{title ?? TITLES[error.code] ?? 'Something went wrong'}</div>
      <p className="panel-message">{error.message || 'No message from the server.'}</p>
      <p className="panel-detail">
        <code>{error.code}</code>
        {error.status > 0 && <span> · HTTP {error.status}</span>}
      </p>
      {onRetry && (
        <button type="button" className="button" onClick={onRetry}>
          Try again
        </button>
      )}
    </div>
  );
}
