import type { MetricPoint } from '../../../shared/api/types';
import { formatDateTime, formatMetricValue, formatShortDateTime } from '../lib/format';

export function MetricsTable({ metrics }: { metrics: MetricPoint[] }) {
  return (
    <table className="table kv-table metrics-table" data-testid="metrics-table">
      <thead>
        <tr>
          <th>Metric</th>
          <th className="num">Latest</th>
          <th className="num">Step</th>
          <th>Logged</th>
        </tr>
      </thead>
      <tbody>
        {metrics.length === 0 ? (
          <tr>
            <td colSpan={4} className="muted">
              No metrics logged
            </td>
          </tr>
        ) : (
          metrics.map((m) => (
            <tr key={m.key}>
              <td className="kv-key" title={m.key}>
                {m.key}
              </td>
              <td className={`num${Number.isFinite(m.value) ? '' : ' nonfinite'}`}>{formatMetricValue(m.value)}</td>
              <td className="num">{m.step}</td>
              <td className="nowrap muted" title={formatDateTime(m.timestamp)}>
                {formatShortDateTime(m.timestamp)}
              </td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
