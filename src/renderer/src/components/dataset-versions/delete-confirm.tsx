import { useEffect, useState } from 'react';
import type { DatasetDeleteResult } from '../../../../shared/api/dataset-types';
import { deleteConsequences } from '../../../../shared/dataset-delete-summary';
import { call, toApiError } from '../../api/client';

interface DeleteConfirmProps {
  name: string;
  /** The version's digest; without it, the whole dataset. */
  version?: string;
  /** Versions the dataset has (said when deleting it whole). */
  versionCount?: number;
  onDeleted(result: DatasetDeleteResult): void;
  onCancel(): void;
}

/**
 * The inline confirmation of a dataset or version delete. A dry run on opening says what goes
 * from disk, or why the delete is refused (runs used the version), before anything is clicked.
 */
export function DeleteConfirm({ name, version, versionCount = 0, onDeleted, onCancel }: DeleteConfirmProps) {
  const [plan, setPlan] = useState<DatasetDeleteResult | null>(null);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  useEffect(() => {
    let current = true;
    call((c) => c.datasets.delete({ name, version, dryRun: true })).then(
      (p) => current && setPlan(p),
      (err: unknown) => current && setError(toApiError(err).message),
    );
    return () => {
      current = false;
    };
  }, [name, version]);

  const confirm = async () => {
    setBusy(true);
    try {
      onDeleted(await call((c) => c.datasets.delete({ name, version })));
    } catch (err) {
      setError(toApiError(err).message);
    } finally {
      setBusy(false);
    }
  };

  const what = version ? `version ${version.slice(0, 12)}` : `dataset ${name}, its ${versionCount} version${versionCount === 1 ? '' : 's'} and its rules`;
  const effects = plan ? deleteConsequences(plan).join('; ') : '';
  return (
    <div className="confirm-box" role="alertdialog" aria-label={`Delete ${what}`} data-testid="delete-confirm">
      {error ? (
        <span className="error-text" data-testid="delete-refusal">
          {error}
        </span>
      ) : (
        <span>
          Delete {what}? {plan ? (effects ? `${effects[0]!.toUpperCase()}${effects.slice(1)}. ` : '') : 'Checking what it removes… '}
          This cannot be undone.
        </span>
      )}
      {!error && (
        <button type="button" className="button button-danger-solid" disabled={busy || !plan} data-testid="delete-confirm-button" onClick={() => void confirm()}>
          {busy ? 'Deleting…' : version ? 'Delete version' : 'Delete dataset'}
        </button>
      )}
      <button type="button" className="button" onClick={onCancel} disabled={busy}>
        {error ? 'Close' : 'Cancel'}
      </button>
    </div>
  );
}
