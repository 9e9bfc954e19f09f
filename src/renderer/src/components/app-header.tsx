import { Link } from 'react-router';
import { useConnectionStore } from '../state/connection-store';
import { ConnectionIndicator } from './connection-indicator';

export function AppHeader() {
  const version = useConnectionStore((s) => s.serverVersion);
  return (
    <header className="app-header">
      <Link to="/" className="brand">
        <span className="brand-mark" aria-hidden="true" />
        Lathe
      </Link>
      <div className="app-header-right">
        <ConnectionIndicator />
        {version && (
          <span className="version muted" data-testid="server-version">
            v{version}
          </span>
        )}
      </div>
    </header>
  );
}
