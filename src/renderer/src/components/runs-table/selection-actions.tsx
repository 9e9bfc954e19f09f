import { useState } from 'react';
import { useNavigate } from 'react-router';
import { call } from '../../api/client';
import { formatBytes } from '../../lib/format';

interface SelectionActionsProps {
  runIds: string[];
  deletedView: boolean;
  groupBy: string | null;
  onClear(): void;
  /** Called after a change the table should show at once (the change feed follows anyway). */
  onChanged(): void;
}

type Pending = null | 'tag' | 'purge';

/** What can be done with the selected runs: compare, tag, delete/restore, delete permanently. */
export function SelectionActions({ runIds, deletedView, groupBy, onClear, onChanged }: SelectionActionsProps) {
  const navigate = useNavigate();
  const [pending, setPending] = useState<Pending>(null);
  const [busy, setBusy] = useState(false);
  const [message, setMessage] = useState<{ text: string; error?: boolean } | null>(null);
  const [tagKey, setTagKey] = useState('');
  const [tagValue, setTagValue] = useState('');
  const n = runIds.length;
  const plural = `${n} run${n === 1 ? '' : 's'}`;

  const act = async (what: () => Promise<string>) => {
    setBusy(true);
    setMessage(null);
    try {
      setMessage({ text: await what() });
      setPending(null);
      onChanged();
    } catch (err) {
      setMessage({ text: err instanceof Error ? err.message : String(err), error: true });
    } finally {
      setBusy(false);
    }
  };

  const compare = () => {
    // Run ids are hex: the list stays readable in the address bar (URLSearchParams would write %2C).
    void navigate(`/compare?runs=${runIds.map(encodeURIComponent).join(',')}${groupBy ? `&group=${encodeURIComponent(groupBy)}` : ''}`);
  };

  return (
    <div className="selection-actions" data-testid="selection-actions">
      {n > 0 && (
        <>
          <span className="selection-count" data-testid="selection-count">
            {n} selected
          </span>
          <button type="button" className="button button-primary" onClick={compare} disabled={n === 0} data-testid="compare-button" title="Overlay the selected runs' metrics">
            Compare
          </button>
          {!deletedView && (
            <button type="button" className="button" onClick={() => setPending(pending === 'tag' ? null : 'tag')} disabled={busy}>
              Tag…
            </button>
          )}
          {deletedView ? (
            <>
              <button type="button" className="button" disabled={busy} data-testid="restore-runs" onClick={() => void act(async () => (await call((c) => c.runs.restore({ runIds })), onClear(), `Restored ${plural}`))}>
                Restore
              </button>
              <button type="button" className="button button-danger" disabled={busy} data-testid="purge-runs" onClick={() => setPending('purge')}>
                Delete permanently…
              </button>
            </>
          ) : (
            <button
              type="button"
              className="button button-danger"
              disabled={busy}
              data-testid="delete-runs"
              onClick={() => void act(async () => (await call((c) => c.runs.delete({ runIds })), onClear(), `Deleted ${plural}; restore them from the Deleted view`))}
            >
              Delete
            </button>
          )}
          <button type="button" className="link-button clear-selection" onClick={onClear}>
            clear
          </button>
        </>
      )}
      {pending === 'tag' && n > 0 && (
        <form
          className="inline-form"
          onSubmit={(e) => {
            e.preventDefault();
            const key = tagKey.trim();
            if (!key) return;
            void act(async () => {
              await Promise.all(runIds.map((runId) => call((c) => c.runs.logBatch({ runId, tags: [{ key, value: tagValue }] }))));
              return `Tagged ${plural} ${key}=${tagValue}`;
            });
          }}
        >
          <input className="input input-mono" placeholder="key" value={tagKey} onChange={(e) => setTagKey(e.target.value)} aria-label="Tag key" autoFocus />
          <input className="input input-mono" placeholder="value" value={tagValue} onChange={(e) => setTagValue(e.target.value)} aria-label="Tag value" />
          <button type="submit" className="button button-primary" disabled={busy || !tagKey.trim()}>
            Set on {plural}
          </button>
        </form>
      )}
      {pending === 'purge' && n > 0 && (
        <div className="confirm-box" role="alertdialog" aria-label="Delete permanently" data-testid="purge-confirm">
          <span>
            Delete {plural} permanently? Their metrics, params, artifacts, logs and code snapshots are removed and the disk space is reclaimed. This
            cannot be undone.
          </span>
          <button
            type="button"
            className="button button-danger-solid"
            disabled={busy}
            data-testid="purge-confirm-button"
            onClick={() =>
              void act(async () => {
                const r = await call((c) => c.runs.purge({ runIds }));
                onClear();
                const freed = Math.max(0, r.dbBytesBefore - r.dbBytesAfter) + r.fileBytes;
                return `Deleted ${r.purged.length} run${r.purged.length === 1 ? '' : 's'} permanently; freed ${formatBytes(freed)} (database ${formatBytes(r.dbBytesBefore)} → ${formatBytes(r.dbBytesAfter)})`;
              })
            }
          >
            {busy ? 'Deleting…' : 'Delete permanently'}
          </button>
          <button type="button" className="button" onClick={() => setPending(null)} disabled={busy}>
            Cancel
          </button>
        </div>
      )}
      {message && (
        <span className={message.error ? 'error-text action-message' : 'muted action-message'} role="status" data-testid="action-message">
          {message.text}
        </span>
      )}
    </div>
  );
}
