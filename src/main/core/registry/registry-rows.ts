import type { Db } from '../store/database';
import { LatheError } from '../../../shared/errors';
import type { ModelStage, ModelVersion, RegisteredModel } from './registry-types';

/**
 * Row access for the registry tables of migration 6: loading registered models and versions
 * into entities, and the "not found" errors with MLflow's wording. Used by RegistryService.
 */

export interface ModelRow {
  id: number;
  name: string;
  description: string | null;
  user_id: string | null;
  creation_time: number;
  last_updated_time: number;
}

export interface VersionRow {
  model: number;
  name: string;
  version: number;
  creation_time: number;
  last_updated_time: number;
  description: string;
  user_id: string | null;
  current_stage: ModelStage;
  source: string;
  run_id: string;
  run_link: string;
  status: 'READY';
  status_message: string | null;
  model_id: string | null;
  storage_location: string | null;
}

type KeyValueRow = { key: string; value: string };

const VERSION_COLUMNS = `v.model, m.name, v.version, v.creation_time, v.last_updated_time, v.description, v.user_id, v.current_stage,
  v.source, v.run_id, v.run_link, v.status, v.status_message, v.model_id, v.storage_location`;

export class RegistryRows {
  constructor(private readonly db: Db) {}

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST "Registered Model with name=… not found". */
  requireModel(name: string): ModelRow {
    const row = this.db.prepare<[string], ModelRow>('SELECT * FROM registered_models WHERE name = ?').get(name);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Registered Model with name=${name} not found`, { name });
    return row;
  }

  /**
   * A live (not deleted) version.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for a missing model or version.
   */
  requireVersion(name: string, version: number): VersionRow {
    const model = this.requireModel(name);
    const row = this.db
      .prepare<[number, number], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN registered_models m ON m.id = v.model
         WHERE v.model = ? AND v.version = ? AND v.deleted_time IS NULL`,
      )
      .get(model.id, version);
    if (!row) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Model Version (name=${name}, version=${version}) not found`, { name, version });
    return row;
  }

  /** Live versions of one model (or of all models when `modelId` is undefined), by version. */
  versionRows(modelId?: number): VersionRow[] {
    const where = modelId === undefined ? '' : 'AND v.model = ?';
    return this.db
      .prepare<number[], VersionRow>(
        `SELECT ${VERSION_COLUMNS} FROM model_versions v JOIN registered_models m ON m.id = v.model
         WHERE v.deleted_time IS NULL ${where} ORDER BY v.model, v.version`,
      )
      .all(...(modelId === undefined ? [] : [modelId]));
  }

  modelTags(modelId: number): Record<string, string> {
    const rows = this.db.prepare<[number], KeyValueRow>('SELECT key, value FROM registered_model_tags WHERE model = ?').all(modelId);
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** Tags of every registered model, by model id (for searches). */
  allModelTags(): Map<number, Record<string, string>> {
    const out = new Map<number, Record<string, string>>();
    for (const r of this.db.prepare<[], KeyValueRow & { model: number }>('SELECT model, key, value FROM registered_model_tags').all()) {
      const tags = out.get(r.model) ?? {};
      tags[r.key] = r.value;
      out.set(r.model, tags);
    }
    return out;
  }

  versionTags(modelId: number, version: number): Record<string, string> {
    const rows = this.db.prepare<[number, number], KeyValueRow>('SELECT key, value FROM model_version_tags WHERE model = ? AND version = ?').all(modelId, version);
    return Object.fromEntries(rows.map((r) => [r.key, r.value]));
  }

  /** Tags of every version, keyed `<model id>:<version>` (for searches). */
  allVersionTags(): Map<string, Record<string, string>> {
    const out = new Map<string, Record<string, string>>();
    for (const r of this.db.prepare<[], KeyValueRow & { model: number; version: number }>('SELECT model, version, key, value FROM model_version_tags').all()) {
      const id = `${r.model}:${r.version}`;
      const tags = out.get(id) ?? {};
      tags[r.key] = r.value;
      out.set(id, tags);
    }
    return out;
  }

  aliases(modelId: number): Array<{ alias: string; version: number }> {
    return this.db.prepare<[number], { alias: string; version: number }>('SELECT alias, version FROM registered_model_aliases WHERE model = ? ORDER BY alias').all(modelId);
  }

  /**
   * A version entity. Aliases are filled in only when asked: MLflow's get, alias, create,
   * update and stage calls include them; searches and `latest_versions` do not.
   */
  toVersion(row: VersionRow, opts: { aliases?: boolean; tags?: Record<string, string> } = {}): ModelVersion {
    return {
      name: row.name,
      version: row.version,
      creationTime: row.creation_time,
      lastUpdatedTime: row.last_updated_time,
      description: row.description,
      userId: row.user_id,
      currentStage: row.current_stage,
      source: row.source,
      runId: row.run_id,
      runLink: row.run_link,
      status: row.status,
      statusMessage: row.status_message,
      modelId: row.model_id,
      storageLocation: row.storage_location,
      tags: opts.tags ?? this.versionTags(row.model, row.version),
      aliases: opts.aliases ? this.aliases(row.model).filter((a) => a.version === row.version).map((a) => a.alias) : [],
    };
  }

  /**
   * The newest live version per stage, stages in the order first met walking versions upwards
   * (MLflow's SqlRegisteredModel.to_mlflow_entity).
   */
  latestVersions(modelId: number): VersionRow[] {
    const latest = new Map<ModelStage, VersionRow>();
    for (const v of this.versionRows(modelId)) {
      const prior = latest.get(v.current_stage);
      if (!prior || prior.version < v.version) latest.set(v.current_stage, v);
    }
    return [...latest.values()];
  }

  toModel(row: ModelRow, tags?: Record<string, string>): RegisteredModel {
    return {
      name: row.name,
      creationTime: row.creation_time,
      lastUpdatedTime: row.last_updated_time,
      description: row.description,
      userId: row.user_id,
      latestVersions: this.latestVersions(row.id).map((v) => this.toVersion(v)),
      tags: tags ?? this.modelTags(row.id),
      aliases: this.aliases(row.id),
    };
  }
}
