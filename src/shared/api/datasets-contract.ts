import { oc, type } from '@orpc/contract';
import { z } from 'zod';
import type {
  AddProgress,
  Dataset,
  DatasetDeleteResult,
  DatasetFileEntry,
  DatasetPreview,
  DatasetProfile,
  DatasetVersion,
  MlflowDatasetInput,
  ProfileDiff,
  RunDatasetInput,
  ValidationReport,
  ValidationRule,
} from './dataset-types';
import { datasetRefSchema, validationRulesSchema } from './dataset-schemas';

const name = z.string().min(1).max(128);
/** A dataset reference (NAME or NAME@VERSION) or a file/folder path on the machine running Lathe. */
const target = z.string().min(1).max(4096).regex(/^[^\0]*$/, 'no NUL bytes');
const file = z.string().min(1).max(4096).optional();
const version = z.string().min(1).max(71).regex(/^(sha256:)?[0-9a-f]+$/i, 'a digest or a prefix of one');

/** What `datasets.add` streams: progress while hashing or copying, then the result. */
export type AddEvent =
  | { type: 'progress'; progress: AddProgress }
  | { type: 'done'; dataset: Dataset; version: DatasetVersion; created: boolean };

/** The Datasets section of the API contract (issue #6); see src/main/api/datasets-router.ts. */
export const datasetsContract = {
  /** All datasets, with their latest version and rules. */
  list: oc.input(z.object({}).optional()).output(type<Dataset[]>()),
  get: oc.input(z.object({ name })).output(type<Dataset>()),
  /** Versions newest first, each with size, rows (once profiled) and the runs that used it. */
  versions: oc.input(z.object({ name })).output(type<DatasetVersion[]>()),
  /** The files of a version (relative path, size, SHA-256). */
  files: oc.input(z.object({ ref: datasetRefSchema })).output(type<DatasetFileEntry[]>()),
  /**
   * Registers a file or folder (track in place, or import into Lathe's store). Streams
   * progress while hashing/copying; abort the stream to cancel (nothing is recorded).
   */
  add: oc
    .input(z.object({ path: target, name, mode: z.enum(['track', 'import']).default('track'), description: z.string().max(2000).optional() }))
    .output(type<AsyncIterable<AddEvent>>()),
  /** The profile of a version's file (cached per content) or of a path. */
  inspect: oc.input(z.object({ target, file, refresh: z.boolean().optional() })).output(type<DatasetProfile>()),
  /** The first rows, typed as the profile reads them, as text (capped at 1,000 rows / 2 MiB). */
  preview: oc
    .input(z.object({ target, file, offset: z.number().int().min(0).max(1000).default(0), limit: z.number().int().min(1).max(1000).default(200) }))
    .output(type<DatasetPreview>()),
  rules: oc.input(z.object({ name })).output(type<ValidationRule[]>()),
  setRules: oc.input(z.object({ name, rules: validationRulesSchema })).output(type<Dataset>()),
  /** Checks a version against its stored rules (or the rules given). */
  validate: oc.input(z.object({ target, file, rules: validationRulesSchema.optional() })).output(type<ValidationReport>()),
  /** Schema and per-column statistics changes between two versions. */
  diff: oc.input(z.object({ name, from: version, to: version, file })).output(type<ProfileDiff>()),
  /**
   * Deletes one version (`version`: its digest or a prefix) or, without `version`, the whole
   * dataset. Refused with RESOURCE_CONFLICT (409) while a run used a version as an input; unknown
   * dataset or version: 404 RESOURCE_DOES_NOT_EXIST. `dryRun`: the same checks and figures,
   * nothing deleted (what a confirmation shows). See DatasetService.delete.
   */
  delete: oc.input(z.object({ name, version: version.optional(), dryRun: z.boolean().optional() })).output(type<DatasetDeleteResult>()),
  /** The dataset versions a run used (lineage). */
  runInputs: oc.input(z.object({ runId: z.string().min(1).max(256) })).output(type<RunDatasetInput[]>()),
  /** The same in MLflow's log-inputs shape. */
  mlflowInputs: oc.input(z.object({ runId: z.string().min(1).max(256) })).output(type<MlflowDatasetInput[]>()),
};
