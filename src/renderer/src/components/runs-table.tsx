import { Link, useNavigate } from 'react-router';
import type { Run } from '../../../shared/api/types';
import { useNow } from '../hooks/use-now';
import { formatDateTime, formatDuration, formatMetricValue, formatShortDateTime, runDuration } from '../lib/format';
import { paramsSummary, pickMetricColumns } from '../lib/run-columns';
import { StatusBadge } from './status-badge';
import './runs-table.css';

interface RunsTableProps {
  runs: Run[];
  /** Experiment names by id; given when the table mixes experiments. */
  experimentNames?: Map<string, string>;
}

export function RunsTable({ runs, experimentNames }: RunsTableProps) {
  const navigate = useNavigate();
  const now = useNow(runs.some((r) => r.info.status === 'RUNNING' && r.info.endTime === null));
  const metricKeys = pickMetricColumns(runs);
  return (
    <div className="table-scroll">
      <table className="table runs-table" data-testid="runs-table">
        <thead>
          <tr>
            <th>Name</th>
            {experimentNames && <th>Experiment</th>}
            <th>Status</th>
            <th>Started</th>
            <th className="num">Duration</th>
            {metricKeys.map((k) => (
              <th key={k} className="num metric-col" title={k}>
                {k}
              </th>
            ))}
            <th>Params</th>
          </tr>
        </thead>
        <tbody>
          {runs.map((run) => {
            const { info } = run;
            const latest = new Map(run.metrics.map((m) => [m.key, m.value]));
            const params = paramsSummary(run.params);
            const href = `/runs/${encodeURIComponent(info.runId)}`;
            return (
              <tr
                key={info.runId}
                data-testid="run-row"
                data-run-id={info.runId}
                className="clickable"
                onClick={(e) => {
                  // Let the name link (and text selection) behave natively.
                  if ((e.target as HTMLElement).closest('a') || window.getSelection()?.toString()) return;
                  void navigate(href);
                }}
              >
                <td className="run-name" title={info.name || info.runId}>
                  <Link to={href}>{info.name || info.runId}</Link>
                </td>
                {experimentNames && (
                  <td className="experiment-cell muted">{experimentNames.get(info.experimentId) ?? info.experimentId}</td>
                )}
                <td>
                  <StatusBadge status={info.status} />
                </td>
                <td className="nowrap" title={formatDateTime(info.startTime)}>
                  {formatShortDateTime(info.startTime)}
                </td>
                <td className="num nowrap">{formatDuration(runDuration(info, now))}</td>
                {metricKeys.map((k) => {
                  const v = latest.get(k);
                  return (
                    <td key={k} className={`num${v !== undefined && !Number.isFinite(v) ? ' nonfinite' : ''}`}>
                      {v === undefined ? <span className="muted">—</span> : formatMetricValue(v)}
                    </td>
                  );
                })}
                <td className="params-cell muted" title={params.full}>
                  <div className="params-text">{params.text || '—'}</div>
                </td>
              </tr>
            );
          })}
        </tbody>
      </table>
    </div>
  );
}
