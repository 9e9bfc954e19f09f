import { useMemo } from 'react';
import type { ChangeEvent } from '../../../../shared/api/types';
import { call } from '../../api/client';
import { useLiveQuery } from '../../hooks/use-live-query';
import { MetricChart } from '../metric-chart';

/** Order: per-GPU series by GPU then kind, then the container's CPU and memory. */
function rank(key: string): string {
  const gpu = /^system\/gpu_(\d+)_(.*)$/.exec(key);
  if (gpu) return `0-${gpu[1]!.padStart(3, '0')}-${['utilization_percentage', 'memory_usage_megabytes', 'memory_usage_percentage', 'power_usage_watts', 'power_usage_percentage', 'temperature_celsius'].indexOf(gpu[2]!)}`;
  return `1-${key}`;
}

/**
 * The run's "System" tab: its GPUs and their series (utilization, memory, power, temperature)
 * and its container's CPU and memory, all logged as `system/…` metrics (MLflow's names), so
 * they chart like any metric and compare across runs. x is seconds since the run started.
 */
export function RunSystemPanel({ runId }: { runId: string }) {
  const run = useLiveQuery(`run-system:${runId}`, () => call((c) => c.runs.get({ runId })), (e: ChangeEvent) => e.runId === runId && e.kind !== 'experiment');
  const metrics = useMemo(() => (run.data?.metrics ?? []).filter((m) => m.key.startsWith('system/')).sort((a, b) => rank(a.key).localeCompare(rank(b.key))), [run.data]);
  if (!run.data) return <div className="muted loading">Loading…</div>;
  const assigned = run.data.tags['lathe.gpus.assigned'];
  const mode = run.data.tags['lathe.gpu.request_mode'];
  return (
    <section className="run-system" data-testid="run-system">
      <p className="muted run-system-gpus" data-testid="run-system-gpus">
        {assigned ? (
          <>
            GPUs: {assigned.split(',').map((u, i) => (
              <span key={u}>
                {i > 0 && ', '}
                <code>cuda:{i}</code> = <code>{u}</code>
              </span>
            ))}
            {mode === 'env-only' && ' (env-only request mode: the container ran without a GPU device)'}
          </>
        ) : (
          'No GPU was assigned to this run.'
        )}
      </p>
      {metrics.length === 0 ? (
        <p className="muted">No system metrics yet. Lathe logs them every 10 s while the run is running (GPU series for runs that hold GPUs; CPU and memory for containers).</p>
      ) : (
        <div className="chart-grid">
          {metrics.map((m) => (
            <MetricChart key={m.key} runId={runId} metricKey={m.key} latest={m} />
          ))}
        </div>
      )}
    </section>
  );
}
