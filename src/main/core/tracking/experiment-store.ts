import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import { LatheError } from '../../../shared/errors';
import type { Experiment } from '../../../shared/api/types';
import { truncateValue, validateKey, LIMITS } from './validation';

interface ExperimentRow {
  experiment_id: number;
  name: string;
  artifact_location: string;
  lifecycle_stage: 'active' | 'deleted';
  creation_time: number;
  last_update_time: number;
  run_count: number;
}

/** MLflow's reserved experiment: runs logged without an experiment land here; it cannot be deleted. */
export const DEFAULT_EXPERIMENT_ID = 0;

/**
 * Experiments in the SQLite store with MLflow's semantics (names unique among live and deleted
 * experiments, the Default experiment "0" always present, deleting an experiment deletes its
 * runs). Every write publishes an `experiment` change event after commit.
 */
export class ExperimentStore {
  constructor(
    private readonly db: Db,
    private readonly bus: ChangeBus,
    private readonly now: () => number,
  ) {
    this.ensureDefault();
  }

  private ensureDefault(): void {
    const t = this.now();
    this.db
      .prepare(
        `INSERT OR IGNORE INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time)
         VALUES (?, 'Default', ?, ?, ?)`,
      )
      .run(DEFAULT_EXPERIMENT_ID, `mlflow-artifacts:/${DEFAULT_EXPERIMENT_ID}`, t, t);
  }

  /**
   * Creates an experiment.
   * @param name 1–500 characters, unique among experiments (deleted ones included).
   * @throws LatheError RESOURCE_ALREADY_EXISTS if the name is taken; INVALID_PARAMETER_VALUE if empty or too long.
   */
  create(name: string, tags: Record<string, string> = {}): Experiment {
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
    return this.get(String(id));
  }

  /** Experiments ordered by id, active ones only unless `includeDeleted`. */
  list(includeDeleted = false): Experiment[] {
    const rows = this.db
      .prepare<[], ExperimentRow>(
        `SELECT e.*, (SELECT COUNT(*) FROM runs r WHERE r.experiment_id = e.experiment_id AND r.lifecycle_stage = 'active') AS run_count
         FROM experiments e ${includeDeleted ? '' : "WHERE e.lifecycle_stage = 'active'"} ORDER BY e.experiment_id`,
      )
      .all();
    return rows.map((r) => this.toExperiment(r));
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST when no experiment has this id. */
  get(experimentId: string): Experiment {
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
  getByName(name: string): Experiment {
    const row = this.db.prepare<[string], { experiment_id: number }>('SELECT experiment_id FROM experiments WHERE name = ?').get(name);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Could not find experiment with name '${name}'`, { name });
    return this.get(String(row.experiment_id));
  }

  /**
   * Renames an active experiment (MLflow experiments/update, ../shared/notes/mlflow-rest.md §3.1).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown id), RESOURCE_ALREADY_EXISTS (name taken),
   *   INVALID_PARAMETER_VALUE (empty or too long name, deleted experiment).
   */
  rename(experimentId: string, newName: string): Experiment {
    const exp = this.get(experimentId);
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
    return this.get(exp.experimentId);
  }

  /**
   * Soft-deletes or restores an experiment together with its runs, as MLflow's
   * experiments/delete and /restore do (deleting marks every run deleted; restoring marks every
   * run of the experiment active again). The Default experiment "0" cannot be deleted.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown id), INVALID_PARAMETER_VALUE (Default).
   */
  setLifecycle(experimentId: string, stage: 'active' | 'deleted'): Experiment {
    const exp = this.get(experimentId);
    if (stage === 'deleted' && Number(exp.experimentId) === DEFAULT_EXPERIMENT_ID) {
      throw new LatheError('INVALID_PARAMETER_VALUE', 'Cannot delete the Default experiment (id 0); it is reserved.', { experimentId });
    }
    this.db.transaction(() => {
      this.db.prepare('UPDATE experiments SET lifecycle_stage = ?, last_update_time = ? WHERE experiment_id = ?').run(stage, this.now(), Number(exp.experimentId));
      this.db.prepare('UPDATE runs SET lifecycle_stage = ? WHERE experiment_id = ?').run(stage, Number(exp.experimentId));
    })();
    this.bus.publish({ kind: 'experiment', experimentId: exp.experimentId });
    return this.get(exp.experimentId);
  }

  /**
   * Sets (value given) or deletes (value null) a tag of an active experiment. Keys follow the
   * run tag key rules; values are at most 5000 characters (MLflow refuses longer ones).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown experiment, or deleting a missing tag),
   *   INVALID_PARAMETER_VALUE (bad key, long value, deleted experiment).
   */
  setTag(experimentId: string, key: string, value: string | null): void {
    const exp = this.get(experimentId);
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
}
