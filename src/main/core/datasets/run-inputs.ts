import fs from 'node:fs';
import path from 'node:path';
import type { DatasetFileEntry, DatasetProfile, MlflowDatasetInput, RunDatasetInput, ValidationReport } from '../../../shared/api/dataset-types';
import { LatheError } from '../../../shared/errors';
import type { DatasetService } from './dataset-service';
import { versionFolder, type VersionRow } from './dataset-store';
import { datasetEnvName, parseDatasetRef } from './dataset-refs';
import { hashSourceFiles, listSourceFiles, manifestDigest } from './version-files';
import { validateTarget } from './dataset-extras';
import { PROFILER_VERSION } from './inspect/profiler';


/** Where containers see datasets: /data/NAME, read-only. */
export const CONTAINER_DATA_ROOT = '/data';
const TABULAR = /\.(csv|tsv|tab|jsonl|ndjson|json|parquet)(\.(gz|zst))?$/i;

/** A dataset version resolved and checked for a run (before the run exists). */
export interface PreparedInput {
  name: string;
  versionId: number;
  digest: string;
}

/** A read-only bind mount for the Docker runtime. */
export interface DataMount {
  source: string;
  target: string;
  readOnly: true;
}

/** Something that records MLflow dataset inputs of a run (the MLflow API's RunInputsService). */
export interface MlflowInputsSink {
  logInputs(runId: string, inputs: { datasets?: Array<{ dataset: { name: string; digest: string; sourceType: string; source: string; schema?: string; profile?: string }; tags: Array<{ key: string; value: string }> }> }): void;
}

/** MLflow's column types (mlflow.types.schema.DataType) for Lathe's inferred types. */
const MLFLOW_TYPES: Record<string, string> = { integer: 'long', float: 'double', decimal: 'double', boolean: 'boolean', string: 'string', timestamp: 'datetime', timestamp_tz: 'datetime', date: 'datetime' };

/**
 * Datasets as run inputs (lineage): resolves and verifies `--dataset NAME[@VERSION]` before
 * a run is created, records what the run used, mounts versions read-only at /data/NAME in
 * containers (and passes host paths to processes as LATHE_DATASET_<NAME>), and gives the
 * inputs in MLflow's log-inputs shape.
 */
export class DatasetRunInputs {
  constructor(
    private readonly svc: DatasetService,
    private readonly mlflow?: MlflowInputsSink,
    private readonly now: () => number = Date.now,
  ) {}

  /**
   * Resolves each reference to a version and checks it can be used: a tracked version's files
   * are hashed again and must still have the registered digest; with `requireValid`, every
   * tabular file must pass the dataset's rules.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown dataset/version), INVALID_PARAMETER_VALUE
   *   (the same dataset twice; a failed validation, with the reports in details.validation),
   *   RESOURCE_CONFLICT (tracked data changed or gone).
   */
  async prepare(refs: string[], opts: { requireValid?: boolean; signal?: AbortSignal } = {}): Promise<PreparedInput[]> {
    const out: PreparedInput[] = [];
    for (const ref of refs) {
      const { name } = parseDatasetRef(ref);
      if (out.some((o) => o.name === name)) throw new LatheError('INVALID_PARAMETER_VALUE', `Dataset '${name}' is given twice`, { field: 'datasets' });
      const { row } = this.svc.resolve(ref);
      if (row.mode === 'track') {
        let digest: string | null = null;
        if (fs.existsSync(row.source_path)) {
          const { files } = await listSourceFiles(row.source_path);
          digest = manifestDigest(await hashSourceFiles(files, { signal: opts.signal }));
        }
        if (digest !== row.digest) {
          throw new LatheError(
            'RESOURCE_CONFLICT',
            `Dataset ${name}@${row.digest.slice(0, 12)} is tracked at ${row.source_path}, which ${digest ? `now has digest ${digest.slice(0, 12)}` : 'is gone'}; the run is refused. Register the new content (lathe datasets add ${row.source_path} --name ${name}) or use --dataset ${name}@<version>.`,
            { name, digest: row.digest, actual: digest },
          );
        }
      }
      if (opts.requireValid && this.svc.rules(name).length) {
        const manifest = JSON.parse(row.manifest) as DatasetFileEntry[];
        const reports: ValidationReport[] = [];
        for (const f of manifest.filter((m) => TABULAR.test(m.path)).slice(0, 20)) reports.push(await validateTarget(this.svc, `${name}@${row.digest}`, { file: f.path, signal: opts.signal }));
        const failed = reports.filter((r) => !r.passed);
        if (failed.length) {
          const lines = failed.flatMap((r) => r.results.filter((x) => !x.passed).map((x) => `${r.file}: ${x.message}`));
          throw new LatheError('INVALID_PARAMETER_VALUE', `Dataset ${name}@${row.digest.slice(0, 12)} fails its validation rules, so the run is refused:\n  ${lines.join('\n  ')}`, { field: 'datasets', validation: reports });
        }
      }
      out.push({ name, versionId: row.id, digest: row.digest });
    }
    return out;
  }

  /** Records the prepared inputs of a created run (Lathe's lineage, and MLflow's dataset inputs). */
  record(runId: string, inputs: PreparedInput[], runtime: 'docker' | 'process'): void {
    // created_at orders a run's inputs as the spec listed them: one ms apart, so inputs
    // recorded within the same millisecond keep their order too.
    const t0 = this.now();
    for (const [n, i] of inputs.entries()) {
      const row = this.svc.store.versionById(i.versionId)!;
      const mount = runtime === 'docker' ? `${CONTAINER_DATA_ROOT}/${i.name}` : this.hostDir(row);
      this.svc.store.addRunInput(runId, i.versionId, mount, 'training', t0 + n);
    }
    if (this.mlflow && inputs.length) this.mlflow.logInputs(runId, { datasets: this.mlflowInputs(runId).map((d) => ({ dataset: { ...d.dataset, sourceType: d.dataset.source_type }, tags: d.tags })) });
  }

  /**
   * What the runtime needs for a run's recorded inputs: read-only binds (docker) and the
   * LATHE_DATASET_<NAME> variables (the container path, or the host folder for processes).
   */
  launchInputs(runId: string, runtime: 'docker' | 'process'): { mounts: DataMount[]; env: Record<string, string> } {
    const mounts: DataMount[] = [];
    const env: Record<string, string> = {};
    for (const r of this.svc.store.inputsOfRun(runId)) {
      const row = this.svc.store.versionById(r.version)!;
      if (runtime === 'docker') {
        const target = `${CONTAINER_DATA_ROOT}/${r.name}`;
        if (row.mode === 'track' && row.kind === 'file') {
          // A read-only folder holding an empty placeholder, with the tracked file bound onto it:
          // /data/NAME stays read-only as a whole, and no sibling of the file is exposed.
          const base = path.basename(row.source_path);
          const holder = path.join(this.svc.content.root, 'mounts', versionFolder(row));
          fs.mkdirSync(holder, { recursive: true });
          if (!fs.existsSync(path.join(holder, base))) fs.writeFileSync(path.join(holder, base), '', { mode: 0o444 });
          mounts.push({ source: holder, target, readOnly: true }, { source: row.source_path, target: `${target}/${base}`, readOnly: true });
        } else mounts.push({ source: this.svc.versionRoot(row), target, readOnly: true });
        env[datasetEnvName(r.name)] = target;
      } else {
        env[datasetEnvName(r.name)] = this.hostDir(row);
      }
    }
    return { mounts, env };
  }

  /**
   * A folder holding the version's files on the host (a tracked single file gets a folder with
   * a link to it). One folder per version, not per digest: two datasets tracking the same bytes
   * at different paths must each read their own file.
   */
  private hostDir(row: VersionRow): string {
    if (row.mode === 'import' || row.kind === 'folder') return this.svc.versionRoot(row);
    const dir = path.join(this.svc.content.root, 'views', versionFolder(row));
    const link = path.join(dir, path.basename(row.source_path));
    fs.mkdirSync(dir, { recursive: true });
    // A link left by an earlier version with this id (ids can be reused after a delete) is
    // replaced; the right one is kept as it is.
    let current: string | null = null;
    try {
      current = fs.readlinkSync(link);
    } catch {
      // no link yet
    }
    if (current !== row.source_path) {
      fs.rmSync(link, { force: true });
      fs.symlinkSync(row.source_path, link);
    }
    return dir;
  }

  /** The datasets a run used, as Lathe recorded them. */
  inputs(runId: string): RunDatasetInput[] {
    return this.svc.store.inputsOfRun(runId).map((r) => ({ name: r.name, digest: r.digest, mode: r.mode, sourcePath: r.source_path, mountPath: r.mount_path, context: r.context }));
  }

  /**
   * A run's dataset inputs in MLflow's log-inputs shape (`dataset_inputs` of a run): digest
   * cut to 32 hex digits (MLflow allows 36 characters), source a local URI, schema as MLflow
   * column specs and profile as row count when the version was profiled.
   */
  mlflowInputs(runId: string): MlflowDatasetInput[] {
    return this.svc.store.inputsOfRun(runId).map((r) => {
      const manifest = JSON.parse(r.manifest) as DatasetFileEntry[];
      const primary = manifest.find((m) => TABULAR.test(m.path)) ?? manifest[0];
      const cached = primary ? this.svc.store.profile(primary.sha256, PROFILER_VERSION) : undefined;
      const profile = cached ? (JSON.parse(cached) as DatasetProfile) : null;
      return {
        tags: [{ key: 'mlflow.data.context', value: r.context }],
        dataset: {
          name: r.name,
          digest: r.digest.slice(0, 32),
          source_type: 'local',
          source: JSON.stringify({ uri: r.source_path }),
          ...(profile
            ? {
                schema: JSON.stringify({ mlflow_colspec: profile.columns.map((c) => ({ type: MLFLOW_TYPES[c.inferred_type] ?? 'string', name: c.name })) }),
                profile: JSON.stringify({ num_rows: profile.rows, num_elements: profile.rows * profile.columns.length }),
              }
            : {}),
        },
      };
    });
  }
}
