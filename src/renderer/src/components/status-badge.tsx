import type { RunStatus } from '../../../shared/api/types';
import './status-badge.css';

export function StatusBadge({ status }: { status: RunStatus }) {
  return (
    <span className={`status-badge status-${status.toLowerCase()}`} data-testid="run-status" data-status={status}>
      <span className="status-dot" aria-hidden="true" />
      {status.charAt(0) + status.slice(1).toLowerCase()}
    </span>
  );
}
