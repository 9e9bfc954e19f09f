import { useSearchParams } from 'react-router';
import { call } from '../../api/client';
import type { ChangeEvent } from '../../../../shared/api/types';
import { useLiveQuery } from '../../hooks/use-live-query';
import { formatBytes } from '../../lib/format';
import { joinPath } from '../../lib/download';
import { ErrorPanel } from '../error-panel';
import { ArtifactPreview } from './artifact-preview';
import { DownloadButton } from './download-button';
import './artifacts.css';

function FolderIcon() {
  return (
    <svg className="file-icon folder" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M1.5 4.5a1 1 0 0 1 1-1h3.6l1.5 1.6h5.9a1 1 0 0 1 1 1v6.4a1 1 0 0 1-1 1h-11a1 1 0 0 1-1-1z" fill="currentColor" />
    </svg>
  );
}
function FileIcon() {
  return (
    <svg className="file-icon" viewBox="0 0 16 16" aria-hidden="true">
      <path d="M4 1.5h5.2L12.5 4.8v9.2a.5.5 0 0 1-.5.5H4a.5.5 0 0 1-.5-.5V2a.5.5 0 0 1 .5-.5z M9 1.7V5h3.3" fill="none" stroke="currentColor" strokeWidth="1.1" />
    </svg>
  );
}

/**
 * A run's artifacts as folders to browse: the folder and the previewed file live in the URL
 * (`?tab=artifacts&path=model&file=model/MLmodel`), so back and forward work.
 */
export function ArtifactsBrowser({ runId }: { runId: string }) {
  const [params, setParams] = useSearchParams();
  const folder = params.get('path') ?? '';
  const file = params.get('file');
  const list = useLiveQuery(
    `artifacts:${runId}:${folder}`,
    () => call((c) => c.artifacts.list({ runId, path: folder })),
    (e: ChangeEvent) => e.kind === 'run' && e.runId === runId,
  );

  const go = (patch: { path?: string; file?: string | null }) => {
    const next = new URLSearchParams(params);
    if (patch.path !== undefined) {
      if (patch.path) next.set('path', patch.path);
      else next.delete('path');
    }
    if (patch.file) next.set('file', patch.file);
    else next.delete('file');
    setParams(next);
  };

  const segments = folder ? folder.split('/') : [];
  const entries = list.data ?? [];
  const selected = file ? entries.find((e) => joinPath(folder, e.path) === file) : undefined;

  return (
    <div className="artifacts" data-testid="artifacts">
      <nav className="breadcrumb" aria-label="Folder" data-testid="artifacts-breadcrumb">
        <button type="button" className="crumb" onClick={() => go({ path: '' })} disabled={segments.length === 0}>
          artifacts
        </button>
        {segments.map((seg, i) => (
          <span key={i} className="crumb-part">
            <span className="crumb-sep">/</span>
            <button type="button" className="crumb" disabled={i === segments.length - 1} onClick={() => go({ path: segments.slice(0, i + 1).join('/') })}>
              {seg}
            </button>
          </span>
        ))}
      </nav>
      {list.error && !list.data ? (
        <ErrorPanel error={list.error} onRetry={list.refetch} />
      ) : list.loading ? (
        <div className="muted loading">Loading artifacts…</div>
      ) : entries.length === 0 ? (
        <div className="empty-state" data-testid="artifacts-empty">
          <div className="empty-title">{folder ? 'This folder is empty' : 'No artifacts'}</div>
          {!folder && <p>Files the run logs as artifacts (models, plots, reports) appear here.</p>}
        </div>
      ) : (
        <div className="table-scroll">
          <table className="table artifacts-table" data-testid="artifacts-list">
            <thead>
              <tr>
                <th>Name</th>
                <th className="num">Size</th>
                <th aria-label="Actions" />
              </tr>
            </thead>
            <tbody>
              {folder && (
                <tr className="clickable" onClick={() => go({ path: segments.slice(0, -1).join('/') })}>
                  <td colSpan={3} className="muted">
                    <div className="artifact-name">
                      <FolderIcon /> ..
                    </div>
                  </td>
                </tr>
              )}
              {entries.map((e) => {
                const full = joinPath(folder, e.path);
                return (
                  <tr
                    key={e.path}
                    className={`clickable${file === full ? ' selected' : ''}`}
                    data-testid="artifact-row"
                    data-path={full}
                    data-dir={e.isDir ? 'true' : 'false'}
                    tabIndex={0}
                    aria-label={e.isDir ? `Open folder ${e.path}` : `Preview ${e.path}`}
                    onClick={() => (e.isDir ? go({ path: full }) : go({ file: file === full ? null : full }))}
                    onKeyDown={(ev) => {
                      if (ev.key !== 'Enter' || ev.target !== ev.currentTarget) return;
                      if (e.isDir) go({ path: full });
                      else go({ file: file === full ? null : full });
                    }}
                  >
                    <td>
                      <div className="artifact-name">
                        {e.isDir ? <FolderIcon /> : <FileIcon />}
                        <span>
                          {e.path}
                          {e.isDir && <span className="muted">/</span>}
                        </span>
                      </div>
                    </td>
                    <td className="num nowrap muted">{e.isDir ? '' : formatBytes(e.fileSize)}</td>
                    <td className="artifact-actions">{!e.isDir && <DownloadButton runId={runId} path={full} />}</td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        </div>
      )}
      {file && (selected || list.loading) && (
        <ArtifactPreview key={file} runId={runId} path={file} size={selected?.fileSize} onClose={() => go({ file: null })} />
      )}
    </div>
  );
}
