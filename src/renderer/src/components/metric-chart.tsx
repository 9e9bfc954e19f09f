import { useEffect, useMemo, useRef } from 'react';
import type { MetricPoint } from '../../../shared/api/types';
import { call } from '../api/client';
import { useColorScheme } from '../hooks/use-color-scheme';
import { useLiveQuery } from '../hooks/use-live-query';
import { formatMetricValue } from '../lib/format';
import { buildMetricChartOption, prepareSeries, type NonFiniteSummary } from '../lib/metric-chart-option';
import { readChartColors } from '../lib/theme-colors';
import { EChart } from './echart';
import './metric-chart.css';

interface MetricChartProps {
  runId: string;
  metricKey: string;
  /** The run's latest point for this key; the chart refetches its series when it changes. */
  latest: MetricPoint;
}

/** Asking for ~one bucket per two pixels gives the server's min/max reduction ~2 points a pixel. */
function bucketsFor(width: number): number {
  return Math.min(2000, Math.max(100, Math.round(width / 2 / 50) * 50));
}

function nonFiniteNote(n: NonFiniteSummary): string | null {
  const parts = [n.nan && `NaN ×${n.nan}`, n.posInf && `+Inf ×${n.posInf}`, n.negInf && `−Inf ×${n.negInf}`].filter(Boolean);
  if (parts.length === 0) return null;
  return `Not drawn: ${parts.join(', ')} (first at step ${n.firstStep})`;
}

export function MetricChart({ runId, metricKey, latest }: MetricChartProps) {
  const scheme = useColorScheme();
  const cardRef = useRef<HTMLDivElement>(null);
  const bucketsRef = useRef(500);
  const series = useLiveQuery(`series:${runId}:${metricKey}`, () =>
    call((c) => c.metrics.series({ runId, key: metricKey, buckets: bucketsRef.current })),
  );
  const refetchRef = useRef(series.refetch);
  refetchRef.current = series.refetch;

  // Other keys of the same run log all the time; only a new latest point of this key means new data here.
  const signature = `${latest.step}|${latest.timestamp}|${latest.value}`;
  const seenSignature = useRef(signature);
  useEffect(() => {
    if (seenSignature.current === signature) return;
    seenSignature.current = signature;
    refetchRef.current();
  }, [signature]);

  useEffect(() => {
    const card = cardRef.current;
    if (!card) return;
    const ro = new ResizeObserver(([entry]) => {
      const buckets = bucketsFor(entry?.contentRect.width ?? 0);
      if (buckets === bucketsRef.current) return;
      bucketsRef.current = buckets;
      refetchRef.current();
    });
    ro.observe(card);
    return () => ro.disconnect();
  }, []);

  const prepared = useMemo(() => prepareSeries(series.data?.points ?? []), [series.data]);
  const option = useMemo(
    () => buildMetricChartOption(metricKey, prepared.finite, readChartColors(scheme)),
    [metricKey, prepared, scheme],
  );
  const note = nonFiniteNote(prepared.nonFinite);

  return (
    <div ref={cardRef} className="metric-chart card" data-testid="metric-chart" data-metric-key={metricKey}>
      <div className="metric-chart-head">
        <span className="metric-chart-key" title={metricKey}>
          {metricKey}
        </span>
        <span className="metric-chart-latest" title={`latest at step ${latest.step}`}>
          {formatMetricValue(latest.value)}
        </span>
      </div>
      {series.error && !series.data ? (
        <div className="metric-chart-message error-text">
          {series.error.code}: {series.error.message}
        </div>
      ) : series.loading ? (
        <div className="metric-chart-message muted">Loading…</div>
      ) : prepared.finite.length === 0 ? (
        <div className="metric-chart-message muted">No finite values to draw</div>
      ) : (
        <EChart option={option} className="metric-chart-canvas" />
      )}
      <div className="metric-chart-foot muted">
        {series.data && (
          <span>
            {series.data.total.toLocaleString()} point{series.data.total === 1 ? '' : 's'}
            {series.data.reduced ? ` · ${series.data.points.length.toLocaleString()} drawn (min/max per bucket)` : ''}
          </span>
        )}
        {note && <span className="metric-chart-nonfinite">{note}</span>}
      </div>
    </div>
  );
}
