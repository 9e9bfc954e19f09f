import { Fragment, useState } from 'react';
import { Link } from 'react-router';
import type { DatasetDeleteResult, DatasetVersion } from '../../../../shared/api/dataset-types';
import { formatBytes, formatDateTime } from '../../lib/format';
import type { RunStatus } from '../../../../shared/api/types';
import { StatusBadge } from '../status-badge';
import { DeleteConfirm } from './delete-confirm';

interface VersionsTableProps {
  name: string;
  versions: DatasetVersion[];
  /** Versions picked for a diff (digests). */
  picked: string[];
  onPick(digest: string): void;
  onDeleted(result: DatasetDeleteResult): void;
}

const COLUMNS = 9;

/**
 * A dataset's versions, newest first: digest, mode, size, rows, created, the runs that used
 * each, and Delete with its confirmation in a row under the version.
 */
export function VersionsTable({ name, versions, picked, onPick, onDeleted }: VersionsTableProps) {
  const [confirming, setConfirming] = useState<string | null>(null);
  return (
    <div className="table-scroll">
      <table className="table" data-testid="versions-table">
        <thead>
          <tr>
            <th title="pick two to compare">diff</th>
            <th>version</th>
            <th>mode</th>
            <th className="num">files</th>
            <th className="num">size</th>
            <th className="num">rows</th>
            <th>created</th>
            <th>used by runs</th>
            <th aria-label="actions" />
          </tr>
        </thead>
        <tbody>
          {versions.length === 0 && (
            <tr>
              <td colSpan={COLUMNS} className="muted" data-testid="no-versions">
                No versions. Register one with <code>lathe datasets add PATH --name {name}</code>.
              </td>
            </tr>
          )}
          {versions.map((v) => (
            <Fragment key={v.digest}>
              <tr data-testid="version-row" data-digest={v.digest}>
                <td>
                  <input type="checkbox" checked={picked.includes(v.digest)} onChange={() => onPick(v.digest)} aria-label={`compare ${v.digest.slice(0, 12)}`} />
                </td>
                <td>
                  <Link to={`/datasets/${encodeURIComponent(name)}/versions/${v.digest.slice(0, 16)}`} title={v.digest}>
                    <code>{v.digest.slice(0, 12)}</code>
                  </Link>
                </td>
                <td title={v.sourcePath}>{v.mode === 'track' ? 'tracked' : 'imported'}</td>
                <td className="num">{v.fileCount}</td>
                <td className="num">{formatBytes(v.sizeBytes)}</td>
                <td className="num">{v.rows === null ? <span className="muted">not profiled</span> : v.rows.toLocaleString('en-US')}</td>
                <td className="nowrap">{formatDateTime(v.createdAt)}</td>
                <td>
                  {v.usedBy.length === 0 ? (
                    <span className="muted">—</span>
                  ) : (
                    <span className="ds-used-by">
                      {v.usedBy.map((u) => (
                        <Link key={u.runId} to={`/runs/${u.runId}`} className="ds-used-run" data-testid="used-by-run" title={u.runId}>
                          <StatusBadge status={u.status as RunStatus} /> {u.runName}
                        </Link>
                      ))}
                    </span>
                  )}
                </td>
                <td className="num">
                  <button
                    type="button"
                    className="button button-small button-danger"
                    disabled={confirming === v.digest}
                    onClick={() => setConfirming(v.digest)}
                    data-testid="delete-version"
                    title="Delete this version (refused while runs used it)"
                  >
                    Delete…
                  </button>
                </td>
              </tr>
              {confirming === v.digest && (
                <tr data-testid="delete-version-row">
                  <td colSpan={COLUMNS}>
                    <DeleteConfirm name={name} version={v.digest} onCancel={() => setConfirming(null)} onDeleted={(r) => (setConfirming(null), onDeleted(r))} />
                  </td>
                </tr>
              )}
            </Fragment>
          ))}
        </tbody>
      </table>
    </div>
  );
}
