import { useEffect, useMemo, useState } from 'react';
import { Link, useParams } from 'react-router';
import { call } from '../api/client';
import type { ChangeEvent } from '../../../shared/api/types';
import { ErrorPanel } from '../components/error-panel';
import { ExperimentList } from '../components/experiment-list';
import { RunsTableView } from '../components/runs-table/runs-table-view';
import { useLiveQuery } from '../hooks/use-live-query';
import { useUiStore } from '../state/ui-store';
import './runs-page.css';

export function RunsPage() {
  const { experimentId } = useParams();
  const selectedId = experimentId ?? null;
  const setLastExperimentId = useUiStore((s) => s.setLastExperimentId);
  useEffect(() => setLastExperimentId(selectedId), [selectedId, setLastExperimentId]);
  const [total, setTotal] = useState<number | undefined>(undefined);

  const experiments = useLiveQuery(
    'experiments',
    () => call((c) => c.experiments.list()),
    // Run counts change with runs; metric events do not touch them.
    (e: ChangeEvent) => e.kind === 'experiment' || e.kind === 'run',
  );

  const selected = experiments.data?.find((e) => e.experimentId === selectedId);
  const experimentNames = useMemo(
    () => (selectedId === null && experiments.data ? new Map(experiments.data.map((e) => [e.experimentId, e.name])) : undefined),
    [selectedId, experiments.data],
  );
  const title = selectedId === null ? 'All runs' : (selected?.name ?? `Experiment ${selectedId}`);

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
          {total !== undefined && (
            <span className="muted" data-testid="runs-total">
              {total.toLocaleString()} run{total === 1 ? '' : 's'}
            </span>
          )}
          <Link to="/runs/new" className="button button-primary page-head-action" data-testid="new-run-button">
            New run
          </Link>
        </div>
        <RunsTableView
          key={selectedId ?? '*'}
          experimentId={selectedId}
          experimentNames={experimentNames}
          onTotal={setTotal}
          empty={
            <div className="empty-state" data-testid="runs-empty">
              <div className="empty-title">No runs yet</div>
              <p>
                Runs appear here as soon as they are logged through Lathe&apos;s API (<code>runs/create</code>, then{' '}
                <code>runs/logBatch</code>), or when you start one with <Link to="/runs/new">New run</Link>. This page updates by itself.
              </p>
            </div>
          }
        />
      </section>
    </div>
  );
}
