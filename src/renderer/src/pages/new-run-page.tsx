import { useEffect, useState, type FormEvent } from 'react';
import { Link, useNavigate } from 'react-router';
import { call, toApiError, type ApiError } from '../api/client';
import type { ChangeEvent } from '../../../shared/api/types';
import { ArgvPreview } from '../components/new-run/argv-preview';
import { FormRow } from '../components/new-run/form-row';
import { GpuField } from '../components/new-run/gpu-field';
import { ImageField } from '../components/new-run/image-field';
import { KeyValueRows } from '../components/new-run/key-value-rows';
import { useLiveQuery } from '../hooks/use-live-query';
import { buildRunSpec, formFieldOf, type FormErrors } from '../lib/new-run-form';
import { useNewRunDraft } from '../state/new-run-draft';
import { useUiStore } from '../state/ui-store';
import './new-run-page.css';

const EXAMPLE_FOLDER = 'examples/sklearn-breast-cancer';

/** Brings the first field marked with an error into view, once it is drawn. */
function focusFirstError(): void {
  requestAnimationFrame(() => {
    const row = document.querySelector<HTMLElement>('.new-run-form .form-row.has-error');
    row?.scrollIntoView({ block: 'center' });
    row?.querySelector<HTMLElement>('input, select, button')?.focus({ preventScroll: true });
  });
}

export function NewRunPage() {
  const navigate = useNavigate();
  const { form, patch, setRuntime, runtimeTouched } = useNewRunDraft();
  const lastExperimentId = useUiStore((s) => s.lastExperimentId);
  const [errors, setErrors] = useState<FormErrors>({});
  const [topError, setTopError] = useState<ApiError | null>(null);
  const [submitting, setSubmitting] = useState(false);

  const status = useLiveQuery('runtimes:status', () => call((c) => c.runtimes.status()));
  const images = useLiveQuery('runtimes:images', () => call((c) => c.runtimes.images()));
  const experiments = useLiveQuery(
    'experiments',
    () => call((c) => c.experiments.list()),
    (e: ChangeEvent) => e.kind === 'experiment',
  );

  // The server's default runtime (docker when the engine answers) until the person picks one.
  const defaultRuntime = status.data?.defaultRuntime;
  useEffect(() => {
    if (defaultRuntime && !runtimeTouched) setRuntime(defaultRuntime, false);
  }, [defaultRuntime, runtimeTouched, setRuntime]);

  // Coming from an experiment's page: start the run there, unless a name was typed already.
  const fromExperiment = experiments.data?.find((e) => e.experimentId === lastExperimentId)?.name;
  useEffect(() => {
    if (fromExperiment && !useNewRunDraft.getState().form.experiment) patch({ experiment: fromExperiment });
  }, [fromExperiment, patch]);

  const docker = status.data?.docker;
  const experimentName = form.experiment.trim();
  const existingExperiment = experiments.data?.some((e) => e.name === experimentName);

  const edit = (p: Parameters<typeof patch>[0], ...fields: Array<keyof FormErrors>) => {
    patch(p);
    if (fields.some((f) => errors[f])) setErrors((e) => Object.fromEntries(Object.entries(e).filter(([k]) => !fields.includes(k as keyof FormErrors))));
  };

  async function submit(event: FormEvent) {
    event.preventDefault();
    setTopError(null);
    const built = buildRunSpec(form, experiments.data);
    setErrors(built.errors);
    if (!built.spec) return focusFirstError();
    setSubmitting(true);
    try {
      const info = await call((c) => c.runs.start(built.spec!));
      // Everything else is a good start for the next run; a name belongs to one run.
      patch({ name: '' });
      void navigate(`/runs/${encodeURIComponent(info.runId)}?tab=logs`);
    } catch (err) {
      const e = toApiError(err);
      const field = formFieldOf(e.details?.field);
      if (field) setErrors({ [field]: e.message });
      else setTopError(e);
      setSubmitting(false);
      if (field) focusFirstError();
      else window.scrollTo({ top: 0 });
    }
  }

  return (
    <div className="new-run-page">
      <Link to={lastExperimentId ? `/experiments/${encodeURIComponent(lastExperimentId)}` : '/'} className="back-link">
        ← Runs
      </Link>
      <div className="page-head">
        <h1 className="page-title">New run</h1>
        <span className="muted">Runs a command on this machine, in a container or as a process, and tracks it.</span>
      </div>
      {topError && (
        <div className="panel panel-error form-error" role="alert" data-testid="form-error" data-error-code={topError.code}>
          <div className="panel-title">The run was not started</div>
          <p className="panel-message">{topError.message}</p>
          <p className="panel-detail">
            <code>{topError.code}</code>
          </p>
        </div>
      )}
      <form className="new-run-form card" data-testid="new-run-form" onSubmit={submit} noValidate>
        <fieldset className="form-section">
          <legend className="form-section-title">Code</legend>
          <FormRow
            label="Script folder"
            htmlFor="field-workdir"
            field="workdir"
            error={errors.workdir}
            hint={
              <>
                A folder on the machine running Lathe; its files are snapshotted into the run. Try{' '}
                <button type="button" className="link-button" onClick={() => edit({ workdir: EXAMPLE_FOLDER }, 'workdir')}>
                  {EXAMPLE_FOLDER}
                </button>
                .
              </>
            }
          >
            <input
              id="field-workdir"
              className="input input-mono"
              data-testid="field-workdir"
              placeholder={EXAMPLE_FOLDER}
              value={form.workdir}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => edit({ workdir: e.target.value }, 'workdir')}
            />
          </FormRow>
          <FormRow label="Command" htmlFor="field-command" field="command" error={errors.command} hint="Split like a shell line: quotes group words; no variables or pipes.">
            <input
              id="field-command"
              className="input input-mono"
              data-testid="field-command"
              placeholder="python3 train.py"
              value={form.command}
              spellCheck={false}
              autoComplete="off"
              onChange={(e) => edit({ command: e.target.value }, 'command')}
            />
            <ArgvPreview command={form.command} />
          </FormRow>
        </fieldset>

        <fieldset className="form-section">
          <legend className="form-section-title">Runtime</legend>
          <FormRow label="Runtime" htmlFor="field-runtime" field="runtime" error={errors.runtime}>
            <select
              id="field-runtime"
              className="input input-narrow"
              data-testid="field-runtime"
              value={form.runtime}
              onChange={(e) => {
                setRuntime(e.target.value as 'docker' | 'process', true);
                setErrors((x) => ({ ...x, runtime: undefined, image: undefined }));
              }}
            >
              <option value="docker">Docker container</option>
              <option value="process">Process on the host</option>
            </select>
            {docker && !docker.available && (
              <div className="note note-warning" data-testid="docker-unavailable">
                <strong>Docker is not available</strong>
                {docker.error ? `: ${docker.error.replace(/\.?\s*$/, '.')}` : '.'} Runs can use the process runtime meanwhile.
              </div>
            )}
            {docker?.available && docker.version && <div className="form-hint">Docker engine {docker.version}</div>}
          </FormRow>
          <FormRow
            label="Image"
            htmlFor="field-image"
            field="image"
            error={errors.image}
            hint={form.runtime === 'process' ? 'Not used by the process runtime.' : 'A local image, or any reference the engine can pull.'}
          >
            <ImageField
              value={form.image}
              onChange={(image) => edit({ image }, 'image')}
              images={images.data}
              imagesError={images.error}
              disabled={form.runtime === 'process'}
            />
          </FormRow>
        </fieldset>

        <fieldset className="form-section">
          <legend className="form-section-title">Tracking</legend>
          <FormRow
            label="Experiment"
            htmlFor="field-experiment"
            field="experiment"
            error={errors.experiment}
            hint={experimentName ? (existingExperiment ? 'An existing experiment.' : `A new experiment “${experimentName}” will be created.`) : 'Empty: the Default experiment.'}
          >
            <input
              id="field-experiment"
              className="input"
              data-testid="field-experiment"
              list="experiment-names"
              placeholder="Default"
              value={form.experiment}
              autoComplete="off"
              onChange={(e) => edit({ experiment: e.target.value }, 'experiment')}
            />
            <datalist id="experiment-names">
              {experiments.data?.map((e) => <option key={e.experimentId} value={e.name} />)}
            </datalist>
          </FormRow>
          <FormRow label="Run name" htmlFor="field-name" field="name" error={errors.name} hint="Optional.">
            <input
              id="field-name"
              className="input"
              data-testid="field-name"
              placeholder="e.g. baseline-30-epochs"
              value={form.name}
              autoComplete="off"
              onChange={(e) => edit({ name: e.target.value }, 'name')}
            />
          </FormRow>
          <FormRow label="Params" field="params" error={errors.params} hint="Logged with the run and passed to the script (LATHE_PARAMS).">
            <KeyValueRows
              kind="param"
              rows={form.params}
              onChange={(params) => edit({ params }, 'params')}
              keyPlaceholder="epochs"
              valuePlaceholder="30"
              addLabel="Add param"
            />
          </FormRow>
        </fieldset>

        <fieldset className="form-section">
          <legend className="form-section-title">Resources</legend>
          <FormRow label="GPUs" field="gpus" error={errors.gpus}>
            <GpuField form={form} onChange={(p) => edit(p, 'gpus')} />
          </FormRow>
          <FormRow label="CPU cores" htmlFor="field-cpus" field="cpus" error={errors.cpus} hint="Optional limit; fractions allowed.">
            <input
              id="field-cpus"
              className="input input-narrow"
              data-testid="field-cpus"
              inputMode="decimal"
              placeholder="no limit"
              value={form.cpus}
              onChange={(e) => edit({ cpus: e.target.value }, 'cpus')}
            />
          </FormRow>
          <FormRow label="Memory" htmlFor="field-memory" field="memory" error={errors.memory} hint="Optional limit: MiB, or with a unit (512m, 8g).">
            <input
              id="field-memory"
              className="input input-narrow"
              data-testid="field-memory"
              placeholder="no limit"
              value={form.memory}
              onChange={(e) => edit({ memory: e.target.value }, 'memory')}
            />
          </FormRow>
          <FormRow label="Environment" field="env" error={errors.env} hint="Variables for the run. Values of names with TOKEN, SECRET, PASSWORD, API_KEY… are masked wherever the run is shown.">
            <KeyValueRows kind="env" rows={form.env} onChange={(env) => edit({ env }, 'env')} keyPlaceholder="NAME" valuePlaceholder="value" addLabel="Add variable" />
          </FormRow>
        </fieldset>

        <div className="form-actions">
          <button type="submit" className="button button-primary" data-testid="submit-run" disabled={submitting}>
            {submitting ? 'Starting…' : 'Start run'}
          </button>
          {Object.values(errors).some(Boolean) && <span className="error-text">Check the fields marked above.</span>}
        </div>
      </form>
    </div>
  );
}
