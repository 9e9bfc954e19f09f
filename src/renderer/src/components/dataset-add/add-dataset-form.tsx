import { useRef, useState, type FormEvent } from 'react';
import { useNavigate } from 'react-router';
import type { AddProgress, DatasetMode } from '../../../../shared/api/dataset-types';
import { api, toApiError, type ApiError } from '../../api/client';
import { formatBytes } from '../../lib/format';
import { ErrorPanel } from '../error-panel';
import './add-dataset-form.css';

/** A dataset name from a path's last part: letters, digits, '.', '_' and '-'. */
export function nameFromPath(p: string): string {
  const base = p.replace(/[\\/]+$/, '').split(/[\\/]/).pop() ?? '';
  return base.replace(/\.(gz|zst)$/i, '').replace(/\.[A-Za-z0-9]+$/, '').replace(/[^A-Za-z0-9._-]+/g, '-').replace(/^[^A-Za-z0-9]+/, '').slice(0, 128);
}

/**
 * Registers a file or folder on the machine running Lathe: hashing (track in place) or
 * copying (import) shows its progress and can be cancelled.
 */
export function AddDatasetForm({ onDone }: { onDone?: () => void }) {
  const navigate = useNavigate();
  const [path, setPath] = useState('');
  const [name, setName] = useState('');
  const [nameTouched, setNameTouched] = useState(false);
  const [mode, setMode] = useState<DatasetMode>('track');
  const [progress, setProgress] = useState<AddProgress | null>(null);
  const [error, setError] = useState<ApiError | null>(null);
  const abortRef = useRef<AbortController | null>(null);
  const busy = abortRef.current !== null && progress !== null;

  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const controller = new AbortController();
    abortRef.current = controller;
    setError(null);
    setProgress({ phase: 'scan', bytesDone: 0, bytesTotal: 0 });
    try {
      const stream = await api.datasets.add({ path: path.trim(), name, mode }, { signal: controller.signal });
      for await (const ev of stream) {
        if (ev.type === 'progress') setProgress(ev.progress);
        else {
          onDone?.();
          navigate(`/datasets/${encodeURIComponent(ev.dataset.name)}`);
        }
      }
    } catch (err) {
      if (!controller.signal.aborted) setError(toApiError(err));
    } finally {
      abortRef.current = null;
      setProgress(null);
    }
  };

  const pct = progress && progress.bytesTotal > 0 ? Math.round((progress.bytesDone / progress.bytesTotal) * 100) : null;
  return (
    <form className="ds-add card" onSubmit={(e) => void submit(e)} data-testid="add-dataset-form">
      <div className="ds-add-fields">
        <label className="ds-add-field ds-add-path">
          <span>File or folder (on the Lathe machine)</span>
          <input
            className="input input-mono"
            value={path}
            placeholder="/data/train.csv"
            onChange={(e) => {
              setPath(e.target.value);
              if (!nameTouched) setName(nameFromPath(e.target.value));
            }}
            required
            data-testid="add-path"
          />
        </label>
        <label className="ds-add-field">
          <span>Name</span>
          <input className="input" value={name} onChange={(e) => (setName(e.target.value), setNameTouched(true))} pattern="[A-Za-z0-9][A-Za-z0-9._\-]*" required data-testid="add-name" />
        </label>
        <label className="ds-add-field">
          <span>Mode</span>
          <select className="input" value={mode} onChange={(e) => setMode(e.target.value as DatasetMode)}>
            <option value="track">Track in place (verify before use)</option>
            <option value="import">Import into Lathe's store</option>
          </select>
        </label>
        <button type="submit" className="button button-primary ds-add-submit" disabled={busy || !path || !name} data-testid="add-submit">
          Register
        </button>
      </div>
      {progress && (
        <div className="ds-add-progress" data-testid="add-progress">
          <div className="ds-add-bar">
            <div className="ds-add-bar-fill" style={{ width: `${pct ?? 0}%` }} />
          </div>
          <span className="muted">
            {progress.phase === 'scan' ? 'Listing files…' : `${progress.phase === 'copy' ? 'Copying' : 'Hashing'} ${pct}% · ${formatBytes(progress.bytesDone)} of ${formatBytes(progress.bytesTotal)}`}
          </span>
          <button type="button" className="button button-small" onClick={() => abortRef.current?.abort()}>
            Cancel
          </button>
        </div>
      )}
      {error && <ErrorPanel error={error} title="Could not register the dataset" />}
    </form>
  );
}
