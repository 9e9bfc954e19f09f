import { Link, useLocation } from 'react-router';
import type { ChangeEvent } from '../../../shared/api/types';
import { call } from '../api/client';
import { AddDatasetForm } from '../components/dataset-add/add-dataset-form';
import { ErrorPanel } from '../components/error-panel';
import { useLiveQuery } from '../hooks/use-live-query';
import { formatBytes, formatDateTime } from '../lib/format';
import './datasets.css';

/** All datasets: name, versions, latest version's digest, size, rows and update time; registration form. */
export function DatasetsPage() {
  const list = useLiveQuery('datasets', () => call((c) => c.datasets.list()), (e: ChangeEvent) => e.kind === 'dataset' || e.kind === 'run');
  // What the dataset page deleted before coming back here.
  const notice = (useLocation().state as { notice?: string } | null)?.notice;
  return (
    <div className="ds-page" data-testid="datasets-page">
      <div className="page-head">
        <h1 className="page-title" data-testid="page-title">
          Datasets
        </h1>
        {list.data && <span className="muted">{list.data.length} registered</span>}
      </div>
      {notice && (
        <p className="muted" role="status" data-testid="delete-message">
          {notice}
        </p>
      )}
      <AddDatasetForm onDone={list.refetch} />
      {list.error && <ErrorPanel error={list.error} onRetry={list.refetch} />}
      {list.loading ? (
        <div className="muted loading">Loading datasets…</div>
      ) : list.data && list.data.length === 0 ? (
        <div className="empty-state" data-testid="datasets-empty">
          <div className="empty-title">No datasets yet</div>
          <p>
            Register a CSV, TSV, JSON Lines or Parquet file (or a folder of them) above, or with <code>lathe datasets add PATH --name NAME</code>. Each
            distinct content becomes a version; runs started with <code>--dataset NAME</code> read it at <code>/data/NAME</code>.
          </p>
        </div>
      ) : list.data ? (
        <div className="table-scroll">
          <table className="table" data-testid="datasets-table">
            <thead>
              <tr>
                <th>name</th>
                <th className="num">versions</th>
                <th>latest</th>
                <th>mode</th>
                <th className="num">size</th>
                <th className="num">rows</th>
                <th className="num">rules</th>
                <th>updated</th>
              </tr>
            </thead>
            <tbody>
              {list.data.map((d) => (
                <tr key={d.name} data-testid="dataset-row" data-name={d.name}>
                  <td>
                    <Link to={`/datasets/${encodeURIComponent(d.name)}`}>
                      <b>{d.name}</b>
                    </Link>
                    {d.description && <div className="muted">{d.description}</div>}
                  </td>
                  <td className="num">{d.versionCount}</td>
                  <td>{d.latest && <code title={d.latest.digest}>{d.latest.digest.slice(0, 12)}</code>}</td>
                  <td>{d.latest ? (d.latest.mode === 'track' ? 'tracked' : 'imported') : ''}</td>
                  <td className="num">{d.latest ? formatBytes(d.latest.sizeBytes) : ''}</td>
                  <td className="num">{d.latest?.rows?.toLocaleString('en-US') ?? <span className="muted">—</span>}</td>
                  <td className="num">{d.rules.length || <span className="muted">—</span>}</td>
                  <td className="nowrap">{formatDateTime(d.updatedAt)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      ) : null}
    </div>
  );
}
