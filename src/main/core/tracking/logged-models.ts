import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import type { TrackingService } from './tracking-service';
import { LatheError } from '../../../shared/errors';
import { parseMetricValue, truncateValue, validateKey } from './validation';
import { randomRunName } from './run-names';
import { clauseMatches, compareValues, parseSearchFilter, type FilterSpec } from '../registry/search-filter';
import { toValue, type MetricRow } from './metric-reader';

export const LOGGED_MODEL_STATUSES = ['LOGGED_MODEL_PENDING', 'LOGGED_MODEL_READY', 'LOGGED_MODEL_UPLOAD_FAILED'] as const;
export type LoggedModelStatus = (typeof LOGGED_MODEL_STATUSES)[number];

/** A metric point recorded for a logged model (a run metric sent with `model_id`). */
export interface LoggedModelMetric {
  key: string;
  /** may be NaN or ±Infinity */
  value: number;
  /** ms since epoch */
  timestamp: number;
  step: number;
  runId: string | null;
  datasetName: string | null;
  datasetDigest: string | null;
}

/** An MLflow 3 logged model (../shared/notes/mlflow-rest.md §2 LoggedModel, §3.6). */
export interface LoggedModel {
  /** `m-` + 32 hex */
  modelId: string;
  experimentId: string;
  name: string;
  /** `mlflow-artifacts:/<experiment_id>/models/<model_id>/artifacts` */
  artifactUri: string;
  creationTime: number;
  lastUpdatedTime: number;
  status: LoggedModelStatus;
  statusMessage: string | null;
  /** "" when unset */
  modelType: string;
  sourceRunId: string | null;
  tags: Record<string, string>;
  params: Record<string, string>;
  metrics: LoggedModelMetric[];
}

/** A logged-models search (../shared/notes/mlflow-rest.md §3.6). */
export interface LoggedModelSearch {
  experimentIds: string[];
  filter?: string;
  /** dataset restrictions for metric filters and ordering */
  datasets?: Array<{ datasetName: string; datasetDigest?: string }>;
  orderBy?: Array<{ fieldName: string; ascending: boolean; datasetName?: string; datasetDigest?: string }>;
  maxResults: number;
  offset: number;
}

interface ModelRow {
  model_id: string;
  experiment_id: number;
  name: string;
  artifact_location: string;
  creation_time: number;
  last_updated_time: number;
  status: LoggedModelStatus;
  status_message: string | null;
  model_type: string;
  source_run_id: string | null;
}
interface ModelMetricRow extends MetricRow {
  run_id: string;
  dataset_name: string;
  dataset_digest: string;
}

const SEARCH_SPEC: FilterSpec = {
  what: 'logged model',
  attributes: { name: 'string', model_id: 'string', model_type: 'string', status: 'string', source_run_id: 'string', creation_timestamp: 'number', last_updated_timestamp: 'number' },
  aliases: { creation_time: 'creation_timestamp', last_updated_time: 'last_updated_timestamp', run_id: 'source_run_id' },
  inAttributes: ['name', 'model_id', 'model_type', 'status', 'source_run_id'],
  entities: ['tag', 'param', 'metric'],
};

/** The tag MLflow 3 keeps on a logged model: JSON `[{name, version}]` of its registered versions. */
export const MODEL_VERSIONS_TAG = 'mlflow.modelVersions';

/**
 * MLflow 3 logged models with their tags, params and metrics, and the runs' model outputs
 * (tables of migration 6). Artifacts live in the artifact store under the model's
 * `artifactUri`. Deleting a model is a soft delete: it is then "not found" everywhere.
 * Errors are LatheError: RESOURCE_DOES_NOT_EXIST (404), INVALID_PARAMETER_VALUE (400).
 */
export class LoggedModelService {
  constructor(
    private readonly db: Db,
    private readonly tracking: TrackingService,
    private readonly bus: ChangeBus,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Creates a model in LOGGED_MODEL_PENDING state.
   * @param input.name defaults to a generated name; tags and params follow the run key rules.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (experiment or source run), INVALID_PARAMETER_VALUE
   *   (deleted experiment, bad key).
   */
  create(input: { experimentId: string; name?: string; modelType?: string; sourceRunId?: string; params?: Array<{ key: string; value?: string }>; tags?: Array<{ key: string; value?: string }> }): LoggedModel {
    const exp = this.tracking.getExperiment(input.experimentId);
    if (exp.lifecycleStage !== 'active') {
      throw new LatheError('INVALID_PARAMETER_VALUE', `The experiment ${exp.experimentId} must be in the 'active' state. Current state is deleted.`, { experimentId: exp.experimentId });
    }
    if (input.sourceRunId) this.tracking.getRunInfo(input.sourceRunId);
    const params = (input.params ?? []).map((p) => ({ key: validateKey('param', p.key), value: truncateValue('param', p.value) }));
    const tags = (input.tags ?? []).map((t) => ({ key: validateKey('tag', t.key), value: truncateValue('tag', t.value) }));
    const modelId = `m-${randomUUID().replace(/-/g, '')}`;
    const t = this.now();
    this.db.transaction(() => {
      this.db
        .prepare(
          `INSERT INTO logged_models (model_id, experiment_id, name, artifact_location, creation_time, last_updated_time, status, model_type, source_run_id)
           VALUES (?, ?, ?, ?, ?, ?, 'LOGGED_MODEL_PENDING', ?, ?)`,
        )
        .run(modelId, Number(exp.experimentId), input.name || randomRunName(), `mlflow-artifacts:/${exp.experimentId}/models/${modelId}/artifacts`, t, t, input.modelType ?? '', input.sourceRunId || null);
      const param = this.db.prepare('INSERT OR REPLACE INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)');
      for (const p of params) param.run(modelId, p.key, p.value);
      const tag = this.db.prepare('INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)');
      for (const x of tags) tag.run(modelId, x.key, x.value);
    })();
    this.bus.publish({ kind: 'experiment', experimentId: exp.experimentId });
    return this.get(modelId);
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown or deleted model. */
  get(modelId: string): LoggedModel {
    return this.hydrate(this.requireRow(modelId));
  }

  /** The model, or undefined when there is none (or it was deleted). */
  find(modelId: string): LoggedModel | undefined {
    const row = this.row(modelId);
    return row ? this.hydrate(row) : undefined;
  }

  /**
   * Sets the final status (MLflow's finalize: PATCH logged-models/{id}).
   * @throws LatheError INVALID_PARAMETER_VALUE unless READY or UPLOAD_FAILED; RESOURCE_DOES_NOT_EXIST.
   */
  finalize(modelId: string, status: string, statusMessage?: string): LoggedModel {
    if (status !== 'LOGGED_MODEL_READY' && status !== 'LOGGED_MODEL_UPLOAD_FAILED') {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid model status '${status}': a model can be finalized as LOGGED_MODEL_READY or LOGGED_MODEL_UPLOAD_FAILED`, { field: 'status' });
    }
    this.requireRow(modelId);
    this.db.prepare('UPDATE logged_models SET status = ?, status_message = ?, last_updated_time = ? WHERE model_id = ?').run(status, statusMessage ?? null, this.now(), modelId);
    return this.get(modelId);
  }

  /** Sets tags (overwriting). @throws LatheError RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE (key) */
  setTags(modelId: string, tags: Array<{ key: string; value?: string }>): void {
    this.requireRow(modelId);
    const checked = tags.map((t) => ({ key: validateKey('tag', t.key), value: truncateValue('tag', t.value) }));
    const stmt = this.db.prepare('INSERT OR REPLACE INTO logged_model_tags (model_id, key, value) VALUES (?, ?, ?)');
    this.db.transaction(() => checked.forEach((t) => stmt.run(modelId, t.key, t.value)))();
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST (model, or no such tag). */
  deleteTag(modelId: string, key: string): void {
    this.requireRow(modelId);
    const { changes } = this.db.prepare('DELETE FROM logged_model_tags WHERE model_id = ? AND key = ?').run(modelId, key);
    if (changes === 0) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No tag with key '${key}' on logged model ${modelId}`, { modelId, key });
  }

  /** Logs params; the same value again is fine, another value is refused (as for runs). */
  logParams(modelId: string, params: Array<{ key: string; value?: string }>): void {
    this.requireRow(modelId);
    const checked = params.map((p) => ({ key: validateKey('param', p.key), value: truncateValue('param', p.value) }));
    this.db.transaction(() => {
      for (const p of checked) {
        const prior = this.db.prepare<[string, string], { value: string }>('SELECT value FROM logged_model_params WHERE model_id = ? AND key = ?').get(modelId, p.key);
        if (prior && prior.value !== p.value) {
          throw new LatheError('INVALID_PARAMETER_VALUE', `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${prior.value}' for model ID='${modelId}'.`, { key: p.key });
        }
        this.db.prepare('INSERT OR IGNORE INTO logged_model_params (model_id, key, value) VALUES (?, ?, ?)').run(modelId, p.key, p.value);
      }
    })();
  }

  /** Soft-deletes a model. @throws LatheError RESOURCE_DOES_NOT_EXIST */
  delete(modelId: string): void {
    const row = this.requireRow(modelId);
    this.db.prepare("UPDATE logged_models SET lifecycle_stage = 'deleted', last_updated_time = ? WHERE model_id = ?").run(this.now(), modelId);
    this.bus.publish({ kind: 'experiment', experimentId: String(row.experiment_id) });
  }

  /**
   * Records run metrics that carry a `model_id` as that model's metrics too (MLflow 3 re-logs
   * a run's metrics with the model id after log_model). Points for unknown models are skipped;
   * identical points are stored once (NaN included).
   */
  logMetrics(runId: string, metrics: Array<{ modelId: string; key: string; value: unknown; timestamp: number; step: number; datasetName?: string; datasetDigest?: string }>): void {
    if (metrics.length === 0) return;
    const insert = this.db.prepare(
      `INSERT OR IGNORE INTO logged_model_metrics (model_id, key, step, timestamp, is_nan, value, run_id, dataset_name, dataset_digest)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)`,
    );
    this.db.transaction(() => {
      for (const m of metrics) {
        if (!this.row(m.modelId)) continue;
        const value = parseMetricValue(m.key, m.value);
        const nan = Number.isNaN(value);
        insert.run(m.modelId, m.key, m.step, m.timestamp, nan ? 1 : 0, nan ? 0 : value, runId, m.datasetName ?? '', m.datasetDigest ?? '');
      }
    })();
  }

  /**
   * Records models a run produced (MLflow 3 runs/outputs); logging one again is a no-op.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (run or model), INVALID_PARAMETER_VALUE (deleted run).
   */
  logOutputs(runId: string, models: Array<{ modelId: string; step?: number }>): void {
    const run = this.db.prepare<[string], { id: number; experiment_id: number; lifecycle_stage: string }>('SELECT id, experiment_id, lifecycle_stage FROM runs WHERE run_id = ?').get(runId);
    if (!run) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`, { runId });
    if (run.lifecycle_stage !== 'active') throw new LatheError('INVALID_PARAMETER_VALUE', `The run ${runId} must be in the 'active' state. Current state is deleted.`, { runId });
    for (const m of models) this.requireRow(m.modelId);
    const insert = this.db.prepare('INSERT OR IGNORE INTO run_outputs (run, model_id, step) VALUES (?, ?, ?)');
    this.db.transaction(() => models.forEach((m) => insert.run(run.id, m.modelId, m.step ?? 0)))();
    this.bus.publish({ kind: 'run', runId, experimentId: String(run.experiment_id) });
  }

  /** The models a run produced, in the order they were logged. */
  getOutputs(runId: string): Array<{ modelId: string; step: number }> {
    return this.db
      .prepare<[string], { model_id: string; step: number }>('SELECT o.model_id, o.step FROM run_outputs o JOIN runs r ON r.id = o.run WHERE r.run_id = ?')
      .all(runId)
      .map((r) => ({ modelId: r.model_id, step: r.step }));
  }

  /** Adds `{name, version}` to the model's {@link MODEL_VERSIONS_TAG} (when the model exists). */
  addModelVersion(modelId: string, name: string, version: number): void {
    const model = this.find(modelId);
    if (!model) return;
    let list: Array<{ name: string; version: number | string }> = [];
    try {
      const parsed = JSON.parse(model.tags[MODEL_VERSIONS_TAG] ?? '[]') as unknown;
      if (Array.isArray(parsed)) list = parsed as typeof list;
    } catch {
      // a malformed tag is replaced
    }
    if (!list.some((e) => e.name === name && String(e.version) === String(version))) list.push({ name, version });
    this.setTags(modelId, [{ key: MODEL_VERSIONS_TAG, value: JSON.stringify(list) }]);
  }

  /**
   * Searches live models of the given experiments (all when none are given). Filter: attributes
   * (name, model_id, model_type, status, source_run_id, creation_timestamp,
   * last_updated_timestamp), `tags.<k>`, `params.<k>`, `metrics.<k>` (latest value); default
   * order newest first.
   * @throws LatheError INVALID_PARAMETER_VALUE for a bad filter or order field.
   */
  search(q: LoggedModelSearch): { items: LoggedModel[]; nextOffset?: number } {
    const clauses = parseSearchFilter(q.filter, SEARCH_SPEC);
    const ids = q.experimentIds.map(Number).filter(Number.isSafeInteger);
    const where = ids.length ? `AND experiment_id IN (${ids.map(() => '?').join(',')})` : '';
    const rows = this.db.prepare<number[], ModelRow>(`SELECT * FROM logged_models WHERE lifecycle_stage = 'active' ${where}`).all(...ids);
    const models = rows.map((r) => this.hydrate(r));
    const inDatasets = (m: LoggedModelMetric, ds?: { datasetName?: string; datasetDigest?: string }): boolean =>
      (!ds?.datasetName || m.datasetName === ds.datasetName) && (!ds?.datasetDigest || m.datasetDigest === ds.datasetDigest);
    const metricValue = (model: LoggedModel, key: string, ds?: { datasetName?: string; datasetDigest?: string }): number | undefined => {
      const points = model.metrics.filter((m) => m.key === key && inDatasets(m, ds) && (!q.datasets?.length || q.datasets.some((d) => inDatasets(m, d))));
      points.sort((a, b) => a.step - b.step || a.timestamp - b.timestamp);
      return points.at(-1)?.value;
    };
    const attr = (m: LoggedModel, key: string): string | number | undefined =>
      ({ name: m.name, model_id: m.modelId, model_type: m.modelType, status: m.status, source_run_id: m.sourceRunId ?? undefined, creation_timestamp: m.creationTime, last_updated_timestamp: m.lastUpdatedTime })[key];
    const value = (m: LoggedModel, entity: string, key: string, ds?: { datasetName?: string; datasetDigest?: string }): string | number | undefined =>
      entity === 'tag' ? m.tags[key] : entity === 'param' ? m.params[key] : entity === 'metric' ? metricValue(m, key, ds) : attr(m, key);
    const matched = models.filter((m) => clauses.every((c) => clauseMatches(c, value(m, c.entity, c.key))));
    type Order = { entity: string; key: string; desc: boolean; ds: { datasetName?: string; datasetDigest?: string } };
    const order = (q.orderBy?.length ? q.orderBy : [{ fieldName: 'creation_timestamp', ascending: false }]).map((o): Order => {
      const o2 = o as { fieldName: string; ascending: boolean; datasetName?: string; datasetDigest?: string };
      const metric = /^metrics?\.(.+)$/.exec(o2.fieldName);
      const key = metric ? metric[1]!.replace(/^`(.*)`$/, '$1') : (SEARCH_SPEC.aliases?.[o2.fieldName] ?? o2.fieldName);
      if (!metric && !(key in SEARCH_SPEC.attributes)) throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid order_by field '${o2.fieldName}'`, { field: 'order_by' });
      return { entity: metric ? 'metric' : 'attribute', key, desc: !o2.ascending, ds: { datasetName: o2.datasetName, datasetDigest: o2.datasetDigest } };
    });
    order.push({ entity: 'attribute', key: 'model_id', desc: false, ds: {} });
    matched.sort((a, b) => {
      for (const k of order) {
        const c = compareValues(value(a, k.entity, k.key, k.ds), value(b, k.entity, k.key, k.ds));
        if (c !== 0) return k.desc ? -c : c;
      }
      return 0;
    });
    const items = matched.slice(q.offset, q.offset + q.maxResults);
    return q.offset + q.maxResults < matched.length ? { items, nextOffset: q.offset + q.maxResults } : { items };
  }

  private row(modelId: string): ModelRow | undefined {
    return this.db.prepare<[string], ModelRow>("SELECT * FROM logged_models WHERE model_id = ? AND lifecycle_stage = 'active'").get(modelId);
  }

  private requireRow(modelId: string): ModelRow {
    const row = this.row(modelId);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Logged model with ID '${modelId}' not found.`, { modelId });
    return row;
  }

  private hydrate(r: ModelRow): LoggedModel {
    const kv = (table: string) =>
      Object.fromEntries(
        this.db
          .prepare<[string], { key: string; value: string }>(`SELECT key, value FROM ${table} WHERE model_id = ? ORDER BY key`)
          .all(r.model_id)
          .map((x) => [x.key, x.value]),
      );
    const metrics = this.db
      .prepare<[string], ModelMetricRow>('SELECT key, step, timestamp, is_nan, value, run_id, dataset_name, dataset_digest FROM logged_model_metrics WHERE model_id = ? ORDER BY key, step, timestamp')
      .all(r.model_id)
      .map((m) => ({
        key: m.key,
        value: toValue(m),
        timestamp: m.timestamp,
        step: m.step,
        runId: m.run_id || null,
        datasetName: m.dataset_name || null,
        datasetDigest: m.dataset_digest || null,
      }));
    return {
      modelId: r.model_id,
      experimentId: String(r.experiment_id),
      name: r.name,
      artifactUri: r.artifact_location,
      creationTime: r.creation_time,
      lastUpdatedTime: r.last_updated_time,
      status: r.status,
      statusMessage: r.status_message,
      modelType: r.model_type,
      sourceRunId: r.source_run_id,
      tags: kv('logged_model_tags'),
      params: kv('logged_model_params'),
      metrics,
    };
  }
}
