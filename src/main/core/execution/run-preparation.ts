import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunSpec } from '../../../shared/api/run-spec';
import { LATHE_VERSION } from '../version';
import { maskEnv, shellJoin } from './env';
import { gitTags, readGitInfo } from './git-info';
import { snapshotDirectory, type SnapshotResult } from './snapshot';

export interface PreparedSource {
  /** Snapshot in a temporary folder, moved under the run once it exists. */
  snapshot: SnapshotResult | null;
  gitDiff: string;
  /** Tags recording where the code came from and how it ran. */
  tags: Record<string, string>;
}

/**
 * Snapshots the code folder and gathers the reproducibility tags: MLflow's source tags
 * (`mlflow.source.name`, `mlflow.source.type`, `mlflow.source.git.*`, `mlflow.user`) and
 * Lathe's (`lathe.runtime`, `lathe.image`, `lathe.command`, `lathe.env` with secrets masked,
 * `lathe.version`). Done before the run is created, so a refused snapshot creates no run.
 * @throws LatheError INVALID_PARAMETER_VALUE when the folder is missing or over the size limit.
 */
export async function prepareSource(spec: RunSpec, runtime: 'docker' | 'process', workdir: string, tmpRoot: string, limitBytes?: number): Promise<PreparedSource> {
  const git = await readGitInfo(workdir);
  fs.mkdirSync(tmpRoot, { recursive: true });
  const tmp = fs.mkdtempSync(path.join(tmpRoot, 'snapshot-'));
  let snapshot: SnapshotResult;
  try {
    snapshot = await snapshotDirectory(workdir, path.join(tmp, 'files'), limitBytes);
  } catch (err) {
    fs.rmSync(tmp, { recursive: true, force: true });
    throw err;
  }
  const tags: Record<string, string> = {
    'mlflow.source.name': shellJoin(spec.command),
    'mlflow.source.type': 'LOCAL',
    'mlflow.user': safeUser(),
    'lathe.runtime': runtime,
    'lathe.command': shellJoin(spec.command),
    'lathe.workdir': workdir,
    'lathe.version': LATHE_VERSION,
    'lathe.snapshot.files': String(snapshot.files),
    'lathe.snapshot.bytes': String(snapshot.bytes),
  };
  if (Object.keys(spec.env).length) tags['lathe.env'] = JSON.stringify(maskEnv(spec.env));
  if (spec.image) tags['lathe.image'] = spec.image;
  if (spec.gpus !== undefined) tags['lathe.gpus'] = Array.isArray(spec.gpus) ? spec.gpus.join(',') : String(spec.gpus);
  if (git) Object.assign(tags, gitTags(git));
  return { snapshot, gitDiff: git?.diff ?? '', tags };
}

function safeUser(): string {
  try {
    return os.userInfo().username;
  } catch {
    return process.env.USER ?? '';
  }
}
