import { useMemo, useState } from 'react';
import { Link, useParams, useSearchParams } from 'react-router';
import type { ChangeEvent } from '../../../shared/api/types';
import type { DatasetProfile } from '../../../shared/api/dataset-types';
import { call } from '../api/client';
import { ColumnCard } from '../components/dataset-column-card/column-card';
import { FindingsList } from '../components/dataset-findings/findings-list';
import { PreviewTable } from '../components/dataset-preview/preview-table';
import { ValidationReportView } from '../components/dataset-validation/validation-report';
import { ErrorPanel } from '../components/error-panel';
import { useLiveQuery } from '../hooks/use-live-query';
import { formatBytes } from '../lib/format';
import './datasets.css';

const CARDS_PER_PAGE = 48;

function describe(p: DatasetProfile): string[] {
  const le = p.line_endings;
  const endings = le ? (['CRLF', 'LF', 'CR'] as const).filter((k) => le[k] > 0).join(' + ') || '—' : null;
  return [
    `${p.format.toUpperCase()}${p.compression ? ` (${p.compression})` : ''}`,
    p.delimiter ? `delimiter ${p.delimiter === '\t' ? 'tab' : `'${p.delimiter}'`}` : '',
    p.encoding,
    endings ? `line ends ${endings}${le?.sampled ? ' (first MiB)' : ''}` : '',
    p.skip_rows ? `${p.skip_rows} preamble lines` : '',
    formatBytes(p.file.bytes),
  ].filter(Boolean);
}

/** A version's file, inspected: findings, a card per column with its chart, validation, preview. */
export function DatasetInspectorPage() {
  const { name = '', version = '' } = useParams();
  const [params, setParams] = useSearchParams();
  const file = params.get('file') ?? undefined;
  const target = `${name}@${version}`;
  const [filter, setFilter] = useState('');
  const [shown, setShown] = useState(CARDS_PER_PAGE);
  const refresh = (e: ChangeEvent) => e.kind === 'dataset' && e.datasetName === name;
  const files = useLiveQuery(`dataset-files:${target}`, () => call((c) => c.datasets.files({ ref: target })));
  const dataset = useLiveQuery(`dataset:${name}`, () => call((c) => c.datasets.get({ name })), refresh);
  const profile = useLiveQuery(`dataset-profile:${target}:${file ?? ''}`, () => call((c) => c.datasets.inspect({ target, file })));
  const hasRules = (dataset.data?.rules.length ?? 0) > 0;
  // Validation runs once the profile is there (it reads the file with the profile's types).
  const report = useLiveQuery(`dataset-validate:${target}:${file ?? ''}:${profile.data ? 'ready' : 'wait'}:${JSON.stringify(dataset.data?.rules ?? [])}`, () =>
    hasRules && profile.data ? call((c) => c.datasets.validate({ target, file })) : Promise.resolve(null),
  );
  const p = profile.data;
  const notes = useMemo(() => {
    const m = new Map<string, number>();
    for (const f of p?.findings ?? []) if (f.column) m.set(f.column, (m.get(f.column) ?? 0) + 1);
    return m;
  }, [p]);
  const columns = useMemo(() => (p?.columns ?? []).filter((c) => c.name.toLowerCase().includes(filter.toLowerCase())), [p, filter]);

  return (
    <div className="ds-page" data-testid="inspector-page">
      <Link to={`/datasets/${encodeURIComponent(name)}`} className="ds-back">
        ← {name}
      </Link>
      <div className="page-head">
        <h1 className="page-title" data-testid="page-title">
          {name} <code title={version}>@{version.slice(0, 12)}</code>
        </h1>
        {files.data && files.data.length > 1 && (
          <select className="input page-head-action" style={{ width: 'auto' }} value={file ?? ''} onChange={(e) => setParams(e.target.value ? { file: e.target.value } : {})} aria-label="file">
            <option value="">(first tabular file)</option>
            {files.data.map((f) => (
              <option key={f.path} value={f.path}>
                {f.path} · {formatBytes(f.size)}
              </option>
            ))}
          </select>
        )}
      </div>
      {profile.error && <ErrorPanel error={profile.error} title="Could not inspect this version" onRetry={profile.refetch} />}
      {!p && !profile.error && <div className="muted loading">Profiling with DuckDB… (a large file takes a while the first time; it is cached afterwards)</div>}
      {p && (
        <>
          <div className="ds-meta" data-testid="profile-meta">
            <span>
              <b>{p.rows.toLocaleString('en-US')}</b> rows × <b>{p.columns.length.toLocaleString('en-US')}</b> columns
            </span>
            {describe(p).map((s) => (
              <span key={s}>{s}</span>
            ))}
            <span title="every figure is exact (no sampling); profiled in DuckDB">
              exact · {p.duration_ms.toLocaleString('en-US')} ms
            </span>
          </div>
          <section className="ds-section">
            <h2 className="ds-section-title">
              Findings <span className="muted">{p.findings.length}</span>
            </h2>
            <FindingsList findings={p.findings} />
          </section>
          <section className="ds-section">
            <h2 className="ds-section-title">
              Columns <span className="muted">{columns.length === p.columns.length ? p.columns.length : `${columns.length} of ${p.columns.length}`}</span>
            </h2>
            {p.columns.length > 12 && (
              <div className="ds-toolbar">
                <input className="input" placeholder="Filter columns" value={filter} onChange={(e) => (setFilter(e.target.value), setShown(CARDS_PER_PAGE))} style={{ width: 240 }} />
              </div>
            )}
            <div className="ds-columns">
              {columns.slice(0, shown).map((c) => (
                <ColumnCard key={c.position} column={c} rows={p.rows} notes={notes.get(c.name) ?? 0} />
              ))}
            </div>
            {columns.length > shown && (
              <div className="ds-toolbar" style={{ marginTop: 10 }}>
                <button type="button" className="button" onClick={() => setShown((n) => n + CARDS_PER_PAGE)}>
                  Show {Math.min(CARDS_PER_PAGE, columns.length - shown)} more columns
                </button>
              </div>
            )}
          </section>
          <section className="ds-section">
            <h2 className="ds-section-title">Validation</h2>
            {!hasRules ? (
              <p className="muted">
                No rules for this dataset. <Link to={`/datasets/${encodeURIComponent(name)}`}>Add rules</Link> to check every version.
              </p>
            ) : report.error ? (
              <ErrorPanel error={report.error} title="Validation could not run" onRetry={report.refetch} />
            ) : report.data ? (
              <ValidationReportView report={report.data} />
            ) : (
              <div className="muted">Validating…</div>
            )}
          </section>
          <section className="ds-section">
            <h2 className="ds-section-title">
              Preview <span className="muted">first rows, typed as inspected</span>
            </h2>
            <PreviewTable target={target} file={file} />
          </section>
        </>
      )}
    </div>
  );
}
