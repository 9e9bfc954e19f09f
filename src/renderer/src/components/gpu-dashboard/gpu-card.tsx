import { Link } from 'react-router';
import type { GpuCard as GpuCardData, GpuLiveSeries } from '../../../../shared/api/gpu-types';
import { fraction, memoryText, migSummary, powerText, reading, seriesPoints } from './gpu-format';
import { GpuProcesses } from './gpu-processes';
import { Sparkline } from './sparkline';

interface GpuCardProps {
  gpu: GpuCardData;
  /** The queue's foreign-memory threshold (MiB): above it the GPU is busy outside Lathe. */
  thresholdMib: number | null;
  series: GpuLiveSeries | undefined;
  colors: { util: string; memory: string };
}

function Meter({ label, value, pct, testId, children }: { label: string; value: string; pct: number | null; testId: string; children?: React.ReactNode }) {
  return (
    <div className="gpu-meter">
      <div className="gpu-meter-head">
        <span className="muted">{label}</span>
        <span className="gpu-meter-value" data-testid={testId}>
          {value}
        </span>
      </div>
      <div className="gpu-bar" aria-hidden="true">
        {pct !== null && <div className="gpu-bar-fill" style={{ width: `${pct}%` }} />}
      </div>
      {children}
    </div>
  );
}

/** One GPU: utilization and memory with live sparklines, the other readings, MIG slices, lease and processes. */
export function GpuCard({ gpu, series, colors, thresholdMib }: GpuCardProps) {
  const busyOutside = thresholdMib !== null && gpu.foreign_memory_mib !== null && gpu.foreign_memory_mib > thresholdMib;
  const util = gpu.utilization_gpu_pct;
  return (
    <article className="card gpu-card" data-testid="gpu-card" data-uuid={gpu.uuid} aria-label={`GPU ${gpu.index ?? ''} ${gpu.name ?? ''}`}>
      <header className="gpu-card-head">
        <span className="gpu-index">GPU {gpu.index ?? '?'}</span>
        <span className="gpu-name" data-testid="gpu-name" title={gpu.uuid}>
          {gpu.name ?? 'Unknown GPU'}
        </span>
        {gpu.lease ? (
          <Link className="gpu-lease" to={`/runs/${gpu.lease.run_id}`} data-testid="gpu-lease">
            held by {gpu.lease.run_name}
          </Link>
        ) : busyOutside ? (
          <span className="gpu-lease gpu-busy" data-testid="gpu-busy" title={`More than ${thresholdMib} MiB used outside Lathe: not assigned to runs`}>
            in use outside Lathe
          </span>
        ) : (
          <span className="gpu-lease gpu-free">free</span>
        )}
      </header>
      <div className="gpu-meters">
        <Meter label="Utilization" value={util === null && gpu.mig_mode ? 'n/a in MIG mode' : reading(util, '%')} pct={util} testId="gpu-util">
          <Sparkline points={seriesPoints(series, 'utilization_gpu_pct')} max={100} color={colors.util} label="utilization, last 5 minutes" emptyText={gpu.mig_mode ? 'not reported in MIG mode' : 'no readings'} />
        </Meter>
        <Meter label="Memory" value={memoryText(gpu)} pct={fraction(gpu.memory_used_mib, gpu.memory_total_mib)} testId="gpu-memory">
          <Sparkline points={seriesPoints(series, 'memory_used_mib')} max={gpu.memory_total_mib} color={colors.memory} label="memory used, last 5 minutes" />
        </Meter>
      </div>
      <dl className="gpu-facts">
        <div>
          <dt>Temperature</dt>
          <dd data-testid="gpu-temp">{reading(gpu.temperature_c, '°C')}</dd>
        </div>
        <div>
          <dt>Power</dt>
          <dd data-testid="gpu-power">{powerText(gpu)}</dd>
        </div>
        <div>
          <dt>Fan</dt>
          <dd data-testid="gpu-fan">{reading(gpu.fan_pct, '%')}</dd>
        </div>
        <div>
          <dt>SM clock</dt>
          <dd data-testid="gpu-clock">{reading(gpu.sm_clock_mhz, 'MHz')}</dd>
        </div>
        <div>
          <dt>Mem clock</dt>
          <dd>{reading(gpu.mem_clock_mhz, 'MHz')}</dd>
        </div>
        <div>
          <dt>Perf state</dt>
          <dd>{gpu.pstate ?? '—'}</dd>
        </div>
      </dl>
      {gpu.mig_devices.length > 0 && (
        <p className="gpu-mig" data-testid="gpu-mig">
          MIG: {gpu.mig_devices.length} devices ({migSummary(gpu.mig_devices)})
        </p>
      )}
      {gpu.foreign_memory_mib !== null && gpu.foreign_memory_mib > 0 && (
        <p className="muted gpu-foreign-note">{Math.round(gpu.foreign_memory_mib)} MiB used outside Lathe</p>
      )}
      <GpuProcesses processes={gpu.processes} />
    </article>
  );
}
