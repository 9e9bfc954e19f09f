import fs from 'node:fs';
import path from 'node:path';
import type { Db } from '../store/database';
import type { ChangeBus } from '../events';
import type {
  Dataset,
  DatasetDeleteResult,
  DatasetFileEntry,
  DatasetMode,
  DatasetProfile,
  DatasetVersion,
  ValidationRule,
} from '../../../shared/api/dataset-types';
import { LatheError } from '../../../shared/errors';
import { DatasetStore, type VersionRow } from './dataset-store';
import { ContentStore } from './content-store';
import { hashSourceFiles, hashStable, listSourceFiles, manifestDigest, type ProgressOptions } from './version-files';
import { checkDataPath, checkDatasetName, parseDatasetRef, primaryFile } from './dataset-refs';
import { PROFILER_VERSION, profileFile } from './inspect/profiler';
import { DatasetRunInputs, type MlflowInputsSink } from './run-inputs';
import { diffVersions, previewTarget, validateTarget } from './dataset-extras';
import { deleteDatasetVersions } from './dataset-delete';

export interface DatasetServiceDeps {
  db: Db;
  bus: ChangeBus;
  /** `<home>/datasets`: the content store and DuckDB's temporary files. */
  root: string;
  now?: () => number;
  /** Where run inputs are also recorded in MLflow's shape (the MLflow API's run inputs). */
  mlflowInputs?: MlflowInputsSink;
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Removes what a killed process left in the temporary folders: partial imports
 * (`<pid>-<random>`) and DuckDB job databases (`job-<pid>-<random>.duckdb[.wal]`) of processes
 * that no longer run. Files of live processes (a server beside a CLI command) are kept.
 */
function sweepTemp(dirs: string[]): void {
  for (const dir of dirs) {
    let names: string[];
    try {
      names = fs.readdirSync(dir);
    } catch {
      continue;
    }
    for (const n of names) {
      const pid = /^(?:job-)?(\d+)-[0-9a-f]+/.exec(n)?.[1];
      if (pid && !alive(Number(pid))) fs.rmSync(path.join(dir, n), { recursive: true, force: true });
    }
  }
}

/** A file of a version (or an unregistered path) located on disk, with its content digest. */
export interface LocatedFile {
  abs: string;
  rel: string;
  sha256: string;
  version: VersionRow | null;
  datasetName: string | null;
}

/**
 * Datasets: registration with content digests (track in place or import into the content
 * store), versions, cached inspection, rules. Validation, preview, diff and run inputs are
 * built on it (validate/, preview.ts, profile-diff.ts, run-inputs.ts).
 */
export class DatasetService {
  readonly store: DatasetStore;
  readonly content: ContentStore;
  readonly tempDir: string;
  /** Datasets as run inputs: verification before a run, mounts, lineage. */
  readonly runs: DatasetRunInputs;
  private readonly now: () => number;
  private readonly inflight = new Map<string, Promise<DatasetProfile>>();

  constructor(private readonly deps: DatasetServiceDeps) {
    this.store = new DatasetStore(deps.db);
    this.content = new ContentStore(deps.root);
    this.tempDir = path.join(deps.root, 'tmp', 'duckdb');
    this.now = deps.now ?? Date.now;
    this.runs = new DatasetRunInputs(this, deps.mlflowInputs, this.now);
    sweepTemp([this.content.tmp, this.tempDir]);
  }

  /** Validation report of a version's file against its stored rules (or `rules`); see dataset-extras.ts. */
  validate(target: string, opts: Parameters<typeof validateTarget>[2] = {}) {
    return validateTarget(this, target, { ...opts, now: this.now() });
  }

  /** The first rows of a version's file, capped; see dataset-extras.ts. */
  preview(target: string, opts: Parameters<typeof previewTarget>[2] = {}) {
    return previewTarget(this, target, opts);
  }

  /** Schema and statistics changes between two versions; see profile-diff.ts. */
  diff(name: string, from: string, to: string, opts: Parameters<typeof diffVersions>[4] = {}) {
    return diffVersions(this, name, from, to, opts);
  }

  private publish(name: string): void {
    this.deps.bus.publish({ kind: 'dataset', datasetName: name });
  }

  /**
   * Registers a file or folder as a version of dataset `name` (created if new). The version
   * is the content digest; registering identical content again returns the existing version.
   * mode 'track': the data stays where it is and its digest is verified before each run;
   * 'import': the files are copied into the content store (identical files stored once).
   * @throws LatheError INVALID_PARAMETER_VALUE (bad name, symlink inside), RESOURCE_DOES_NOT_EXIST
   *   (missing path), PERMISSION_DENIED (a system folder, Lathe's data directory, outside LATHE_DATA_ROOTS);
   *   AbortError when `opts.signal` aborts (nothing is recorded, partial copies removed).
   */
  async add(input: { path: string; name: string; mode?: DatasetMode; description?: string }, opts: ProgressOptions = {}): Promise<{ dataset: Dataset; version: DatasetVersion; created: boolean }> {
    const name = checkDatasetName(input.name);
    const mode = input.mode ?? 'track';
    const abs = checkDataPath(input.path, path.dirname(this.deps.root));
    opts.onProgress?.({ phase: 'scan', bytesDone: 0, bytesTotal: 0 });
    const { kind, files } = await listSourceFiles(abs);
    let entries = mode === 'import' ? await this.content.importFiles(files, opts) : await hashSourceFiles(files, opts);
    // A delete may have removed a shared object this import found already stored. From this
    // check on, add() runs without yielding, so an in-process delete cannot come between.
    for (let attempt = 0; mode === 'import' && entries.some((e) => !this.content.has(e.sha256)); attempt++) {
      if (attempt === 3) throw new LatheError('RESOURCE_CONFLICT', `Stored files of '${name}' kept disappearing while it was imported (a delete running alongside?); add it again`, { name });
      entries = await this.content.importFiles(files, opts);
    }
    opts.signal?.throwIfAborted();
    if (mode === 'track') for (const f of files) this.rememberFileState(f.abs, entries.find((e) => e.path === f.rel)!.sha256);
    const digest = manifestDigest(entries);
    const t = this.now();
    const ds = this.store.ensureDataset(name, input.description ?? '', t);
    const { row, created } = this.store.addVersion({
      dataset: ds.id,
      digest,
      mode,
      source_path: abs,
      kind,
      file_count: entries.length,
      size_bytes: entries.reduce((s, e) => s + e.size, 0),
      manifest: entries,
      created_at: t,
    });
    if (!created && mode === 'import' && row.mode === 'track') {
      // The same content, now also stored by Lathe: runs no longer depend on the original path.
      this.deps.db.prepare("UPDATE dataset_versions SET mode = 'import' WHERE id = ?").run(row.id);
      row.mode = 'import';
    }
    if (mode === 'import') this.content.versionDir(digest, entries);
    this.store.touch(ds.id, t);
    opts.onProgress?.({ phase: 'done', bytesDone: row.size_bytes, bytesTotal: row.size_bytes });
    this.publish(name);
    return { dataset: this.get(name), version: this.toVersion(name, row), created };
  }

  /** All datasets by name, with their latest version. */
  list(): Dataset[] {
    return this.store.datasets().map((d) => this.get(d.name));
  }

  /** @throws LatheError RESOURCE_DOES_NOT_EXIST when no dataset has this name. */
  get(name: string): Dataset {
    const d = this.store.dataset(name);
    if (!d) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No dataset named '${name}' (lathe datasets add PATH --name ${name})`, { name });
    const versions = this.store.versions(d.id);
    return {
      name: d.name,
      description: d.description,
      createdAt: d.created_at,
      updatedAt: d.updated_at,
      versionCount: versions.length,
      latest: versions[0] ? this.toVersion(d.name, versions[0]) : null,
      rules: JSON.parse(d.rules) as ValidationRule[],
    };
  }

  /** Versions of a dataset, newest first, each with the runs that used it. */
  versions(name: string): DatasetVersion[] {
    const d = this.get(name);
    const rows = this.store.versions(this.store.dataset(d.name)!.id);
    return rows.map((r) => this.toVersion(name, r));
  }

  private toVersion(name: string, r: VersionRow): DatasetVersion {
    const manifest = JSON.parse(r.manifest) as DatasetFileEntry[];
    const primary = manifest.find((e) => e.path === primaryFile(manifest.map((m) => m.path)));
    return {
      datasetName: name,
      digest: r.digest,
      mode: r.mode,
      sourcePath: r.source_path,
      kind: r.kind,
      fileCount: r.file_count,
      sizeBytes: r.size_bytes,
      rows: primary ? (this.store.profileRows(primary.sha256, PROFILER_VERSION) ?? null) : null,
      createdAt: r.created_at,
      usedBy: this.store.runsUsing([r.id]).map((u) => ({ runId: u.run_id, runName: u.name, status: u.status, startTime: u.start_time })),
    };
  }

  /** The files of a version as recorded (path, size, SHA-256). */
  files(ref: string): DatasetFileEntry[] {
    return JSON.parse(this.resolve(ref).row.manifest) as DatasetFileEntry[];
  }

  /**
   * The version a reference names: `NAME` (latest) or `NAME@DIGEST_PREFIX`.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown dataset or version),
   *   INVALID_PARAMETER_VALUE (ambiguous prefix).
   */
  resolve(ref: string): { name: string; row: VersionRow } {
    const { name, version } = parseDatasetRef(ref);
    const d = this.store.dataset(name);
    if (!d) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No dataset named '${name}' (lathe datasets add PATH --name ${name})`, { name });
    const rows = version ? this.store.versionsByPrefix(d.id, version) : this.store.versions(d.id).slice(0, 1);
    if (rows.length === 0) throw new LatheError('RESOURCE_DOES_NOT_EXIST', version ? `Dataset '${name}' has no version ${version}` : `Dataset '${name}' has no version`, { name, version });
    if (rows.length > 1) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Version prefix '${version}' of '${name}' is ambiguous: ${rows.map((r) => r.digest.slice(0, 12)).join(', ')}`, { name, version });
    }
    return { name, row: rows[0]! };
  }

  /** Where the files of a version live: the tracked path, or its folder in the content store. */
  versionRoot(row: VersionRow): string {
    if (row.mode === 'import') return this.content.versionDir(row.digest, JSON.parse(row.manifest) as DatasetFileEntry[]);
    return row.source_path;
  }

  /** The SHA-256 of a file, from the state cache when size, mtime and inode are unchanged, else by hashing it (and remembering). */
  async fileSha256(abs: string, signal?: AbortSignal): Promise<string> {
    const st = await fs.promises.stat(abs, { bigint: true });
    const known = this.store.fileState(abs);
    if (known && known.size === Number(st.size) && known.mtime_ns === String(st.mtimeNs) && known.ino === String(st.ino)) return known.sha256;
    const sha = await hashStable(abs, undefined, signal);
    this.rememberFileState(abs, sha);
    return sha;
  }

  private rememberFileState(abs: string, sha256: string): void {
    const st = fs.statSync(abs, { bigint: true });
    this.store.putFileState(abs, Number(st.size), String(st.mtimeNs), String(st.ino), sha256, this.now());
  }

  /**
   * Locates one file of a dataset version or a path on disk: `target` is `NAME[@VERSION]`
   * (a registered dataset wins over a same-named relative path) or a file or folder path;
   * `file` picks a file inside a folder (default: the first tabular one).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (nothing by that name), INVALID_PARAMETER_VALUE
   *   (no such file in the version), RESOURCE_CONFLICT (a tracked file changed since registration).
   */
  async locate(target: string, file?: string, signal?: AbortSignal): Promise<LocatedFile> {
    const looksLikeRef = /^[A-Za-z0-9][A-Za-z0-9._-]*(@[A-Za-z0-9:]+)?$/.test(target) && !target.includes('/');
    const isDataset = looksLikeRef && this.store.dataset(target.split('@')[0]!) !== undefined;
    if (!isDataset) {
      if (!fs.existsSync(path.resolve(target))) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No dataset or file named '${target}'`, { target });
      const abs = checkDataPath(target, path.dirname(this.deps.root));
      const { kind, files } = await listSourceFiles(abs);
      const rel = file ?? primaryFile(files.map((f) => f.rel))!;
      const f = files.find((x) => x.rel === rel);
      if (!f) throw new LatheError('INVALID_PARAMETER_VALUE', `${abs} has no file '${rel}'`, { field: 'file' });
      return { abs: kind === 'file' ? abs : f.abs, rel, sha256: await this.fileSha256(f.abs, signal), version: null, datasetName: null };
    }
    const { name, row } = this.resolve(target);
    const manifest = JSON.parse(row.manifest) as DatasetFileEntry[];
    const rel = file ?? primaryFile(manifest.map((m) => m.path))!;
    const entry = manifest.find((m) => m.path === rel);
    if (!entry) throw new LatheError('INVALID_PARAMETER_VALUE', `Version ${row.digest.slice(0, 12)} of '${name}' has no file '${rel}'; it has: ${manifest.slice(0, 10).map((m) => m.path).join(', ')}`, { field: 'file' });
    let abs: string;
    if (row.mode === 'import') abs = this.content.objectPath(entry.sha256);
    else {
      abs = row.kind === 'file' ? row.source_path : path.join(row.source_path, ...rel.split('/'));
      const sha = fs.existsSync(abs) ? await this.fileSha256(abs, signal) : null;
      if (sha !== entry.sha256) {
        throw new LatheError('RESOURCE_CONFLICT', `${abs} ${sha ? 'changed' : 'is gone'} since version ${row.digest.slice(0, 12)} of '${name}' was registered; register the new content with: lathe datasets add ${row.source_path} --name ${name}`, { name, digest: row.digest, file: rel });
      }
    }
    return { abs, rel, sha256: entry.sha256, version: row, datasetName: name };
  }

  /**
   * Called after reading a located file: what was read is only kept or reported if the file
   * and its version are still there (a delete may have run meanwhile; the file's absence
   * then reads as an empty or unreadable file).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST when the file or its version is gone.
   */
  requireStillPresent(loc: LocatedFile): void {
    const row = loc.version ? this.store.versionById(loc.version.id) : undefined;
    const versionGone = loc.version !== null && (!row || row.digest !== loc.version.digest);
    if (versionGone || !fs.existsSync(loc.abs)) {
      const what = loc.version ? `${loc.datasetName}@${loc.version.digest.slice(0, 12)}` : loc.abs;
      throw new LatheError('RESOURCE_DOES_NOT_EXIST', `${what} was deleted while it was being read`, { target: what });
    }
  }

  /**
   * The profile of a dataset file (see inspect/profiler.ts), from the cache when this content
   * was profiled before by this profiler revision; `refresh` recomputes it.
   * @throws LatheError as {@link locate}; AbortError when `signal` aborts.
   */
  async inspect(target: string, opts: { file?: string; refresh?: boolean; signal?: AbortSignal } = {}): Promise<DatasetProfile> {
    const loc = await this.locate(target, opts.file, opts.signal);
    const display = loc.version ? `${loc.datasetName}@${loc.version.digest.slice(0, 12)}/${loc.rel}` : loc.abs;
    if (!opts.refresh) {
      const cached = this.store.profile(loc.sha256, PROFILER_VERSION);
      if (cached) {
        const p = JSON.parse(cached) as DatasetProfile;
        p.file.path = display;
        return p;
      }
    }
    let running = this.inflight.get(loc.sha256);
    if (!running) {
      running = profileFile(loc.abs, { tempDir: this.tempDir, sha256: loc.sha256, displayPath: display, signal: opts.signal }).then(
        (p) => {
          // Checked with no await before the write: a read a delete overtook is never cached.
          this.requireStillPresent(loc);
          this.store.putProfile(loc.sha256, PROFILER_VERSION, JSON.stringify(p), p.rows, this.now());
          return p;
        },
        (err: unknown) => {
          this.requireStillPresent(loc);
          throw err;
        },
      );
      this.inflight.set(loc.sha256, running);
      void running.finally(() => this.inflight.delete(loc.sha256)).catch(() => {});
    }
    const profile = await running;
    if (loc.datasetName) this.publish(loc.datasetName);
    return { ...profile, file: { ...profile.file, path: display } };
  }

  /**
   * Deletes one version (`version`: its digest or an unambiguous prefix) or, without
   * `version`, the whole dataset: every version, its rules and description. Deleting the last
   * version alone keeps the dataset (and its rules) with no versions.
   *
   * Imported files leave Lathe's store only when no remaining version of any dataset holds the
   * same content; tracked files are never touched (only Lathe's record of them goes). Cached
   * profiles of content nothing else holds, validation reports and file-state entries go with
   * the rows, in one transaction; files are removed after it commits. `dryRun` checks and
   * reports what would go (refusals included) and changes nothing.
   * @returns the versions removed, bytes freed, stored files removed and kept (shared), the
   *   tracked paths left on disk, and any of Lathe's files it could not remove.
   * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown dataset or version),
   *   INVALID_PARAMETER_VALUE (bad name, a version that is not hex, an ambiguous prefix),
   *   RESOURCE_CONFLICT (a run, deleted or not, used a version as an input: the message names up
   *   to three runs and the count, `details.runCount` and `details.runs`; nothing is deleted).
   */
  delete(input: { name: string; version?: string; dryRun?: boolean }): DatasetDeleteResult {
    const name = checkDatasetName(input.name);
    const d = this.store.dataset(name);
    if (!d) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No dataset named '${name}'`, { name });
    const whole = input.version === undefined;
    const rows = whole ? this.store.versions(d.id) : [this.resolve(`${name}@${input.version}`).row];
    const result = deleteDatasetVersions(this.deps.db, this.content, d, rows, { whole, now: this.now(), dryRun: input.dryRun });
    if (!result.dryRun) this.publish(name);
    return result;
  }

  /** The validation rules stored with a dataset. */
  rules(name: string): ValidationRule[] {
    return this.get(name).rules;
  }

  /**
   * Replaces a dataset's validation rules (checked by the API's zod schema).
   * @throws LatheError RESOURCE_DOES_NOT_EXIST for an unknown dataset.
   */
  setRules(name: string, rules: ValidationRule[]): Dataset {
    const d = this.store.dataset(name);
    if (!d) throw new LatheError('RESOURCE_DOES_NOT_EXIST', `No dataset named '${name}'`, { name });
    this.store.setRules(d.id, rules, this.now());
    this.publish(name);
    return this.get(name);
  }
}
