import { useEffect, useMemo, useState } from 'react';
import { GPU_HISTORY_RANGES, type GpuHistory, type GpuHistoryRange, type RollupMetric } from '../../../../shared/api/gpu-types';
import { call } from '../../api/client';
import { useLiveQuery } from '../../hooks/use-live-query';
import type { ChartOption } from '../../lib/echarts';
import { EChart } from '../echart';
import { RANGE_LABELS } from './gpu-format';

const PALETTE = ['#3563e9', '#1a8f4e', '#c46a12', '#9b51e0', '#cf3a3a', '#0f9bb5', '#b8860b', '#6f7a89'];
const CHARTS: Array<[RollupMetric, string, string]> = [
  ['utilization_gpu_pct', 'Utilization', '%'],
  ['memory_used_mib', 'Memory used', 'MiB'],
  ['power_draw_w', 'Power', 'W'],
  ['temperature_c', 'Temperature', '°C'],
];

function option(history: GpuHistory, metric: RollupMetric, unit: string, colors: { text: string; grid: string; axis: string }): ChartOption {
  return {
    animation: false,
    grid: { left: 44, right: 8, top: 8, bottom: 22 },
    tooltip: { trigger: 'axis', valueFormatter: (v) => (typeof v === 'number' ? `${Math.round(v * 10) / 10} ${unit}` : '—') },
    xAxis: { type: 'time', min: history.from, max: history.to, axisLabel: { color: colors.text, fontSize: 10, hideOverlap: true }, axisLine: { lineStyle: { color: colors.axis } } },
    yAxis: { type: 'value', min: 0, max: metric === 'utilization_gpu_pct' ? 100 : undefined, axisLabel: { color: colors.text, fontSize: 10 }, splitLine: { lineStyle: { color: colors.grid } } },
    series: history.gpus.map((g, i) => ({
      type: 'line',
      name: `GPU ${g.index ?? i}`,
      // Buckets without a reading are gaps (null), not zeros.
      data: g.t.map((t, j) => [t, g.metrics[metric]?.mean[j] ?? null]),
      connectNulls: false,
      showSymbol: g.t.length < 30,
      symbolSize: 4,
      lineStyle: { width: 1.3, color: PALETTE[i % PALETTE.length] },
      itemStyle: { color: PALETTE[i % PALETTE.length] },
    })),
  };
}

/** GPU history from the SQLite rollups: 15 min / 1 h / 24 h / 7 d, mean per bucket, one line per GPU. */
export function GpuHistoryView({ colors }: { colors: { text: string; grid: string; axis: string } }) {
  const [range, setRange] = useState<GpuHistoryRange>('1h');
  const history = useLiveQuery(`gpus:history:${range}`, () => call((c) => c.gpus.history({ range, metrics: CHARTS.map(([m]) => m) })));
  const refetch = history.refetch;
  useEffect(() => {
    const t = setInterval(refetch, range === '15m' || range === '1h' ? 10_000 : 60_000);
    return () => clearInterval(t);
  }, [range, refetch]);
  const data = history.data;
  const options = useMemo(() => (data ? CHARTS.map(([m, , unit]) => option(data, m, unit, colors)) : []), [data, colors]);
  return (
    <section className="gpu-history" data-testid="gpu-history" aria-label="GPU history">
      <div className="gpu-history-head">
        <h2 className="section-label">History</h2>
        <div className="segmented" role="radiogroup" aria-label="Range">
          {GPU_HISTORY_RANGES.map((r) => (
            <button key={r} type="button" role="radio" aria-checked={r === range} className={`segment${r === range ? ' selected' : ''}`} data-testid={`range-${r}`} onClick={() => setRange(r)}>
              {RANGE_LABELS[r]}
            </button>
          ))}
        </div>
        {data && (
          <span className="gpu-legend">
            {data.gpus.map((g, i) => (
              <span key={g.uuid}>
                <i style={{ background: PALETTE[i % PALETTE.length] }} /> GPU {g.index ?? i}
              </span>
            ))}
            <span className="muted">· {data.gpus[0]?.resolution_s ?? (range === '7d' ? 300 : 10)} s buckets</span>
          </span>
        )}
      </div>
      {data && data.gpus.length === 0 ? (
        <p className="muted">No history yet for this range: it fills in as Lathe samples (every 10 s bucket is kept 48 h, 5-minute buckets 30 days).</p>
      ) : (
        <div className="gpu-history-grid">
          {CHARTS.map(([m, label], i) => (
            <div className="card gpu-history-chart" key={m} data-testid={`history-${m}`}>
              <div className="gpu-history-title">{label}</div>
              {options[i] ? <EChart option={options[i]!} className="gpu-history-canvas" /> : <div className="muted">Loading…</div>}
            </div>
          ))}
        </div>
      )}
    </section>
  );
}
