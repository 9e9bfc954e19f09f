import { useEffect, useMemo } from 'react';
import { call } from '../api/client';
import type { ChangeEvent } from '../../../shared/api/types';
import { ErrorPanel } from '../components/error-panel';
import { GpuCard } from '../components/gpu-dashboard/gpu-card';
import { GpuHistoryView } from '../components/gpu-dashboard/gpu-history';
import { HostPanel } from '../components/gpu-dashboard/host-panel';
import { NoGpuPanel } from '../components/gpu-dashboard/no-gpu-panel';
import { QueuePanel } from '../components/gpu-dashboard/queue-panel';
import { useColorScheme } from '../hooks/use-color-scheme';
import { useLiveQuery } from '../hooks/use-live-query';
import { readChartColors } from '../lib/theme-colors';
import { formatDateTime } from '../lib/format';
import './gpus-page.css';

/**
 * The GPU dashboard: what each GPU is doing and for whom (cards with live sparklines, processes
 * linked to their runs), the host, the GPU queue, and history from the rollups. Refreshed by
 * the server's `gpu` change events (one per sample), never polled per sample.
 */
export function GpusPage() {
  const scheme = useColorScheme();
  const live = useLiveQuery('gpus:live', () => call((c) => c.gpus.live({ windowSec: 300 })), (e: ChangeEvent) => e.kind === 'gpu');
  const queue = useLiveQuery('gpus:queue', () => call((c) => c.queue.list()), (e: ChangeEvent) => e.kind === 'queue' || e.kind === 'run');
  const host = useLiveQuery('gpus:host', () => call((c) => c.gpus.host()));
  const refetchHost = host.refetch;
  useEffect(() => {
    const t = setInterval(refetchHost, 5000);
    return () => clearInterval(t);
  }, [refetchHost]);
  const colors = useMemo(() => {
    const c = readChartColors(scheme);
    return { util: c.line, memory: '#1a8f4e', text: c.muted, grid: c.grid, axis: c.axis };
  }, [scheme]);

  const snap = live.data?.snapshot;
  const series = useMemo(() => new Map((live.data?.series ?? []).map((s) => [s.uuid, s])), [live.data]);
  return (
    <div className="gpus-page">
      <div className="page-head">
        <h1 className="page-title">GPUs</h1>
        {snap && (
          <span className="muted gpus-meta" data-testid="gpu-driver">
            {snap.state.code === 'ok' ? `driver ${snap.driver_version ?? '—'} · CUDA ${snap.cuda_version ?? '—'} · ${snap.gpus.length} GPU${snap.gpus.length === 1 ? '' : 's'}` : snap.state.code}
            {snap.sampled_at !== null && ` · sampled ${formatDateTime(snap.sampled_at)}`}
          </span>
        )}
      </div>
      {live.error && !live.data && <ErrorPanel error={live.error} onRetry={live.refetch} />}
      {!snap ? (
        <div className="muted loading">Reading the GPUs…</div>
      ) : snap.state.code === 'starting' ? (
        <div className="muted loading" data-testid="gpu-starting">Waiting for the first answer from nvidia-smi…</div>
      ) : snap.state.code !== 'ok' ? (
        <NoGpuPanel snapshot={snap} />
      ) : (
        <>
          {snap.warnings.length > 0 && (
            <div className="panel panel-error" role="alert">
              {snap.warnings.map((w) => (
                <div key={w}>{w}</div>
              ))}
            </div>
          )}
          <div className="gpu-grid" data-testid="gpu-grid">
            {snap.gpus.map((g) => (
              <GpuCard key={g.uuid} gpu={g} series={series.get(g.uuid)} colors={colors} thresholdMib={queue.data?.foreign_memory_threshold_mib ?? null} />
            ))}
          </div>
        </>
      )}
      <div className="gpus-lower">
        <QueuePanel queue={queue.data} onChange={queue.refetch} />
        <div>
          <h2 className="section-label">Host</h2>
          <HostPanel host={host.data} />
        </div>
      </div>
      {snap && snap.state.code === 'ok' && <GpuHistoryView colors={colors} />}
    </div>
  );
}
