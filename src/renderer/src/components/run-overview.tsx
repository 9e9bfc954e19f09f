import { useMemo } from 'react';
import type { Run } from '../../../shared/api/types';
import { KeyValueTable } from './key-value-table';
import { MetricChart } from './metric-chart';
import { MetricsTable } from './metrics-table';

/** The run's charts, latest metrics, params and tags. */
export function RunOverview({ run }: { run: Run }) {
  // User metrics first, `system/…` (GPU series) after them.
  const metrics = useMemo(
    () =>
      [...run.metrics].sort(
        (a, b) => Number(a.key.startsWith('system/')) - Number(b.key.startsWith('system/')) || a.key.localeCompare(b.key),
      ),
    [run.metrics],
  );
  return (
    <>
      <section className="section">
        <h2 className="section-title">Charts</h2>
        {metrics.length === 0 ? (
          <p className="muted">No metrics logged yet; charts appear with the first point.</p>
        ) : (
          <div className="chart-grid">
            {metrics.map((m) => (
              <MetricChart key={m.key} runId={run.info.runId} metricKey={m.key} latest={m} />
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
          <KeyValueTable rows={Object.entries(run.params)} testId="params-table" keyHeader="Param" empty="No params logged" />
        </section>
        <section className="section">
          <h2 className="section-title">Tags</h2>
          <KeyValueTable rows={Object.entries(run.tags)} testId="tags-table" keyHeader="Tag" empty="No tags" />
        </section>
      </div>
    </>
  );
}
