import { useState } from 'react';
import { Link, useNavigate, useParams } from 'react-router';
import type { ChangeEvent } from '../../../shared/api/types';
import type { DatasetDeleteResult, ValidationReport } from '../../../shared/api/dataset-types';
import { deletedTarget } from '../../../shared/dataset-delete-summary';
import { call, toApiError, type ApiError } from '../api/client';
import { ErrorPanel } from '../components/error-panel';
import { RulesEditor } from '../components/dataset-validation/rules-editor';
import { ValidationReportView } from '../components/dataset-validation/validation-report';
import { DeleteConfirm } from '../components/dataset-versions/delete-confirm';
import { VersionsTable } from '../components/dataset-versions/versions-table';
import { useLiveQuery } from '../hooks/use-live-query';
import { formatBytes } from '../lib/format';
import './datasets.css';

/** One dataset: its versions (with lineage), its validation rules, and a version diff picker. */
export function DatasetPage() {
  const name = useParams().name ?? '';
  const navigate = useNavigate();
  const refresh = (e: ChangeEvent) => (e.kind === 'dataset' && e.datasetName === name) || e.kind === 'run';
  const dataset = useLiveQuery(`dataset:${name}`, () => call((c) => c.datasets.get({ name })), refresh);
  const versions = useLiveQuery(`dataset-versions:${name}`, () => call((c) => c.datasets.versions({ name })), refresh);
  const [picked, setPicked] = useState<string[]>([]);
  const [report, setReport] = useState<ValidationReport | null>(null);
  const [validating, setValidating] = useState(false);
  const [error, setError] = useState<ApiError | null>(null);
  const [confirmDelete, setConfirmDelete] = useState(false);
  const [deleted, setDeleted] = useState<string | null>(null);

  if (dataset.error && !dataset.data) {
    return (
      <div className="ds-page">
        <Link to="/datasets" className="ds-back">
          ← Datasets
        </Link>
        <ErrorPanel error={dataset.error} title={dataset.error.code === 'RESOURCE_DOES_NOT_EXIST' ? 'Dataset not found' : undefined} onRetry={dataset.refetch} />
      </div>
    );
  }
  if (!dataset.data) return <div className="muted loading">Loading dataset…</div>;
  const d = dataset.data;
  const pick = (digest: string) => setPicked((p) => (p.includes(digest) ? p.filter((x) => x !== digest) : [...p.slice(-1), digest]));
  const validate = async () => {
    setValidating(true);
    setError(null);
    try {
      setReport(await call((c) => c.datasets.validate({ target: name })));
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setValidating(false);
    }
  };
  const done = (r: DatasetDeleteResult) => `Deleted ${deletedTarget(r)}; freed ${formatBytes(r.freedBytes)}`;
  const versionDeleted = (r: DatasetDeleteResult) => {
    setDeleted(done(r));
    setPicked((p) => p.filter((x) => x !== r.versions[0]?.digest));
    versions.refetch();
    dataset.refetch();
  };
  const [older, newer] = [...picked].sort((a, b) => (versions.data?.findIndex((v) => v.digest === b) ?? 0) - (versions.data?.findIndex((v) => v.digest === a) ?? 0));

  return (
    <div className="ds-page" data-testid="dataset-page">
      <Link to="/datasets" className="ds-back">
        ← Datasets
      </Link>
      <div className="page-head">
        <h1 className="page-title" data-testid="page-title">
          {d.name}
        </h1>
        <span className="muted">
          {d.versionCount} version{d.versionCount === 1 ? '' : 's'}
        </span>
        {d.latest && (
          <Link to={`/datasets/${encodeURIComponent(name)}/versions/${d.latest.digest.slice(0, 16)}`} className="button button-primary page-head-action" data-testid="inspect-latest">
            Inspect latest
          </Link>
        )}
        <button type="button" className={`button button-danger${d.latest ? '' : ' page-head-action'}`} disabled={confirmDelete} onClick={() => setConfirmDelete(true)} data-testid="delete-dataset">
          Delete dataset…
        </button>
      </div>
      {confirmDelete && (
        <DeleteConfirm
          name={name}
          versionCount={d.versionCount}
          onCancel={() => setConfirmDelete(false)}
          onDeleted={(r) => void navigate('/datasets', { state: { notice: done(r) } })}
        />
      )}
      {d.description && <p className="muted">{d.description}</p>}
      <section className="ds-section">
        <h2 className="ds-section-title">
          Versions <span className="muted">content digests, newest first; pick two to compare</span>
        </h2>
        <div className="ds-toolbar">
          <button type="button" className="button" disabled={picked.length !== 2} onClick={() => navigate(`/datasets/${encodeURIComponent(name)}/diff/${older!.slice(0, 16)}/${newer!.slice(0, 16)}`)} data-testid="compare-versions">
            Compare {picked.length === 2 ? `${older!.slice(0, 8)} → ${newer!.slice(0, 8)}` : 'two versions'}
          </button>
        </div>
        {versions.error && <ErrorPanel error={versions.error} onRetry={versions.refetch} />}
        {deleted && (
          <p className="muted" role="status" data-testid="delete-message">
            {deleted}
          </p>
        )}
        {versions.data && <VersionsTable name={name} versions={versions.data} picked={picked} onPick={pick} onDeleted={versionDeleted} />}
      </section>
      <section className="ds-section">
        <h2 className="ds-section-title">
          Validation rules <span className="muted">checked by “Validate”, and before runs started with --require-valid</span>
        </h2>
        <RulesEditor name={name} rules={d.rules} onSaved={() => (dataset.refetch(), setReport(null))} />
        <div className="ds-toolbar" style={{ marginTop: 10 }}>
          <button type="button" className="button" onClick={() => void validate()} disabled={validating || d.rules.length === 0} data-testid="validate-latest">
            {validating ? 'Validating…' : 'Validate the latest version'}
          </button>
        </div>
        {error && <ErrorPanel error={error} title="Validation could not run" />}
        {report && <ValidationReportView report={report} />}
      </section>
    </div>
  );
}
