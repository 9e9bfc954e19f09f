import { execFile } from 'node:child_process';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface GitInfo {
  commit: string;
  branch: string | null;
  repoUrl: string | null;
  dirty: boolean;
  /** `git diff HEAD -- .` in the code folder (tracked changes, staged or not); empty when clean. */
  diff: string;
}

async function git(dir: string, args: string[]): Promise<string | null> {
  try {
    const { stdout } = await exec('git', ['-C', dir, ...args], { maxBuffer: 64 * 1024 * 1024 });
    return stdout;
  } catch {
    return null;
  }
}

/** Commit, branch, remote and dirty diff of the git work tree at `dir`; null when it is not one (or git is missing). */
export async function readGitInfo(dir: string): Promise<GitInfo | null> {
  const commit = (await git(dir, ['rev-parse', 'HEAD']))?.trim();
  if (!commit) return null;
  const branch = (await git(dir, ['rev-parse', '--abbrev-ref', 'HEAD']))?.trim() ?? null;
  const repoUrl = (await git(dir, ['config', '--get', 'remote.origin.url']))?.trim() || null;
  const status = (await git(dir, ['status', '--porcelain', '--', '.']))?.trim() ?? '';
  // Scoped to the code folder: a repository's other changes (lock files, …) are not this run's.
  const diff = (await git(dir, ['diff', 'HEAD', '--', '.'])) ?? '';
  return { commit, branch: branch === 'HEAD' ? null : branch, repoUrl, dirty: status.length > 0, diff };
}

/**
 * MLflow's standard source tags for a git checkout (mlflow/utils/mlflow_tags.py):
 * `mlflow.source.git.commit`, `mlflow.source.git.branch`, `mlflow.source.git.repoURL`, plus
 * Lathe's `lathe.git.dirty`.
 */
export function gitTags(info: GitInfo): Record<string, string> {
  const tags: Record<string, string> = { 'mlflow.source.git.commit': info.commit, 'lathe.git.dirty': String(info.dirty) };
  if (info.branch) tags['mlflow.source.git.branch'] = info.branch;
  if (info.repoUrl) tags['mlflow.source.git.repoURL'] = info.repoUrl;
  return tags;
}
