import { lazy, Suspense } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import { call } from '../api/client';
import type { ChangeEvent } from '../../../shared/api/types';
import { TERMINAL_STATUSES } from '../../../shared/api/types';
import { ArtifactsBrowser } from '../components/artifacts/artifacts-browser';
import { ErrorPanel } from '../components/error-panel';
import { LogView } from '../components/log-view/log-view';
import { RunOverview } from '../components/run-overview';
import { DatasetInputs } from '../components/dataset-inputs/dataset-inputs';
import { RunSummary } from '../components/run-summary';
import { parseRunTab, RunTabs, type RunTab } from '../components/run-tabs';
import { useLiveQuery } from '../hooks/use-live-query';
import './run-detail-page.css';
import { RunSystemPanel } from '../components/gpu-dashboard/run-system-panel';

// Monaco is large: the code tab loads it only when opened.
const CodeView = lazy(() => import('../components/code/code-view'));

export function RunDetailPage() {
  const runId = useParams().runId ?? '';
  const [params, setParams] = useSearchParams();
  const tab = parseRunTab(params.get('tab'));
  const run = useLiveQuery(
    `run:${runId}`,
    () => call((c) => c.runs.get({ runId })),
    (e: ChangeEvent) => e.kind !== 'experiment' && e.runId === runId,
  );
  const execution = useLiveQuery(
    `execution:${runId}`,
    () => call((c) => c.runs.execution({ runId })),
    (e: ChangeEvent) => e.kind === 'run' && e.runId === runId,
  );
  const experimentId = run.data?.info.experimentId;
  const experiment = useLiveQuery(
    `experiment:${experimentId ?? ''}`,
    () => (experimentId ? call((c) => c.experiments.get({ experimentId })) : Promise.resolve(undefined)),
    (e: ChangeEvent) => e.kind === 'experiment' && e.experimentId === experimentId,
  );

  const selectTab = (t: RunTab) => setParams(t === 'overview' ? {} : { tab: t });

  if (run.error && !run.data) {
    return (
      <div className="run-detail">
        <Link to="/" className="back-link">
          ← All runs
        </Link>
        <ErrorPanel error={run.error} title={run.error.code === 'RESOURCE_DOES_NOT_EXIST' ? 'Run not found' : undefined} onRetry={run.refetch} />
      </div>
    );
  }
  if (!run.data) return <div className="muted loading">Loading run…</div>;
  const { info } = run.data;
  const active = !TERMINAL_STATUSES.includes(info.status);

  return (
    <div className="run-detail">
      <Link to={`/experiments/${encodeURIComponent(info.experimentId)}`} className="back-link">
        ← {experiment.data?.name ?? 'Runs'}
      </Link>
      {run.error && <ErrorPanel error={run.error} title="Could not refresh this run" onRetry={run.refetch} />}
      <RunSummary info={info} experiment={experiment.data ?? undefined} execution={execution.data} />
      <RunTabs tab={tab} onSelect={selectTab} />
      <div id="run-tab-panel" role="tabpanel" aria-labelledby={`tab-${tab}`} className="run-tab-panel">
        {tab === 'overview' && <RunOverview run={run.data} />}
        {tab === 'overview' && <DatasetInputs runId={runId} />}
        {tab === 'logs' && <LogView runId={runId} active={active} hasExecution={execution.data !== null} />}
        {tab === 'artifacts' && <ArtifactsBrowser runId={runId} />}
        {tab === 'system' && <RunSystemPanel runId={runId} />}
        {tab === 'code' && (
          <Suspense fallback={<div className="muted loading">Loading the code viewer…</div>}>
            <CodeView runId={runId} command={execution.data?.command} />
          </Suspense>
        )}
      </div>
    </div>
  );
}
