import { Outlet } from 'react-router';
import { useConnectionStore } from '../state/connection-store';
import { AppHeader } from './app-header';
import { AuthPanel } from './auth-panel';
import { Sidebar } from './sidebar';

export function AppFrame() {
  const unauthenticated = useConnectionStore((s) => s.state === 'unauthenticated');
  return (
    <div className="app">
      <AppHeader />
      <div className="app-body">
        <Sidebar />
        <main className="app-main">{unauthenticated ? <AuthPanel /> : <Outlet />}</main>
      </div>
    </div>
  );
}
