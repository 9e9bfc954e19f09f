/**
 * Model registry entities (MLflow model_registry.proto; ../shared/notes/mlflow-rest.md §2).
 * Times are ms since the Unix epoch. Version numbers are integers here; the MLflow API writes
 * them as strings.
 */

/** The deprecated stages MLflow still supports; "None" is the default. */
export const MODEL_STAGES = ['None', 'Staging', 'Production', 'Archived'] as const;
export type ModelStage = (typeof MODEL_STAGES)[number];

/** The stages `archive_existing_versions` may be used with. */
export const ACTIVE_STAGES: readonly ModelStage[] = ['Staging', 'Production'];

export interface ModelVersion {
  /** the registered model's name */
  name: string;
  version: number;
  creationTime: number;
  lastUpdatedTime: number;
  /** "" when unset, as the real server sends it */
  description: string;
  userId: string | null;
  currentStage: ModelStage;
  /** where the model came from, e.g. `mlflow-artifacts:/1/<run>/artifacts/model` or `models:/m-…` */
  source: string;
  /** "" when unset */
  runId: string;
  /** "" when unset */
  runLink: string;
  /** always READY: Lathe registers synchronously */
  status: 'READY';
  statusMessage: string | null;
  /** the MLflow 3 logged model this version was registered from, if any */
  modelId: string | null;
  /** resolved download location (the logged model's artifacts for `models:/` sources), if any */
  storageLocation: string | null;
  tags: Record<string, string>;
  /** aliases pointing at this version */
  aliases: string[];
}

export interface RegisteredModel {
  name: string;
  creationTime: number;
  lastUpdatedTime: number;
  description: string | null;
  userId: string | null;
  /** the newest version in each stage, as MLflow's store lists them (stages in first-seen order) */
  latestVersions: ModelVersion[];
  tags: Record<string, string>;
  aliases: Array<{ alias: string; version: number }>;
}

/** One page of a search: the entries and the offset of the next page, if there is one. */
export interface RegistryPage<T> {
  items: T[];
  nextOffset?: number;
}

/** How a search is asked for (filter and order_by in MLflow's grammar, see search-filter.ts). */
export interface RegistrySearch {
  filter?: string;
  orderBy?: string[];
  maxResults: number;
  offset: number;
}

/** Limits MLflow's registry enforces (mlflow/utils/validation.py). */
export const REGISTRY_LIMITS = {
  nameLength: 256,
  tagKeyLength: 250,
  tagValueLength: 100_000,
  aliasLength: 255,
  searchModelsMax: 1000,
  searchVersionsMax: 200_000,
} as const;

/** The tag MLflow 3 sets on prompts; registry searches leave prompts out unless asked. */
export const IS_PROMPT_TAG = 'mlflow.prompt.is_prompt';
