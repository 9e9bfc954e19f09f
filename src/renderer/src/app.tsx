import { useEffect } from 'react';
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { startChangeFeed } from './api/change-feed';
import { AppFrame } from './components/app-frame';
import { RunDetailPage } from './pages/run-detail-page';
import { RunsPage } from './pages/runs-page';

export function App() {
  useEffect(() => startChangeFeed(), []);
  return (
    <HashRouter>
      <Routes>
        <Route element={<AppFrame />}>
          <Route index element={<RunsPage />} />
          <Route path="experiments/:experimentId" element={<RunsPage />} />
          <Route path="runs/:runId" element={<RunDetailPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </HashRouter>
  );
}
