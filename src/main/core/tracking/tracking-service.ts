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
import { MetricReader } from './metric-reader';
import { ExperimentStore } from './experiment-store';
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

/**
 * Experiments, runs, params, tags and metrics in the SQLite store, with MLflow's semantics:
 * params are immutable once logged, keys follow MLflow's naming rules, NaN and ±Infinity are
 * stored faithfully, identical metric points are stored once, and `latest_metrics` is kept in
 * the same transaction as every append. Every write publishes a change event after commit.
 */
export class TrackingService {
  private readonly stmt;
  private readonly metricWriter: MetricWriter;
  private readonly metricReader: MetricReader;
  private readonly experiments: ExperimentStore;

  constructor(
    private readonly db: Db,
    private readonly bus: ChangeBus,
    private readonly now: () => number = Date.now,
  ) {
    this.stmt = {
      runByRunId: db.prepare<[string], RunRow>('SELECT * FROM runs WHERE run_id = ?'),
      paramValue: db.prepare<[number, string], { value: string }>('SELECT value FROM params WHERE run = ? AND key = ?'),
      insertParam: db.prepare('INSERT OR IGNORE INTO params (run, key, value) VALUES (?, ?, ?)'),
      upsertTag: db.prepare('INSERT INTO tags (run, key, value) VALUES (?, ?, ?) ON CONFLICT (run, key) DO UPDATE SET value = excluded.value'),
    };
    this.metricWriter = new MetricWriter(db);
    this.metricReader = new MetricReader(db);
    this.experiments = new ExperimentStore(db, bus, now);
  }

  // ---------------------------------------------------------------- experiments
  // experiment-store.ts holds the logic; these keep one service for the API layers.

  /** @see ExperimentStore.create */
  createExperiment(name: string, tags: Record<string, string> = {}): Experiment {
    return this.experiments.create(name, tags);
  }

  /** @see ExperimentStore.list */
  listExperiments(includeDeleted = false): Experiment[] {
    return this.experiments.list(includeDeleted);
  }

  /** @see ExperimentStore.get */
  getExperiment(experimentId: string): Experiment {
    return this.experiments.get(experimentId);
  }

  /** @see ExperimentStore.getByName */
  getExperimentByName(name: string): Experiment {
    return this.experiments.getByName(name);
  }

  /** @see ExperimentStore.rename */
  renameExperiment(experimentId: string, newName: string): Experiment {
    return this.experiments.rename(experimentId, newName);
  }

  /** @see ExperimentStore.setLifecycle */
  setExperimentLifecycle(experimentId: string, stage: 'active' | 'deleted'): Experiment {
    return this.experiments.setLifecycle(experimentId, stage);
  }

  /** @see ExperimentStore.setTag */
  setExperimentTag(experimentId: string, key: string, value: string | null): void {
    this.experiments.setTag(experimentId, key, value);
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
   * @throws LatheError RESOURCE_DOES_NOT_EXIST, RESOURCE_CONFLICT (not deleted first, or still
   *   executing); nothing is removed then.
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

  /**
   * The whole history of one metric, ordered by step then timestamp (metric-reader.ts).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  getMetricHistory(runId: string, key: string): MetricPoint[] {
    return this.metricReader.history(this.requireRun(runId).id, key);
  }

  /**
   * One metric reduced to first/min/max/last per bucket for a chart `buckets` wide
   * (metric-reader.ts); series of ≤ 4 × buckets points come back whole.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown run.
   */
  getMetricSeries(runId: string, key: string, buckets = 1000): MetricSeries {
    const row = this.requireRun(runId);
    return this.metricReader.series({ id: row.id, runId: row.run_id }, key, buckets);
  }
}
