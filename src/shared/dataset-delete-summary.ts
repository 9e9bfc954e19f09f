import type { DatasetDeleteResult } from './api/dataset-types';
import { formatBytes } from './format-bytes';

function files(n: number): string {
  return `${n} file${n === 1 ? '' : 's'}`;
}

/**
 * What deleting does to the disk, one clause each, from a dry run (said before the user
 * confirms) or the result: the CLI prints them as lines, the UI as a sentence. `removed: false`
 * leaves out the clause on removed files (when the bytes freed are said already).
 */
export function deleteConsequences(r: DatasetDeleteResult, opts: { removed?: boolean } = {}): string[] {
  const out: string[] = [];
  if (r.removedFiles && opts.removed !== false) out.push(`${r.dryRun ? 'removes' : 'removed'} ${files(r.removedFiles)} (${formatBytes(r.freedBytes)}) from Lathe's store`);
  if (r.sharedFiles) out.push(`${files(r.sharedFiles)} that other versions also hold stay${r.sharedFiles === 1 ? 's' : ''} in Lathe's store`);
  for (const p of r.trackedPaths) out.push(`the tracked data at ${p} stays on disk`);
  return out;
}

/** `NAME@DIGEST12`, or `dataset 'NAME' and its N versions`. */
export function deletedTarget(r: DatasetDeleteResult): string {
  if (!r.datasetDeleted) return `${r.name}@${r.versions[0]!.digest.slice(0, 12)}`;
  return `dataset '${r.name}' and its ${r.versions.length} version${r.versions.length === 1 ? '' : 's'}`;
}
