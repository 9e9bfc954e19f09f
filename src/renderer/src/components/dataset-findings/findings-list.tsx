import type { Finding } from '../../../../shared/api/dataset-types';
import './findings-list.css';

const ICON = { error: '✗', warning: '!', info: 'i' } as const;

/** The diagnostics of a profile, errors first, each with its line and column when known. */
export function FindingsList({ findings }: { findings: Finding[] }) {
  if (findings.length === 0) return <p className="muted" data-testid="findings-empty">No findings: the file reads cleanly.</p>;
  const order = { error: 0, warning: 1, info: 2 };
  const sorted = [...findings].sort((a, b) => order[a.severity] - order[b.severity]);
  return (
    <ul className="ds-findings" data-testid="findings">
      {sorted.map((f, i) => (
        <li key={i} className={`ds-finding ds-finding-${f.severity}`} data-kind={f.kind}>
          <span className="ds-finding-icon" aria-label={f.severity}>
            {ICON[f.severity]}
          </span>
          <span className="ds-finding-text">{f.message}</span>
          <span className="ds-finding-meta">
            {f.line !== undefined && <span>line {f.line.toLocaleString('en-US')}</span>}
            <code>{f.kind}</code>
          </span>
        </li>
      ))}
    </ul>
  );
}
