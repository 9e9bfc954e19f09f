import { Link, useParams } from 'react-router';
import type { ProfileValue } from '../../../shared/api/dataset-types';
import { call } from '../api/client';
import { showValue } from '../components/dataset-column-card/column-card';
import { ErrorPanel } from '../components/error-panel';
import { useLiveQuery } from '../hooks/use-live-query';
import './datasets.css';

function differs(a: ProfileValue, b: ProfileValue): boolean {
  return JSON.stringify(a) !== JSON.stringify(b);
}

const STATUSES = ['added', 'removed', 'changed', 'unchanged'] as const;
const SIDES = ['from', 'to'] as const;

/** Two versions side by side: added, removed and changed columns, statistics from → to. */
export function DatasetDiffPage() {
  const { name = '', from = '', to = '' } = useParams();
  const diff = useLiveQuery(`dataset-diff:${name}:${from}:${to}`, () => call((c) => c.datasets.diff({ name, from, to })));
  const d = diff.data;
  const withStats = d?.columns.filter((c) => c.stats.length) ?? [];
  return (
    <div className="ds-page" data-testid="diff-page">
      <Link to={`/datasets/${encodeURIComponent(name)}`} className="ds-back">
        ← {name}
      </Link>
      <div className="page-head">
        <h1 className="page-title">
          {name}: <code>{from.slice(0, 12)}</code> → <code>{to.slice(0, 12)}</code>
        </h1>
      </div>
      {diff.error && <ErrorPanel error={diff.error} onRetry={diff.refetch} />}
      {!d && !diff.error && <div className="muted loading">Comparing profiles…</div>}
      {d && (
        <>
          <div className="ds-meta">
            <span>
              rows <b>{d.from.rows.toLocaleString('en-US')}</b> → <b>{d.to.rows.toLocaleString('en-US')}</b>
            </span>
            {STATUSES.map((status) => (
              <span key={status}>
                {d.columns.filter((c) => c.status === status).length} {status}
              </span>
            ))}
          </div>
          <section className="ds-section">
            <h2 className="ds-section-title">Schema</h2>
            <div className="table-scroll">
              <table className="table" data-testid="diff-schema">
                <thead>
                  <tr>
                    <th>column</th>
                    <th>change</th>
                    <th>type</th>
                  </tr>
                </thead>
                <tbody>
                  {d.columns.map((c) => (
                    <tr key={`${c.name}-${c.status}`} data-testid="diff-column" data-status={c.status}>
                      <td>
                        <code>{c.name}</code>
                      </td>
                      <td>
                        <span className={`ds-diff-status ${c.status}`}>{c.status}</span>
                      </td>
                      <td>
                        {c.typeFrom ?? '—'}
                        {c.typeFrom !== c.typeTo && (
                          <>
                            <span className="ds-diff-arrow">→</span>
                            {c.typeTo ?? '—'}
                          </>
                        )}
                      </td>
                    </tr>
                  ))}
                </tbody>
              </table>
            </div>
          </section>
          <section className="ds-section">
            <h2 className="ds-section-title">Statistics side by side</h2>
            {withStats.length === 0 && <p className="muted">No column changed.</p>}
            {withStats.map((c) => (
              <div key={c.name} className="table-scroll" style={{ marginBottom: 12 }}>
                <table className="table ds-diff-table" data-testid="diff-stats">
                  <thead>
                    <tr>
                      <th>
                        <code>{c.name}</code> <span className={`ds-diff-status ${c.status}`}>{c.status}</span>
                      </th>
                      {c.stats.map((s) => (
                        <th key={s.field} className="num">
                          {s.field}
                        </th>
                      ))}
                    </tr>
                  </thead>
                  <tbody>
                    {SIDES.map((side) => (
                      <tr key={side}>
                        <td className="muted">{(side === 'from' ? from : to).slice(0, 8)}</td>
                        {c.stats.map((s) => (
                          <td key={s.field} className={`num${differs(s.from, s.to) ? ' changed' : ''}`}>
                            {showValue(s[side])}
                          </td>
                        ))}
                      </tr>
                    ))}
                  </tbody>
                </table>
              </div>
            ))}
          </section>
        </>
      )}
    </div>
  );
}
