import { useEffect } from 'react';
import { HashRouter, Navigate, Route, Routes } from 'react-router';
import { startChangeFeed } from './api/change-feed';
import { AppFrame } from './components/app-frame';
import { NewRunPage } from './pages/new-run-page';
import { RunDetailPage } from './pages/run-detail-page';
import { RunsPage } from './pages/runs-page';
import { ComparePage } from './pages/compare-page';
import { GpusPage } from './pages/gpus-page';
import { DatasetsPage } from './pages/datasets-page';
import { DatasetPage } from './pages/dataset-page';
import { DatasetInspectorPage } from './pages/dataset-inspector-page';
import { DatasetDiffPage } from './pages/dataset-diff-page';

export function App() {
  useEffect(() => startChangeFeed(), []);
  return (
    <HashRouter>
      <Routes>
        <Route element={<AppFrame />}>
          <Route index element={<RunsPage />} />
          <Route path="experiments/:experimentId" element={<RunsPage />} />
          <Route path="runs/new" element={<NewRunPage />} />
          <Route path="runs/:runId" element={<RunDetailPage />} />
          <Route path="compare" element={<ComparePage />} />
          <Route path="gpus" element={<GpusPage />} />
          <Route path="datasets" element={<DatasetsPage />} />
          <Route path="datasets/:name" element={<DatasetPage />} />
          <Route path="datasets/:name/versions/:version" element={<DatasetInspectorPage />} />
          <Route path="datasets/:name/diff/:from/:to" element={<DatasetDiffPage />} />
          <Route path="*" element={<Navigate to="/" replace />} />
        </Route>
      </Routes>
    </HashRouter>
  );
}
