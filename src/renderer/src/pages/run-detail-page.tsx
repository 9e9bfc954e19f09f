import { useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { call } from '../api/client';
import type { ChangeEvent } from '../../../shared/api/types';
import { ErrorPanel } from '../components/error-panel';
import { KeyValueTable } from '../components/key-value-table';
import { MetricChart } from '../components/metric-chart';
import { MetricsTable } from '../components/metrics-table';
import { RunSummary } from '../components/run-summary';
import { useLiveQuery } from '../hooks/use-live-query';
import './run-detail-page.css';

export function RunDetailPage() {
  const runId = useParams().runId ?? '';
  const run = useLiveQuery(
    `run:${runId}`,
    () => call((c) => c.runs.get({ runId })),
    (e: ChangeEvent) => e.kind !== 'experiment' && e.runId === runId,
  );
  const experimentId = run.data?.info.experimentId;
  const experiment = useLiveQuery(
    `experiment:${experimentId ?? ''}`,
    () => (experimentId ? call((c) => c.experiments.get({ experimentId })) : Promise.resolve(undefined)),
    (e: ChangeEvent) => e.kind === 'experiment' && e.experimentId === experimentId,
  );
  // User metrics first, `system/…` (GPU series) after them.
  const metrics = useMemo(
    () =>
      [...(run.data?.metrics ?? [])].sort(
        (a, b) => Number(a.key.startsWith('system/')) - Number(b.key.startsWith('system/')) || a.key.localeCompare(b.key),
      ),
    [run.data],
  );

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
  const { info, params, tags } = run.data;

  return (
    <div className="run-detail">
      <Link to={`/experiments/${encodeURIComponent(info.experimentId)}`} className="back-link">
        ← {experiment.data?.name ?? 'Runs'}
      </Link>
      {run.error && <ErrorPanel error={run.error} title="Could not refresh this run" onRetry={run.refetch} />}
      <RunSummary info={info} experiment={experiment.data ?? undefined} />

      <section className="section">
        <h2 className="section-title">Charts</h2>
        {metrics.length === 0 ? (
          <p className="muted">No metrics logged yet; charts appear with the first point.</p>
        ) : (
          <div className="chart-grid">
            {metrics.map((m) => (
              <MetricChart key={m.key} runId={info.runId} metricKey={m.key} latest={m} />
            ))}
          </div>
        )}
      </section>

      <div className="detail-tables">
        <section className="section">
          <h2 className="section-title">Latest metrics</h2>
          <MetricsTable metrics={metrics} />
        </section>
        <section className="section">
          <h2 className="section-title">Params</h2>
          <KeyValueTable rows={Object.entries(params)} testId="params-table" keyHeader="Param" empty="No params logged" />
        </section>
        <section className="section">
          <h2 className="section-title">Tags</h2>
          <KeyValueTable rows={Object.entries(tags)} testId="tags-table" keyHeader="Tag" empty="No tags" />
        </section>
      </div>
    </div>
  );
}
