import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import { LatheError } from '../../../shared/errors';

/**
 * A dataset as MLflow describes it (mlflow/protos/service.proto `Dataset`,
 * ../shared/notes/mlflow-rest.md §2): what it is called, a content digest, where it came from
 * and, optionally, its schema and profile (both JSON text, stored as given).
 */
export interface RunDataset {
  name: string;
  digest: string;
  /** e.g. "local", "http", "code", "hugging_face" */
  sourceType: string;
  /** JSON text describing the source (a path or URL, …) */
  source: string;
  schema?: string;
  profile?: string;
}

/** One dataset input of a run, with its input tags (e.g. `mlflow.data.context` = "training"). */
export interface RunDatasetInput {
  dataset: RunDataset;
  tags: Array<{ key: string; value: string }>;
}

/** What a run consumed: dataset inputs, and (MLflow 3) logged models used as inputs. */
export interface RunInputs {
  datasetInputs: RunDatasetInput[];
  modelInputs: Array<{ modelId: string }>;
}

/** MLflow's size limits for dataset inputs (mlflow/utils/validation.py). */
export const DATASET_LIMITS = {
  name: 500,
  digest: 36,
  sourceType: 36,
  source: 65_535,
  schema: 1_048_575,
  profile: 16_384,
  inputTagKey: 255,
  inputTagValue: 500,
} as const;

interface InputRow {
  kind: 'dataset' | 'model';
  name: string;
  digest: string;
  source_type: string;
  source: string;
  schema: string | null;
  profile: string | null;
  tags: string;
}

function tooLong(field: string, value: string | undefined, limit: number): void {
  if (value !== undefined && value.length > limit) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `'${field}' is ${value.length} characters; the limit is ${limit}`, { field });
  }
}

function required(field: string, value: string | undefined): string {
  if (value === undefined || value === '') throw new LatheError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${field}'.`, { field });
  return value;
}

/**
 * Dataset and model inputs of runs (MLflow `runs/log-inputs`, ../shared/notes/mlflow-rest.md
 * §3.3), stored in `run_inputs` (migration 6). Logging the same dataset (name and digest) to a
 * run again is a no-op, as on the real server, so retried requests are harmless. Lathe's
 * datasets feature may record its own runs' inputs through {@link logInputs} too.
 */
export class RunInputsService {
  constructor(
    private readonly db: Db,
    private readonly bus: ChangeBus,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Records inputs of an active run, all or nothing.
   * @param inputs.datasets each needs name, digest, sourceType and source; limits in
   *   {@link DATASET_LIMITS}; tags need a key and a value.
   * @param inputs.models logged model ids (not checked: the model may live elsewhere).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), INVALID_PARAMETER_VALUE (deleted
   *   run, missing field, value too long).
   */
  logInputs(runId: string, inputs: { datasets?: RunDatasetInput[]; models?: Array<{ modelId: string }> }): void {
    const run = this.requireActiveRun(runId);
    const datasets = (inputs.datasets ?? []).map((d, i) => {
      const p = `datasets[${i}].dataset`;
      const ds = d.dataset;
      const checked: RunDataset = {
        name: required(`${p}.name`, ds?.name),
        digest: required(`${p}.digest`, ds?.digest),
        sourceType: required(`${p}.source_type`, ds?.sourceType),
        source: required(`${p}.source`, ds?.source),
        schema: ds.schema || undefined,
        profile: ds.profile || undefined,
      };
      tooLong(`${p}.name`, checked.name, DATASET_LIMITS.name);
      tooLong(`${p}.digest`, checked.digest, DATASET_LIMITS.digest);
      tooLong(`${p}.source_type`, checked.sourceType, DATASET_LIMITS.sourceType);
      tooLong(`${p}.source`, checked.source, DATASET_LIMITS.source);
      tooLong(`${p}.schema`, checked.schema, DATASET_LIMITS.schema);
      tooLong(`${p}.profile`, checked.profile, DATASET_LIMITS.profile);
      const tags = (d.tags ?? []).map((t, j) => {
        const key = required(`datasets[${i}].tags[${j}].key`, t.key);
        const value = t.value ?? '';
        tooLong(`datasets[${i}].tags[${j}].key`, key, DATASET_LIMITS.inputTagKey);
        tooLong(`datasets[${i}].tags[${j}].value`, value, DATASET_LIMITS.inputTagValue);
        return { key, value };
      });
      return { dataset: checked, tags };
    });
    const models = (inputs.models ?? []).map((m, i) => required(`models[${i}].model_id`, m.modelId));
    if (datasets.length === 0 && models.length === 0) return;
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO run_inputs (run, kind, name, digest, source_type, source, schema, profile, tags, created_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    const t = this.now();
    this.db.transaction(() => {
      for (const d of datasets) {
        const ds = d.dataset;
        insert.run(run.id, 'dataset', ds.name, ds.digest, ds.sourceType, ds.source, ds.schema ?? null, ds.profile ?? null, JSON.stringify(d.tags), t);
      }
      for (const modelId of models) insert.run(run.id, 'model', modelId, '', '', '', null, null, '[]', t);
    })();
    this.bus.publish({ kind: 'run', runId, experimentId: String(run.experiment_id) });
  }

  /**
   * A run's inputs in the order they were first logged.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  getInputs(runId: string): RunInputs {
    const run = this.requireRun(runId);
    const rows = this.db
      .prepare<[number], InputRow>('SELECT kind, name, digest, source_type, source, schema, profile, tags FROM run_inputs WHERE run = ? ORDER BY id')
      .all(run.id);
    const out: RunInputs = { datasetInputs: [], modelInputs: [] };
    for (const r of rows) {
      if (r.kind === 'model') {
        out.modelInputs.push({ modelId: r.name });
        continue;
      }
      const dataset: RunDataset = { name: r.name, digest: r.digest, sourceType: r.source_type, source: r.source };
      if (r.schema !== null) dataset.schema = r.schema;
      if (r.profile !== null) dataset.profile = r.profile;
      out.datasetInputs.push({ dataset, tags: JSON.parse(r.tags) as RunDatasetInput['tags'] });
    }
    return out;
  }

  private requireRun(runId: string): { id: number; experiment_id: number; lifecycle_stage: string } {
    const row = this.db
      .prepare<[string], { id: number; experiment_id: number; lifecycle_stage: string }>('SELECT id, experiment_id, lifecycle_stage FROM runs WHERE run_id = ?')
      .get(runId);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`, { runId });
    return row;
  }

  private requireActiveRun(runId: string): { id: number; experiment_id: number } {
    const row = this.requireRun(runId);
    if (row.lifecycle_stage !== 'active') {
      throw new LatheError('INVALID_PARAMETER_VALUE', `The run ${runId} must be in the 'active' state. Current state is deleted.`, { runId });
    }
    return row;
  }
}
