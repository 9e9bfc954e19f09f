import { retryNow } from '../api/change-feed';
import { useConnectionStore, type ConnectionState } from '../state/connection-store';
import { useNow } from '../hooks/use-now';

const LABELS: Record<ConnectionState, string> = {
  connecting: 'Connecting…',
  connected: 'Connected',
  reconnecting: 'Reconnecting…',
  offline: 'Offline',
  unauthenticated: 'No access token',
};

export function ConnectionIndicator() {
  const { state, retryAt, lastError } = useConnectionStore();
  const waiting = (state === 'reconnecting' || state === 'offline') && retryAt !== null;
  const now = useNow(waiting);
  const secondsLeft = waiting && retryAt !== null ? Math.max(0, Math.ceil((retryAt - now) / 1000)) : null;
  return (
    <div className="connection" data-testid="connection-state" data-state={state} title={lastError ?? undefined}>
      <span className={`connection-dot connection-${state}`} aria-hidden="true" />
      <span className="connection-label">{LABELS[state]}</span>
      {secondsLeft !== null && (
        <>
          <span className="connection-retry muted">retry in {secondsLeft}s</span>
          <button type="button" className="button button-small" onClick={retryNow}>
            Retry now
          </button>
        </>
      )}
    </div>
  );
}
