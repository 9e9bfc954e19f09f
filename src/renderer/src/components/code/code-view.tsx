import { useMemo, useState } from 'react';
import { useSearchParams } from 'react-router';
import { call } from '../../api/client';
import { useFillViewport } from '../../hooks/use-fill-viewport';
import { useLiveQuery } from '../../hooks/use-live-query';
import { languageOf } from '../../lib/file-kinds';
import { entryFile, treeRows } from '../../lib/file-tree';
import { formatBytes } from '../../lib/format';
import { ErrorPanel } from '../error-panel';
import { MonacoView } from './monaco-view';
import './code-view.css';

/** The `file` value that selects the recorded git diff instead of a file. */
const GIT_DIFF = ':git-diff';

interface CodeViewProps {
  runId: string;
  /** The run's argv, to open the script it ran first. */
  command: string[] | undefined;
}

/** A run's code snapshot: its files as a tree, the selected one (or the git diff) in Monaco. */
export function CodeView({ runId, command }: CodeViewProps) {
  const [params, setParams] = useSearchParams();
  const [filter, setFilter] = useState('');
  const boxRef = useFillViewport<HTMLDivElement>(420);
  const listing = useLiveQuery(`snapshot:${runId}`, () => call((c) => c.snapshots.list({ runId })));
  const files = listing.data?.files;
  const gitDiff = listing.data?.gitDiff ?? null;
  const selected = params.get('file') ?? (files ? entryFile(files, command) : null);
  const isDiff = selected === GIT_DIFF;
  const file = useLiveQuery(`snapshot-file:${runId}:${selected ?? ''}`, () =>
    selected && !isDiff ? call((c) => c.snapshots.read({ runId, path: selected })) : Promise.resolve(null),
  );

  const rows = useMemo(() => {
    const all = treeRows(files ?? []);
    const q = filter.trim().toLowerCase();
    return q ? all.filter((r) => !r.isDir && r.path.toLowerCase().includes(q)).map((r) => ({ ...r, depth: 0, name: r.path })) : all;
  }, [files, filter]);

  const select = (path: string) => {
    const next = new URLSearchParams(params);
    next.set('file', path);
    setParams(next, { replace: true });
  };

  if (listing.error && !listing.data) return <ErrorPanel error={listing.error} onRetry={listing.refetch} />;
  if (!listing.data) return <div className="muted loading">Loading the code snapshot…</div>;
  if (listing.data.files.length === 0 && gitDiff === null) {
    return (
      <div className="empty-state" data-testid="code-view" data-empty="true">
        <div className="empty-title">No code snapshot</div>
        <p>Runs started by Lathe keep a copy of their script folder; this run has none (it was logged from outside, or its folder was empty).</p>
      </div>
    );
  }

  return (
    <div className="code-view" data-testid="code-view" ref={boxRef}>
      <aside className="code-files card" aria-label="Snapshot files">
        {listing.data.files.length > 12 && (
          <input className="input code-filter" type="search" placeholder="Filter files" aria-label="Filter files" value={filter} onChange={(e) => setFilter(e.target.value)} />
        )}
        <ul className="code-file-list" data-testid="code-files">
          {gitDiff !== null && (
            <li>
              <button type="button" className={`code-file code-file-diff${isDiff ? ' selected' : ''}`} data-testid="code-git-diff" onClick={() => select(GIT_DIFF)}>
                <span className="code-file-name">Uncommitted changes</span>
                <span className="code-file-size">git diff</span>
              </button>
            </li>
          )}
          {rows.map((r) =>
            r.isDir ? (
              <li key={`d:${r.path}`} className="code-dir" style={{ paddingLeft: 10 + r.depth * 14 }}>
                {r.name}/
              </li>
            ) : (
              <li key={r.path}>
                <button
                  type="button"
                  className={`code-file${selected === r.path ? ' selected' : ''}`}
                  style={{ paddingLeft: 10 + r.depth * 14 }}
                  data-testid="code-file"
                  data-path={r.path}
                  title={r.path}
                  onClick={() => select(r.path)}
                >
                  <span className="code-file-name">{r.name}</span>
                  <span className="code-file-size">{formatBytes(r.size)}</span>
                </button>
              </li>
            ),
          )}
        </ul>
        <div className="code-files-foot muted">
          {listing.data.files.length} file{listing.data.files.length === 1 ? '' : 's'} ·{' '}
          {formatBytes(listing.data.files.reduce((n, f) => n + f.size, 0))}
        </div>
      </aside>
      <section className="code-editor card">
        <div className="code-editor-head">
          <code className="code-editor-path" data-testid="code-path">
            {isDiff ? 'git diff HEAD (at launch)' : (selected ?? '')}
          </code>
          {!isDiff && file.data?.truncated && <span className="muted">first {formatBytes(file.data.text?.length ?? 0)} shown</span>}
        </div>
        {isDiff ? (
          <MonacoView value={gitDiff ?? ''} language="diff" highlightDiff testId="code-editor" />
        ) : file.error ? (
          <div className="code-editor-note error-text">
            {file.error.code}: {file.error.message}
          </div>
        ) : !file.data ? (
          <div className="code-editor-note muted">{selected ? 'Loading…' : 'Select a file'}</div>
        ) : file.data.text === null ? (
          <div className="code-editor-note muted">A binary file ({formatBytes(file.data.size)}); it is kept in the snapshot but not shown.</div>
        ) : (
          <MonacoView value={file.data.text} language={languageOf(file.data.path)} testId="code-editor" />
        )}
      </section>
    </div>
  );
}

export default CodeView;
