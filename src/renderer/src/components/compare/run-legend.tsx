import { Link } from 'react-router';
import type { Run } from '../../../../shared/api/types';
import type { RunStyle } from '../../lib/compare-chart-option';

interface RunLegendProps {
  runs: Run[];
  styles: Map<string, RunStyle>;
  hidden: ReadonlySet<string>;
  onToggle(runId: string): void;
  onShowOnly(runIds: string[] | null): void;
  /** When grouping: each group's colour and runs. */
  groups: Array<{ name: string; color: string; runIds: string[] }> | null;
}

/** Which colour is which run (or group); click to hide or show it in every chart. */
export function RunLegend({ runs, styles, hidden, onToggle, onShowOnly, groups }: RunLegendProps) {
  if (groups) {
    return (
      <div className="run-legend" data-testid="run-legend">
        {groups.map((g) => (
          <span key={g.name} className="legend-item static" title={`${g.runIds.length} runs`}>
            <span className="legend-swatch band" style={{ background: g.color }} />
            <span className="legend-name">{g.name}</span>
            <span className="count">{g.runIds.length}</span>
          </span>
        ))}
        <span className="muted legend-hint">mean line, min–max band</span>
      </div>
    );
  }
  return (
    <div className="run-legend" data-testid="run-legend">
      {runs.map((r) => {
        const id = r.info.runId;
        const off = hidden.has(id);
        return (
          <button
            key={id}
            type="button"
            className={`legend-item${off ? ' off' : ''}`}
            onClick={(e) => (e.altKey ? onShowOnly([id]) : onToggle(id))}
            title={`${r.info.name} (${r.info.status.toLowerCase()}) — click to ${off ? 'show' : 'hide'}, Alt-click to show only this run`}
            data-testid="legend-item"
            data-run-id={id}
            aria-pressed={!off}
          >
            <span className="legend-swatch" style={{ background: styles.get(id)?.color }} />
            <span className="legend-name">{r.info.name}</span>
            {r.info.status === 'RUNNING' && <span className="live-dot" aria-label="running" />}
          </button>
        );
      })}
      {hidden.size > 0 && (
        <button type="button" className="link-button legend-reset" onClick={() => onShowOnly(null)}>
          show all
        </button>
      )}
      {runs.length === 1 && (
        <Link to={`/runs/${encodeURIComponent(runs[0]!.info.runId)}`} className="legend-reset">
          open run
        </Link>
      )}
    </div>
  );
}
