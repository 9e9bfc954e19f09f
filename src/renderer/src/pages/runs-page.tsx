import { useEffect, useMemo } from 'react';
import { Link, useParams } from 'react-router';
import { call } from '../api/client';
import type { ChangeEvent } from '../../../shared/api/types';
import { ErrorPanel } from '../components/error-panel';
import { ExperimentList } from '../components/experiment-list';
import { RunsTable } from '../components/runs-table';
import { useLiveQuery } from '../hooks/use-live-query';
import { useUiStore } from '../state/ui-store';
import './runs-page.css';

const PAGE_SIZE = 100;

export function RunsPage() {
  const { experimentId } = useParams();
  const selectedId = experimentId ?? null;
  const { runsOffset: offset, setRunsOffset, setLastExperimentId } = useUiStore();
  useEffect(() => setLastExperimentId(selectedId), [selectedId, setLastExperimentId]);

  const experiments = useLiveQuery(
    'experiments',
    () => call((c) => c.experiments.list()),
    // Run counts change with runs; metric events do not touch them.
    (e: ChangeEvent) => e.kind === 'experiment' || e.kind === 'run',
  );
  const runs = useLiveQuery(
    `runs:${selectedId ?? '*'}:${offset}`,
    () => call((c) => c.runs.list({ experimentId: selectedId ?? undefined, limit: PAGE_SIZE, offset })),
    (e: ChangeEvent) => e.kind !== 'experiment' && (selectedId === null || e.experimentId === selectedId),
  );

  const selected = experiments.data?.find((e) => e.experimentId === selectedId);
  const experimentNames = useMemo(
    () => (selectedId === null && experiments.data ? new Map(experiments.data.map((e) => [e.experimentId, e.name])) : undefined),
    [selectedId, experiments.data],
  );
  const title = selectedId === null ? 'All runs' : (selected?.name ?? `Experiment ${selectedId}`);
  const total = runs.data?.total ?? 0;

  return (
    <div className="runs-page">
      <aside className="runs-page-experiments">
        {experiments.error && !experiments.data ? (
          <ErrorPanel error={experiments.error} onRetry={experiments.refetch} />
        ) : (
          <ExperimentList experiments={experiments.data} selectedId={selectedId} />
        )}
      </aside>
      <section className="runs-page-runs">
        <div className="page-head">
          <h1 className="page-title" data-testid="page-title">
            {title}
          </h1>
          {runs.data && (
            <span className="muted">
              {total} run{total === 1 ? '' : 's'}
            </span>
          )}
          <Link to="/runs/new" className="button button-primary page-head-action" data-testid="new-run-button">
            New run
          </Link>
        </div>
        {runs.error && (
          <ErrorPanel error={runs.error} title={runs.data ? 'Could not refresh the runs' : undefined} onRetry={runs.refetch} />
        )}
        {runs.loading ? (
          <div className="muted loading">Loading runs…</div>
        ) : runs.data && runs.data.runs.length === 0 && offset === 0 ? (
          <div className="empty-state" data-testid="runs-empty">
            <div className="empty-title">No runs yet</div>
            <p>
              Runs appear here as soon as they are logged through Lathe&apos;s API (<code>runs/create</code>, then{' '}
              <code>runs/logBatch</code>), or when you start one with <Link to="/runs/new">New run</Link>. This page updates by itself.
            </p>
          </div>
        ) : runs.data ? (
          <>
            <RunsTable runs={runs.data.runs} experimentNames={experimentNames} />
            {total > PAGE_SIZE && (
              <div className="pager">
                <span className="muted">
                  {offset + 1}–{Math.min(offset + PAGE_SIZE, total)} of {total}
                </span>
                <button type="button" className="button" disabled={offset === 0} onClick={() => setRunsOffset(Math.max(0, offset - PAGE_SIZE))}>
                  Previous
                </button>
                <button type="button" className="button" disabled={offset + PAGE_SIZE >= total} onClick={() => setRunsOffset(offset + PAGE_SIZE)}>
                  Next
                </button>
              </div>
            )}
          </>
        ) : null}
      </section>
    </div>
  );
}
