import type { Db } from '../store/database';
import { LatheError } from '../../../shared/errors';
import { RegistryRows, type ModelRow, type VersionRow } from './registry-rows';
import { ACTIVE_STAGES, IS_PROMPT_TAG, REGISTRY_LIMITS, type ModelStage, type ModelVersion, type RegisteredModel, type RegistryPage, type RegistrySearch } from './registry-types';
import { canonicalStage, parseVersion, validateAlias, validateModelName, validateRegistryTag, validateSource } from './registry-validation';
import { clauseMatches, compareValues, parseOrderBy, parseSearchFilter, type FilterClause, type FilterSpec, type OrderKey } from './search-filter';

/** What the registry needs to know to resolve `models:/m-…` and `runs:/…` sources. */
export interface LoggedModelLookup {
  /** An MLflow 3 logged model's artifact URI and source run, or undefined when there is none. */
  findLoggedModel(modelId: string): { artifactUri: string; sourceRunId: string | null } | undefined;
  /** A run's artifact URI, or undefined when there is no such run. */
  findRunArtifactUri?(runId: string): string | undefined;
}

const MODEL_SPEC: FilterSpec = { what: 'registered model', attributes: { name: 'string' }, entities: ['tag'] };
const VERSION_SPEC: FilterSpec = {
  what: 'model version',
  attributes: { name: 'string', run_id: 'string', source: 'string', version_number: 'number', creation_timestamp: 'number', last_updated_timestamp: 'number' },
  aliases: { source_path: 'source', timestamp: 'last_updated_timestamp' },
  inAttributes: ['name', 'run_id', 'source'],
  entities: ['tag'],
};

/** Queries that ask for prompts keep them; all others leave prompts out (MLflow 3). */
function excludesPrompts(clauses: FilterClause[]): { exclude: boolean; rest: FilterClause[] } {
  const prompt = clauses.find((c) => c.entity === 'tag' && c.key === IS_PROMPT_TAG);
  const v = typeof prompt?.value === 'string' ? prompt.value.toLowerCase() : undefined;
  const asksForPrompts = !!prompt && ((prompt.op === '=' && v === 'true') || (prompt.op === '!=' && v === 'false'));
  if (asksForPrompts) return { exclude: false, rest: clauses };
  return { exclude: true, rest: clauses.filter((c) => !(c.entity === 'tag' && c.key === IS_PROMPT_TAG)) };
}

function sortBy<T>(items: T[], keys: OrderKey[], get: (item: T, k: OrderKey) => string | number | undefined): T[] {
  return items.sort((a, b) => {
    for (const k of keys) {
      const c = compareValues(get(a, k), get(b, k));
      if (c !== 0) return k.desc ? -c : c;
    }
    return 0;
  });
}

function page<T>(all: T[], q: RegistrySearch): RegistryPage<T> {
  const items = all.slice(q.offset, q.offset + q.maxResults);
  return q.offset + q.maxResults < all.length ? { items, nextOffset: q.offset + q.maxResults } : { items };
}

/**
 * The model registry: registered models with versions, tags, aliases and (deprecated) stages,
 * with MLflow's semantics (../shared/notes/mlflow-rest.md §3.7; mlflow/store/model_registry/
 * sqlalchemy_store.py). Versions are numbered per model from 1, never reused (deleting one is a
 * soft delete), and READY at once. Errors are LatheError: RESOURCE_DOES_NOT_EXIST (404) for a
 * missing model or version, RESOURCE_ALREADY_EXISTS (400) for a taken name,
 * INVALID_PARAMETER_VALUE (400) for bad input, including a missing alias.
 */
export class RegistryService {
  private readonly rows: RegistryRows;

  constructor(
    private readonly db: Db,
    private readonly lookup: LoggedModelLookup,
    private readonly now: () => number = Date.now,
  ) {
    this.rows = new RegistryRows(db);
  }

  // ---------------------------------------------------------------- registered models

  /** @throws LatheError RESOURCE_ALREADY_EXISTS, INVALID_PARAMETER_VALUE (name, tags). */
  createRegisteredModel(name: string, opts: { tags?: Array<{ key: string; value?: string }>; description?: string; userId?: string } = {}): RegisteredModel {
    validateModelName(name);
    const tags = (opts.tags ?? []).map((t) => validateRegistryTag(t.key, t.value));
    const t = this.now();
    this.db.transaction(() => {
      if (this.db.prepare('SELECT 1 FROM registered_models WHERE name = ?').get(name)) {
        throw new LatheError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${name}) already exists.`, { name });
      }
      const { lastInsertRowid } = this.db
        .prepare('INSERT INTO registered_models (name, description, user_id, creation_time, last_updated_time) VALUES (?, ?, ?, ?, ?)')
        .run(name, opts.description ?? null, opts.userId ?? null, t, t);
      const insert = this.db.prepare('INSERT OR REPLACE INTO registered_model_tags (model, key, value) VALUES (?, ?, ?)');
      for (const tag of tags) insert.run(Number(lastInsertRowid), tag.key, tag.value);
    })();
    return this.getRegisteredModel(name);
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST */
  getRegisteredModel(name: string): RegisteredModel {
    return this.rows.toModel(this.rows.requireModel(validateModelName(name)));
  }

  /** Sets the description (null clears it). @throws LatheError RESOURCE_DOES_NOT_EXIST */
  updateRegisteredModel(name: string, description: string | null): RegisteredModel {
    const m = this.rows.requireModel(validateModelName(name));
    this.db.prepare('UPDATE registered_models SET description = ?, last_updated_time = ? WHERE id = ?').run(description, this.now(), m.id);
    return this.getRegisteredModel(name);
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST, RESOURCE_ALREADY_EXISTS (new name taken). */
  renameRegisteredModel(name: string, newName: string): RegisteredModel {
    validateModelName(newName, 'new_name');
    const m = this.rows.requireModel(validateModelName(name));
    const t = this.now();
    this.db.transaction(() => {
      const other = this.db.prepare<[string], { id: number }>('SELECT id FROM registered_models WHERE name = ?').get(newName);
      if (other && other.id !== m.id) throw new LatheError('RESOURCE_ALREADY_EXISTS', `Registered Model (name=${newName}) already exists.`, { name: newName });
      this.db.prepare('UPDATE registered_models SET name = ?, last_updated_time = ? WHERE id = ?').run(newName, t, m.id);
      this.db.prepare('UPDATE model_versions SET last_updated_time = ? WHERE model = ? AND deleted_time IS NULL').run(t, m.id);
    })();
    return this.getRegisteredModel(newName);
  }

  /** Deletes a model with its versions, tags and aliases. @throws LatheError RESOURCE_DOES_NOT_EXIST */
  deleteRegisteredModel(name: string): void {
    const m = this.rows.requireModel(validateModelName(name));
    this.db.prepare('DELETE FROM registered_models WHERE id = ?').run(m.id);
  }

  /** Sets (value given) or deletes (null; a missing tag is fine) a model tag. @throws LatheError RESOURCE_DOES_NOT_EXIST */
  setRegisteredModelTag(name: string, key: string, value: string | null): void {
    const m = this.rows.requireModel(validateModelName(name));
    if (value === null) {
      this.db.prepare('DELETE FROM registered_model_tags WHERE model = ? AND key = ?').run(m.id, key);
      return;
    }
    const tag = validateRegistryTag(key, value);
    this.db.prepare('INSERT OR REPLACE INTO registered_model_tags (model, key, value) VALUES (?, ?, ?)').run(m.id, tag.key, tag.value);
  }

  /**
   * Searches registered models: filter on `name` and `tags.<k>` (= != LIKE ILIKE); prompts are
   * left out unless the filter asks for them; order_by `name`, `last_updated_timestamp`
   * (`timestamp`), default name ascending.
   * @throws LatheError INVALID_PARAMETER_VALUE (filter, order_by, max_results over 1000).
   */
  searchRegisteredModels(q: RegistrySearch): RegistryPage<RegisteredModel> {
    if (q.maxResults < 1 || q.maxResults > REGISTRY_LIMITS.searchModelsMax) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid value for request parameter max_results. It must be at most ${REGISTRY_LIMITS.searchModelsMax}, but got value ${q.maxResults}`, { field: 'max_results' });
    }
    const { exclude, rest } = excludesPrompts(parseSearchFilter(q.filter, MODEL_SPEC));
    const spec = { ...MODEL_SPEC, attributes: { name: 'string', last_updated_timestamp: 'number' } as FilterSpec['attributes'], aliases: { timestamp: 'last_updated_timestamp' } };
    const order = parseOrderBy(q.orderBy ?? [], spec, ['name', 'last_updated_timestamp']);
    if (!order.some((k) => k.key === 'name')) order.push({ entity: 'attribute', key: 'name', desc: false });
    const tagsById = this.rows.allModelTags();
    const all = this.db.prepare<[], ModelRow>('SELECT * FROM registered_models').all();
    const matched = all.filter((m) => {
      const tags = tagsById.get(m.id) ?? {};
      if (exclude && tags[IS_PROMPT_TAG]?.toLowerCase() === 'true') return false;
      return rest.every((c) => clauseMatches(c, c.entity === 'tag' ? tags[c.key] : m.name));
    });
    sortBy(matched, order, (m, k) => (k.key === 'name' ? m.name : m.last_updated_time));
    const p = page(matched, q);
    return { ...p, items: p.items.map((m) => this.rows.toModel(m, tagsById.get(m.id) ?? {})) };
  }

  /**
   * The newest version in each stage (all stages when `stages` is empty), with aliases.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE (unknown stage).
   */
  getLatestVersions(name: string, stages: string[] = []): ModelVersion[] {
    const m = this.rows.requireModel(validateModelName(name));
    const wanted = new Set(stages.map(canonicalStage));
    return this.rows
      .latestVersions(m.id)
      .filter((v) => wanted.size === 0 || wanted.has(v.current_stage))
      .map((v) => this.rows.toVersion(v, { aliases: true }));
  }

  // ---------------------------------------------------------------- versions

  /**
   * Registers a new version (READY at once) and bumps the model's last-updated time. A
   * `models:/<model_id>` source is resolved to the logged model's artifacts (its source run
   * becomes the version's run when none is given), a `runs:/<run_id>/<path>` source to that
   * folder of the run's artifacts; {@link getDownloadUri} answers with the resolved location.
   * @throws LatheError INVALID_PARAMETER_VALUE (source, tags), RESOURCE_DOES_NOT_EXIST (model,
   *   or the logged model of a `models:/` source).
   */
  createModelVersion(input: { name: string; source: string; runId?: string; tags?: Array<{ key: string; value?: string }>; runLink?: string; description?: string; modelId?: string; userId?: string }): ModelVersion {
    validateModelName(input.name);
    validateSource(input.source);
    const tags = (input.tags ?? []).map((t) => validateRegistryTag(t.key, t.value));
    let runId = input.runId ?? '';
    let storage: string | null = null;
    let modelId = input.modelId ?? null;
    const fromModel = /^models:\/(m-[0-9a-f]+)\/?$/.exec(input.source)?.[1];
    if (fromModel) {
      const lm = this.lookup.findLoggedModel(fromModel);
      if (!lm) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `Unable to fetch model from model URI source artifact location '${input.source}': logged model ${fromModel} not found`, { modelId: fromModel });
      storage = lm.artifactUri;
      runId = runId || lm.sourceRunId || '';
      modelId = modelId ?? fromModel;
    }
    const fromRun = /^runs:\/([^/]+)(?:\/(.*))?$/.exec(input.source);
    if (fromRun) {
      const root = this.lookup.findRunArtifactUri?.(fromRun[1]!);
      if (root) storage = fromRun[2] ? `${root}/${fromRun[2].replace(/\/+$/, '')}` : root;
    }
    const m = this.rows.requireModel(input.name);
    const t = this.now();
    const version = this.db.transaction(() => {
      const next = (this.db.prepare<[number], { n: number }>('SELECT COALESCE(MAX(version), 0) + 1 AS n FROM model_versions WHERE model = ?').get(m.id)!).n;
      this.db
        .prepare(
          `INSERT INTO model_versions (model, version, creation_time, last_updated_time, description, user_id, source, run_id, run_link, model_id, storage_location)
           VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
        )
        .run(m.id, next, t, t, input.description ?? '', input.userId ?? null, input.source, runId, input.runLink ?? '', modelId, storage);
      const insert = this.db.prepare('INSERT OR REPLACE INTO model_version_tags (model, version, key, value) VALUES (?, ?, ?, ?)');
      for (const tag of tags) insert.run(m.id, next, tag.key, tag.value);
      this.db.prepare('UPDATE registered_models SET last_updated_time = ? WHERE id = ?').run(t, m.id);
      return next;
    })();
    return this.getModelVersion(input.name, version);
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST, INVALID_PARAMETER_VALUE (version not an integer). */
  getModelVersion(name: string, version: string | number): ModelVersion {
    return this.rows.toVersion(this.rows.requireVersion(validateModelName(name), parseVersion(version)), { aliases: true });
  }

  /** Sets a version's description (its last-updated time moves, the model's does not). */
  updateModelVersion(name: string, version: string | number, description: string): ModelVersion {
    const v = this.rows.requireVersion(validateModelName(name), parseVersion(version));
    this.db.prepare('UPDATE model_versions SET description = ?, last_updated_time = ? WHERE model = ? AND version = ?').run(description, this.now(), v.model, v.version);
    return this.getModelVersion(name, v.version);
  }

  /** Soft-deletes a version and removes its aliases; the number is not reused. */
  deleteModelVersion(name: string, version: string | number): void {
    const v = this.rows.requireVersion(validateModelName(name), parseVersion(version));
    const t = this.now();
    this.db.transaction(() => {
      this.db.prepare('DELETE FROM registered_model_aliases WHERE model = ? AND version = ?').run(v.model, v.version);
      this.db.prepare('UPDATE model_versions SET deleted_time = ?, last_updated_time = ? WHERE model = ? AND version = ?').run(t, t, v.model, v.version);
      this.db.prepare('UPDATE registered_models SET last_updated_time = ? WHERE id = ?').run(t, v.model);
    })();
  }

  /** Sets (value given) or deletes (null; a missing tag is fine) a version tag. */
  setModelVersionTag(name: string, version: string | number, key: string, value: string | null): void {
    const v = this.rows.requireVersion(validateModelName(name), parseVersion(version));
    if (value === null) {
      this.db.prepare('DELETE FROM model_version_tags WHERE model = ? AND version = ? AND key = ?').run(v.model, v.version, key);
      return;
    }
    const tag = validateRegistryTag(key, value);
    this.db.prepare('INSERT OR REPLACE INTO model_version_tags (model, version, key, value) VALUES (?, ?, ?, ?)').run(v.model, v.version, tag.key, tag.value);
  }

  /**
   * Moves a version to a stage; with `archiveExisting` (Staging and Production only) the other
   * versions in that stage become Archived. Bumps the model's last-updated time.
   * @throws LatheError INVALID_PARAMETER_VALUE (stage, archiveExisting with another stage).
   */
  transitionStage(name: string, version: string | number, stage: string, archiveExisting: boolean): ModelVersion {
    const target: ModelStage = canonicalStage(stage);
    if (archiveExisting && !ACTIVE_STAGES.includes(target)) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Model version transition cannot archive existing model versions because '${stage}' is not an Active stage. Valid stages are ${ACTIVE_STAGES.join(', ')}`, { field: 'stage' });
    }
    const v = this.rows.requireVersion(validateModelName(name), parseVersion(version));
    const t = this.now();
    this.db.transaction(() => {
      if (archiveExisting) {
        this.db
          .prepare("UPDATE model_versions SET current_stage = 'Archived', last_updated_time = ? WHERE model = ? AND version != ? AND current_stage = ? AND deleted_time IS NULL")
          .run(t, v.model, v.version, target);
      }
      this.db.prepare('UPDATE model_versions SET current_stage = ?, last_updated_time = ? WHERE model = ? AND version = ?').run(target, t, v.model, v.version);
      this.db.prepare('UPDATE registered_models SET last_updated_time = ? WHERE id = ?').run(t, v.model);
    })();
    return this.getModelVersion(name, v.version);
  }

  /** Where a version's files are: the resolved storage location, else its source. */
  getDownloadUri(name: string, version: string | number): string {
    const v = this.rows.requireVersion(validateModelName(name), parseVersion(version));
    return v.storage_location ?? v.source;
  }

  /**
   * Searches live versions: filter on `name`, `run_id`, `source_path` (= != LIKE ILIKE IN),
   * `version_number` and the timestamps (numeric), `tags.<k>`; order_by `name`,
   * `version_number`, `creation_timestamp`, `last_updated_timestamp`; default last updated
   * first, then name, then version descending.
   * @throws LatheError INVALID_PARAMETER_VALUE (filter, order_by, max_results).
   */
  searchModelVersions(q: RegistrySearch): RegistryPage<ModelVersion> {
    if (q.maxResults < 1 || q.maxResults > REGISTRY_LIMITS.searchVersionsMax) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid value for request parameter max_results. It must be at most ${REGISTRY_LIMITS.searchVersionsMax}, but got value ${q.maxResults}`, { field: 'max_results' });
    }
    const { exclude, rest } = excludesPrompts(parseSearchFilter(q.filter, VERSION_SPEC));
    const keys = ['name', 'version_number', 'creation_timestamp', 'last_updated_timestamp'];
    const order = parseOrderBy(q.orderBy?.length ? q.orderBy : ['last_updated_timestamp DESC', 'name ASC', 'version_number DESC'], VERSION_SPEC, keys);
    if (!order.some((k) => k.key === 'name')) order.push({ entity: 'attribute', key: 'name', desc: false });
    if (!order.some((k) => k.key === 'version_number')) order.push({ entity: 'attribute', key: 'version_number', desc: true });
    const modelTags = this.rows.allModelTags();
    const versionTags = this.rows.allVersionTags();
    const attr = (v: VersionRow, key: string): string | number | undefined =>
      ({ name: v.name, run_id: v.run_id, source: v.source, version_number: v.version, creation_timestamp: v.creation_time, last_updated_timestamp: v.last_updated_time })[key];
    const matched = this.rows.versionRows().filter((v) => {
      const tags = versionTags.get(`${v.model}:${v.version}`) ?? {};
      if (exclude && (tags[IS_PROMPT_TAG] ?? modelTags.get(v.model)?.[IS_PROMPT_TAG])?.toLowerCase() === 'true') return false;
      return rest.every((c) => clauseMatches(c, c.entity === 'tag' ? tags[c.key] : attr(v, c.key)));
    });
    sortBy(matched, order, (v, k) => attr(v, k.key));
    const p = page(matched, q);
    return { ...p, items: p.items.map((v) => this.rows.toVersion(v, { tags: versionTags.get(`${v.model}:${v.version}`) ?? {} })) };
  }

  // ---------------------------------------------------------------- aliases

  /** Points an alias at a live version (moving it if it exists). @throws LatheError INVALID_PARAMETER_VALUE (reserved or bad alias), RESOURCE_DOES_NOT_EXIST */
  setAlias(name: string, alias: string, version: string | number): void {
    validateModelName(name);
    validateAlias(alias);
    const v = this.rows.requireVersion(name, parseVersion(version));
    this.db.prepare('INSERT OR REPLACE INTO registered_model_aliases (model, alias, version) VALUES (?, ?, ?)').run(v.model, alias, v.version);
  }

  /** Removes an alias (a missing one is fine). @throws LatheError RESOURCE_DOES_NOT_EXIST (model) */
  deleteAlias(name: string, alias: string): void {
    validateModelName(name);
    validateAlias(alias);
    const m = this.rows.requireModel(name);
    this.db.prepare('DELETE FROM registered_model_aliases WHERE model = ? AND alias = ?').run(m.id, alias);
  }

  /**
   * The version an alias points at, with its aliases.
   * @throws LatheError INVALID_PARAMETER_VALUE "Registered model alias X not found." (400, as
   *   the real server answers; also when the model itself is missing).
   */
  getVersionByAlias(name: string, alias: string): ModelVersion {
    validateModelName(name);
    validateAlias(alias);
    const row = this.db
      .prepare<[string, string], { version: number }>('SELECT a.version FROM registered_model_aliases a JOIN registered_models m ON m.id = a.model WHERE m.name = ? AND a.alias = ?')
      .get(name, alias);
    if (!row) throw new LatheError('INVALID_PARAMETER_VALUE', `Registered model alias ${alias} not found.`, { name, alias });
    return this.getModelVersion(name, row.version);
  }
}
