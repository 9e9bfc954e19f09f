import { randomUUID } from 'node:crypto';
import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import { LatheError } from '../../../shared/errors';
import type { Experiment, MetricPoint, MetricSeries, Run, RunInfo, RunPage, RunStatus } from '../../../shared/api/types';
import { TERMINAL_STATUSES } from '../../../shared/api/types';
import { parseInteger, parseMetricValue, truncateValue, validateBatchSize, validateKey, LIMITS } from './validation';
import { randomRunName } from './run-names';
import { toRunInfo, type RunRow } from './run-row';
import { hydrateRuns } from './run-hydrate';
import { MetricWriter } from './metric-writer';
import { purgeRuns, type PurgeResult, type RunFileRoots } from './run-purge';

/** A metric as clients send it: value may be a number or "NaN"/"Infinity"/"-Infinity". */
export interface MetricIn {
  key: string;
  value: unknown;
  /** ms since epoch; defaults to now */
  timestamp?: unknown;
  /** defaults to 0 */
  step?: unknown;
}
export interface KeyValue {
  key: string;
  value?: string | null;
}

interface ExperimentRow {
  experiment_id: number;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  run_count: number;
}
interface MetricRow {
  key: string;
  step: number;
  timestamp: number;
  is_nan: number;
  value: number;
}

const DEFAULT_EXPERIMENT_ID = 0;

function toValue(row: { is_nan: number; value: number }): number {
  return row.is_nan ? Number.NaN : row.value;
}

/**
 * Experiments, runs, params, tags and metrics in the SQLite store, with MLflow's semantics:
 * params are immutable once logged, keys follow MLflow's naming rules, NaN and ±Infinity are
 * stored faithfully, identical metric points are stored once, and `latest_metrics` is kept in
 * the same transaction as every append. Every write publishes a change event after commit.
 */
export class TrackingService {
  private readonly stmt;
  private readonly metricWriter: MetricWriter;

  constructor(
    private readonly db: Db,
    private readonly bus: ChangeBus,
    private readonly now: () => number = Date.now,
  ) {
    this.stmt = {
      runByRunId: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE run_id = ?'),
      metricKeyId: db.prepare<[string], { id: number }>('SELECT id FROM metric_keys WHERE key = ?'),
      paramValue: db.prepare<[number, string], { value: string }>('SELECT value FROM params WHERE run = ? AND key = ?'),
      insertParam: db.prepare('INSERT OR IGNORE INTO params (run, key, value) VALUES (?, ?, ?)'),
      upsertTag: db.prepare('INSERT INTO tags (run, key, value) VALUES (?, ?, ?) ON CONFLICT (run, key) DO UPDATE SET value = excluded.value'),
    };
    this.metricWriter = new MetricWriter(db);
    this.ensureDefaultExperiment();
  }

  private ensureDefaultExperiment(): void {
    const t = this.now();
    this.db
      .prepare(
        `INSERT OR IGNORE INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time)
         VALUES (?, 'Default', ?, ?, ?)`,
      )
      .run(DEFAULT_EXPERIMENT_ID, `mlflow-artifacts:/${DEFAULT_EXPERIMENT_ID}`, t, t);
  }

  // ---------------------------------------------------------------- experiments

  /**
   * Creates an experiment.
   * @param name 1–500 characters, unique among experiments (deleted ones included).
   * @throws LatheError RESOURCE_ALREADY_EXISTS if the name is taken; INVALID_PARAMETER_VALUE if empty or too long.
   */
  createExperiment(name: string, tags: Record<string, string> = {}): Experiment {
    const trimmed = (name ?? '').trim();
    if (!trimmed) throw new LatheError('INVALID_PARAMETER_VALUE', "Invalid experiment name: ''. Experiment name must not be empty.", { field: 'name' });
    // eslint-disable-next-line no-control-regex
    if (/[\u0000-\u001f\u007f]/.test(trimmed)) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid experiment name ${JSON.stringify(trimmed)}: control characters are not allowed`, { field: 'name' });
    }
    if (trimmed.length > LIMITS.experimentNameLength) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Experiment name is ${trimmed.length} characters; the limit is ${LIMITS.experimentNameLength}`, { field: 'name' });
    }
    const t = this.now();
    const id = this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM experiments WHERE name = ?').get(trimmed)) {
        throw new LatheError('RESOURCE_ALREADY_EXISTS', `Experiment '${trimmed}' already exists.`, { field: 'name' });
      }
      const next = (this.db.prepare('SELECT COALESCE(MAX(experiment_id), 0) + 1 AS id FROM experiments').get() as { id: number }).id;
      this.db
        .prepare('INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (?, ?, ?, ?, ?)')
        .run(next, trimmed, `mlflow-artifacts:/${next}`, t, t);
      const tag = this.db.prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?)');
      for (const [k, v] of Object.entries(tags)) tag.run(next, validateKey('tag', k), truncateValue('tag', v));
      return next;
    })();
    this.bus.publish({ kind: 'experiment', experimentId: String(id) });
    return this.getExperiment(String(id));
  }

  /** Experiments ordered by id, active ones only unless `includeDeleted`. */
  listExperiments(includeDeleted = false): Experiment[] {
    const rows = this.db
      .prepare<[], ExperimentRow>(
        `SELECT e.*, (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.experiment_id AND r.lifecycle_stage = 'active') AS run_count
         FROM experiments e ${includeDeleted ? '' : "WHERE e.lifecycle_stage = 'active'"} ORDER BY e.experiment_id`,
      )
      .all();
    return rows.map((r) => this.toExperiment(r));
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST when no experiment has this id. */
  getExperiment(experimentId: string): Experiment {
    const row = this.db
      .prepare<[string], ExperimentRow>(
        `SELECT e.*, (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.experiment_id AND r.lifecycle_stage = 'active') AS run_count
         FROM experiments e WHERE e.experiment_id = CAST(? AS INTEGER)`,
      )
      .get(experimentId);
    if (!row || !/^\d+$/.test(experimentId)) {
      throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No Experiment with id=${experimentId} exists`, { experimentId });
    }
    return this.toExperiment(row);
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST when no experiment has this name. */
  getExperimentByName(name: string): Experiment {
    const row = this.db.prepare<[string], { experiment_id: number }>('SELECT experiment_id FROM experiments WHERE name = ?').get(name);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`, { name });
    return this.getExperiment(String(row.experiment_id));
  }

  /**
   * Renames an active experiment (MLflow experiments/update, ../shared/notes/mlflow-rest.md §3.1).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown id), RESOURCE_ALREADY_EXISTS (name taken),
   *   INVALID_PARAMETER_VALUE (empty or too long name, deleted experiment).
   */
  renameExperiment(experimentId: string, newName: string): Experiment {
    const exp = this.getExperiment(experimentId);
    const name = (newName ?? '').trim();
    if (!name) throw new LatheError('INVALID_PARAMETER_VALUE', "Missing value for required parameter 'new_name'.", { field: 'new_name' });
    if (name.length > LIMITS.experimentNameLength) throw new LatheError('INVALID_PARAMETER_VALUE', `Experiment name is ${name.length} characters; the limit is ${LIMITS.experimentNameLength}`, { field: 'new_name' });
    if (exp.lifecycleStage !== 'active') throw new LatheError('INVALID_PARAMETER_VALUE', 'Cannot rename a non-active experiment.', { experimentId });
    this.db.transaction(() => {
      const other = this.db.prepare<[string], { experiment_id: number }>('SELECT experiment_id FROM experiments WHERE name = ?').get(name);
      if (other && String(other.experiment_id) !== exp.experimentId) throw new LatheError('RESOURCE_ALREADY_EXISTS', `Experiment(name=${name}) already exists.`, { field: 'new_name' });
      this.db.prepare('UPDATE experiments SET name = ?, last_update_time = ? WHERE experiment_id = ?').run(name, this.now(), Number(exp.experimentId));
    })();
    this.bus.publish({ kind: 'experiment', experimentId: exp.experimentId });
    return this.getExperiment(exp.experimentId);
  }

  /**
   * Soft-deletes or restores an experiment together with its runs, as MLflow's
   * experiments/delete and /restore do (deleting marks every run deleted; restoring marks every
   * run of the experiment active again). The Default experiment "0" cannot be deleted.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown id), INVALID_PARAMETER_VALUE (Default).
   */
  setExperimentLifecycle(experimentId: string, stage: 'active' | 'deleted'): Experiment {
    const exp = this.getExperiment(experimentId);
    if (stage === 'deleted' && Number(exp.experimentId) === DEFAULT_EXPERIMENT_ID) {
      throw new LatheError('INVALID_PARAMETER_VALUE', 'Cannot delete the Default experiment (id 0); it is reserved.', { experimentId });
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?').run(stage, this.now(), Number(exp.experimentId));
      this.db.prepare('UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?').run(stage, Number(exp.experimentId));
    })();
    this.bus.publish({ kind: 'experiment', experimentId: exp.experimentId });
    return this.getExperiment(exp.experimentId);
  }

  /**
   * Sets (value given) or deletes (value null) a tag of an active experiment. Keys follow the
   * run tag key rules; values are at most 5000 characters (MLflow refuses longer ones).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown experiment, or deleting a missing tag),
   *   INVALID_PARAMETER_VALUE (bad key, long value, deleted experiment).
   */
  setExperimentTag(experimentId: string, key: string, value: string | null): void {
    const exp = this.getExperiment(experimentId);
    if (exp.lifecycleStage !== 'active') {
      throw new LatheError('INVALID_PARAMETER_VALUE', `The experiment ${exp.experimentId} must be in the 'active' state. Current state is deleted.`, { experimentId });
    }
    validateKey('tag', key);
    const id = Number(exp.experimentId);
    if (value === null) {
      const { changes } = this.db.prepare('DELETE FROM experiment_tags WHERE experiment_id = ? AND key = ?').run(id, key);
      if (changes === 0) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in experiment with id ${exp.experimentId}`, { experimentId, key });
    } else {
      if (value.length > LIMITS.experimentTagValueLength) {
        throw new LatheError('INVALID_PARAMETER_VALUE', `Tag value is ${value.length} characters; the limit is ${LIMITS.experimentTagValueLength}`, { field: 'value', key });
      }
      this.db.prepare('INSERT INTO experiment_tags (experiment_id, key, value) VALUES (?, ?, ?) ON CONFLICT (experiment_id, key) DO UPDATE SET value = excluded.value').run(id, key, value);
    }
    this.bus.publish({ kind: 'experiment', experimentId: exp.experimentId });
  }

  private toExperiment(r: ExperimentRow): Experiment {
    const tags = this.db
      .prepare<[number], { key: string; value: string }>('SELECT key, value FROM experiment_tags WHERE experiment_id = ?')
      .all(r.experiment_id);
    return {
      experimentId: String(r.experiment_id),
      name: r.name,
      artifactLocation: r.artifact_location,
      lifecycleStage: r.lifecycle_stage,
      creationTime: r.creation_time,
      lastUpdateTime: r.last_update_time,
      tags: Object.fromEntries(tags.map((t) => [t.key, t.value])),
      runCount: r.run_count,
    };
  }

  // ---------------------------------------------------------------- runs

  /**
   * Creates a run in RUNNING state (or `status` when given, e.g. SCHEDULED for queued jobs).
   * @param input.startTime ms since epoch, default now. Tags follow MLflow's key rules;
   *   `mlflow.runName` is set from the name.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown experiment; INVALID_PARAMETER_VALUE
   *   if the experiment is deleted or a tag key is invalid.
   */
  createRun(input: { experimentId: string; name?: string; startTime?: number; userId?: string; status?: RunStatus; tags?: KeyValue[] }): RunInfo {
    const exp = this.getExperiment(input.experimentId);
    if (exp.lifecycleStage !== 'active') {
      throw new LatheError('INVALID_PARAMETER_VALUE', `The experiment ${exp.experimentId} must be in the 'active' state. Current state is deleted.`, { field: 'experimentId' });
    }
    const tags = (input.tags ?? []).map((t) => ({ key: validateKey('tag', t.key), value: truncateValue('tag', t.value) }));
    const nameTag = tags.find((t) => t.key === 'mlflow.runName')?.value;
    const name = (input.name?.trim() || nameTag || randomRunName()).slice(0, LIMITS.keyLength);
    const runId = randomUUID().replace(/-/g, '');
    const startTime = input.startTime ?? this.now();
    this.db.transaction(() => {
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO runs (run_id, experiment_id, name, status, user_id, start_time, artifact_uri) VALUES (?, ?, ?, ?, ?, ?, ?)')
        .run(runId, Number(exp.experimentId), name, input.status ?? 'RUNNING', input.userId ?? '', startTime, `mlflow-artifacts:/${exp.experimentId}/${runId}/artifacts`);
      const run = Number(lastInsertRowid);
      for (const t of tags) this.stmt.upsertTag.run(run, t.key, t.value);
      this.stmt.upsertTag.run(run, 'mlflow.runName', name);
    })();
    this.bus.publish({ kind: 'run', runId, experimentId: exp.experimentId });
    return this.getRunInfo(runId);
  }

  /**
   * Updates status, end time or name. Ending a run (FINISHED/FAILED/KILLED) without an end
   * time sets it to now.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  updateRun(input: { runId: string; status?: RunStatus; endTime?: number; name?: string }): RunInfo {
    const row = this.requireRun(input.runId);
    const status = input.status ?? row.status;
    let endTime = input.endTime ?? row.end_time;
    if (input.status && TERMINAL_STATUSES.includes(input.status) && endTime == null) endTime = this.now();
    const name = input.name?.trim() ? input.name.trim().slice(0, LIMITS.keyLength) : row.name;
    this.db.transaction(() => {
      this.db.prepare('UPDATE runs SET status = ?, end_time = ?, name = ? WHERE id = ?').run(status, endTime, name, row.id);
      if (name !== row.name) this.stmt.upsertTag.run(row.id, 'mlflow.runName', name);
    })();
    this.bus.publish({ kind: 'run', runId: row.run_id, experimentId: String(row.experiment_id) });
    return this.getRunInfo(row.run_id);
  }

  /**
   * Soft-deletes (`lifecycle_stage` deleted) or restores a run, as MLflow's runs/delete and
   * runs/restore do. Logging to a deleted run is refused.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  setRunLifecycle(runId: string, stage: 'active' | 'deleted'): RunInfo {
    const row = this.requireRun(runId);
    this.db.prepare('UPDATE runs SET lifecycle_stage = ? WHERE id = ?').run(stage, row.id);
    this.bus.publish({ kind: 'run', runId: row.run_id, experimentId: String(row.experiment_id) });
    return this.getRunInfo(row.run_id);
  }

  /**
   * Removes a tag from an active run (MLflow runs/delete-tag).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run, or no such tag),
   *   INVALID_PARAMETER_VALUE (deleted run).
   */
  deleteTag(runId: string, key: string): void {
    const row = this.requireActiveRun(runId);
    const { changes } = this.db.prepare('DELETE FROM tags WHERE run = ? AND key = ?').run(row.id, key);
    if (changes === 0) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No tag with name: ${key} in run with id ${runId}`, { runId, key });
    this.bus.publish({ kind: 'run', runId: row.run_id, experimentId: String(row.experiment_id) });
  }

  /**
   * Permanently removes soft-deleted runs, their files, and reclaims the space in lathe.db
   * (run-purge.ts). Publishes a run event for each.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE (not deleted first),
   *   INVALID_STATE (still executing); nothing is removed then.
   */
  purgeRuns(runIds: string[], roots: RunFileRoots): PurgeResult {
    const experiments = new Map(runIds.map((id) => [id, this.stmt.runByRunId.get(id)?.experiment_id]));
    const result = purgeRuns(this.db, runIds, roots);
    for (const runId of result.purged) this.bus.publish({ kind: 'run', runId, experimentId: String(experiments.get(runId)) });
    return result;
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run. */
  getRunInfo(runId: string): RunInfo {
    return toRunInfo(this.requireRun(runId));
  }

  /** The run with its params, tags and latest metrics. @throws LatheError RESOURCE_DOES_NOT_EXIST */
  getRun(runId: string): Run {
    const row = this.requireRun(runId);
    return this.hydrate([row])[0]!;
  }

  /**
   * A page of runs, newest first, each with params, tags and latest metrics. Active runs only.
   * @param query.limit 1–1000 (default 100); query.offset for paging.
   */
  listRuns(query: { experimentId?: string; status?: RunStatus; limit?: number; offset?: number } = {}): RunPage {
    const where: string[] = ["lifecycle_stage = 'active'"];
    const args: Array<string | number> = [];
    if (query.experimentId !== undefined) {
      this.getExperiment(query.experimentId); // RESOURCE_DOES_NOT_EXIST rather than an empty page
      where.push('experiment_id = ?');
      args.push(Number(query.experimentId));
    }
    if (query.status) {
      where.push('status = ?');
      args.push(query.status);
    }
    const sqlWhere = where.join(' AND ');
    const total = (this.db.prepare(`SELECT COUNT(*) AS n FROM runs WHERE ${sqlWhere}`).get(...args) as { n: number }).n;
    const rows = this.db
      .prepare<Array<string | number>, RunRow>(`SELECT * FROM runs WHERE ${sqlWhere} ORDER BY start_time DESC, id DESC LIMIT ? OFFSET ?`)
      .all(...args, query.limit ?? 100, query.offset ?? 0);
    return { runs: this.hydrate(rows), total };
  }

  private hydrate(rows: RunRow[]): Run[] {
    return hydrateRuns(this.prepareCached, rows);
  }

  private readonly statements = new Map<string, ReturnType<Db['prepare']>>();
  private readonly prepareCached = (sql: string): ReturnType<Db['prepare']> => {
    let stmt = this.statements.get(sql);
    if (!stmt) this.statements.set(sql, (stmt = this.db.prepare(sql)));
    return stmt;
  };

  private requireRun(runId: string): RunRow {
    const row = this.stmt.runByRunId.get(runId);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Run with id=${runId} not found`, { runId });
    return row;
  }

  private requireActiveRun(runId: string): RunRow {
    const row = this.requireRun(runId);
    if (row.lifecycle_stage !== 'active') {
      throw new LatheError('INVALID_PARAMETER_VALUE', `The run ${runId} must be in the 'active' state. Current state is deleted.`, { runId });
    }
    return row;
  }

  // ---------------------------------------------------------------- logging

  /**
   * Logs metrics, params and tags to a run in one transaction: all or nothing.
   * Limits (MLflow): ≤1000 metrics, ≤100 params, ≤100 tags, ≤1000 in total. A param already
   * logged with another value, or one key twice with different values in the batch, is refused.
   * Param values over 6000 and tag values over 8000 characters are truncated, as MLflow does.
   * @returns counts stored (identical metric points logged again count but are stored once).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), INVALID_PARAMETER_VALUE (limits,
   *   bad key, bad value, changed param, deleted run).
   */
  logBatch(runId: string, batch: { metrics?: MetricIn[]; params?: KeyValue[]; tags?: KeyValue[] }): { metrics: number; params: number; tags: number } {
    const metrics = batch.metrics ?? [];
    const params = batch.params ?? [];
    const tags = batch.tags ?? [];
    validateBatchSize(metrics.length, params.length, tags.length);
    const run = this.requireActiveRun(runId);
    const now = this.now();

    // A batch repeats few keys many times (20 keys × 50 steps): check each key once.
    const validKeys = new Set<string>();
    const parsedMetrics = metrics.map((m) => {
      const key = validKeys.has(m.key) ? m.key : validateKey('metric', m.key);
      validKeys.add(key);
      const value = parseMetricValue(key, m.value);
      const timestamp = parseInteger('timestamp', m.timestamp, now);
      if (timestamp < 0) throw new LatheError('INVALID_PARAMETER_VALUE', `Metric '${key}' has a negative timestamp ${timestamp}`, { field: 'timestamp', key });
      return { key, value, timestamp, step: parseInteger('step', m.step, 0) };
    });
    const seenParams = new Map<string, string>();
    const parsedParams = params.map((p) => {
      const key = validateKey('param', p.key);
      const value = truncateValue('param', p.value);
      const prior = seenParams.get(key);
      if (prior !== undefined && prior !== value) {
        throw new LatheError('INVALID_PARAMETER_VALUE', `Duplicate parameter keys have been submitted: ['${key}']. Please ensure the request contains only one param value per param key.`, { field: 'params', key });
      }
      seenParams.set(key, value);
      return { key, value };
    });
    const parsedTags = tags.map((t) => ({ key: validateKey('tag', t.key), value: truncateValue('tag', t.value) }));

    this.db.transaction(() => {
      for (const p of parsedParams) {
        const existing = this.stmt.paramValue.get(run.id, p.key);
        if (existing && existing.value !== p.value) {
          throw new LatheError(
            'INVALID_PARAMETER_VALUE',
            `Changing param values is not allowed. Param with key='${p.key}' was already logged with value='${existing.value}' for run ID='${runId}'. Attempted logging new value '${p.value}'.`,
            { field: 'params', key: p.key },
          );
        }
        this.stmt.insertParam.run(run.id, p.key, p.value);
      }
      for (const t of parsedTags) {
        this.stmt.upsertTag.run(run.id, t.key, t.value);
        if (t.key === 'mlflow.runName' && t.value) this.db.prepare('UPDATE runs SET name = ? WHERE id = ?').run(t.value, run.id);
      }
      // History, latest_metrics and chart blocks, in this same transaction (metric-writer.ts).
      this.metricWriter.write(run.id, parsedMetrics);
    })();
    if (parsedMetrics.length) this.bus.publish({ kind: 'metrics', runId, experimentId: String(run.experiment_id) });
    if (parsedParams.length || parsedTags.length) this.bus.publish({ kind: 'run', runId, experimentId: String(run.experiment_id) });
    return { metrics: parsedMetrics.length, params: parsedParams.length, tags: parsedTags.length };
  }

  /** The whole history of one metric, ordered by step then timestamp. */
  getMetricHistory(runId: string, key: string): MetricPoint[] {
    const run = this.requireRun(runId);
    return this.db
      .prepare<[number, string], MetricRow>(
        `SELECT k.key, m.step, m.timestamp, m.is_nan, m.value FROM metrics m JOIN metric_keys k ON k.id = m.key_id
         WHERE m.run = ? AND k.key = ? ORDER BY m.step, m.timestamp`,
      )
      .all(run.id, key)
      .map((r) => ({ key: r.key, value: toValue(r), step: r.step, timestamp: r.timestamp }));
  }

  /**
   * A metric series reduced for a chart `buckets` pixels wide: the step range is cut into
   * equal buckets and each keeps its first, min, max and last point, computed in SQL, so
   * spikes survive (DESIGN.md, Storage). Series of ≤ 4 × buckets points come back whole.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  getMetricSeries(runId: string, key: string, buckets = 1000): MetricSeries {
    const run = this.requireRun(runId);
    const keyRow = this.stmt.metricKeyId.get(key);
    if (!keyRow) return { runId, key, total: 0, reduced: false, points: [] };
    const stats = this.db
      .prepare<[number, number], { n: number; lo: number; hi: number }>('SELECT COUNT(*) AS n, MIN(step) AS lo, MAX(step) AS hi FROM metrics WHERE run = ? AND key_id = ?')
      .get(run.id, keyRow.id)!;
    const toPoint = (r: { step: number; timestamp: number; is_nan: number; value: number }): [number, number, number] => [r.step, toValue(r), r.timestamp];
    if (stats.n <= buckets * 4) {
      const rows = this.db
        .prepare<[number, number], MetricRow>('SELECT step, timestamp, is_nan, value FROM metrics WHERE run = ? AND key_id = ? ORDER BY step, timestamp')
        .all(run.id, keyRow.id);
      return { runId, key, total: stats.n, reduced: false, points: rows.map(toPoint) };
    }
    const width = (stats.hi - stats.lo + 1) / buckets;
    // Rank each point within its bucket four ways and keep rank 1 of each: first, last, min, max.
    const rows = this.db
      .prepare<[number, number, number, number], MetricRow>(
        `WITH b AS (
           SELECT step, timestamp, is_nan, value, CAST((step - ?) / ? AS INTEGER) AS bucket FROM metrics WHERE run = ? AND key_id = ?
         ), r AS (
           SELECT *, ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY step, timestamp) AS rf,
                     ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY step DESC, timestamp DESC) AS rl,
                     ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY is_nan, value) AS rmin,
                     ROW_NUMBER() OVER (PARTITION BY bucket ORDER BY is_nan, value DESC) AS rmax
           FROM b
         )
         SELECT DISTINCT step, timestamp, is_nan, value FROM r WHERE rf = 1 OR rl = 1 OR rmin = 1 OR rmax = 1 ORDER BY step, timestamp`,
      )
      .all(stats.lo, width, run.id, keyRow.id);
    return { runId, key, total: stats.n, reduced: true, points: rows.map(toPoint) };
  }
}
