import type { Command } from 'commander';
import type { LatheClient } from '../../shared/api/http-client';
import type { RunInfo } from '../../shared/api/types';
import { LatheError } from '../../shared/errors';
import { formatBytes } from '../../shared/format-bytes';
import { confirm } from './confirm';
import { withApi } from './with-api';

/**
 * `lathe runs delete|restore|purge`: the runs table's Delete, Restore and Delete permanently,
 * for people on a workstation reached over SSH. They go through the running `lathe serve` of
 * the data directory when there is one (its UI updates at once), else straight to the store
 * through the same API procedures, so checks and errors are the same either way.
 */
/** The most run ids one API call takes (the contract's limit). */
const BATCH = 10_000;
/** Runs looked up at once before a purge. */
const LOOKUPS_AT_ONCE = 50;
/** Statuses of runs that may still be executing (purge refuses those while they do). */
const LIVE = new Set(['RUNNING', 'SCHEDULED', 'QUEUED']);

export function registerRunLifecycleCommands(runs: Command, home: () => string): void {
  runs
    .command('delete')
    .description('move runs to the Deleted view (restorable); MLflow runs/delete')
    .argument('<run_ids...>')
    .action((ids: string[]) =>
      withApi(home(), async (api) => {
        const runIds = unique(ids);
        // Every id is checked by the first call of its batch; one unknown id changes nothing in that batch.
        for (const batch of batches(runIds)) await api.runs.delete({ runIds: batch });
        const hint = runIds.length <= 5 ? `lathe runs restore ${runIds.join(' ')}` : 'lathe runs restore RUN_ID…, or from the Deleted view';
        console.log(`Deleted ${plural(runIds.length)}; restore with: ${hint}`);
      }),
    );

  runs
    .command('restore')
    .description('bring deleted runs back; MLflow runs/restore')
    .argument('<run_ids...>')
    .action((ids: string[]) =>
      withApi(home(), async (api) => {
        const runIds = unique(ids);
        for (const batch of batches(runIds)) await api.runs.restore({ runIds: batch });
        console.log(`Restored ${plural(runIds.length)}`);
      }),
    );

  runs
    .command('purge')
    .description('delete deleted runs permanently (metrics, params, artifacts, logs, code snapshots) and reclaim the disk space')
    .argument('[run_ids...]', 'runs already deleted (lathe runs delete)')
    .option('--all-deleted', 'every run in the Deleted view (runs still executing are skipped)')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .action((ids: string[], opts: { allDeleted?: boolean; yes?: boolean }) =>
      withApi(home(), async (api) => {
        if (ids.length > 0 && opts.allDeleted) throw new LatheError('INVALID_PARAMETER_VALUE', 'give run ids or --all-deleted, not both');
        if (!opts.allDeleted && ids.length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', 'give the ids of deleted runs, or --all-deleted');
        // Checked before asking: a yes should not end in "not deleted" or "still running".
        const { purgeable, executing } = opts.allDeleted ? await splitExecuting(api, await allDeletedRuns(api)) : await checkPurgeable(api, unique(ids));
        if (executing.length) console.error(`lathe: skipping ${plural(executing.length)} still executing (stop them first): ${executing.slice(0, 5).join(' ')}${executing.length > 5 ? ' …' : ''}`);
        if (purgeable.length === 0) {
          console.log('No deleted runs: nothing to purge');
          return;
        }
        if (!opts.yes && !(await confirm(`Delete ${plural(purgeable.length)} permanently? This cannot be undone. [y/N] `))) {
          console.error('lathe: nothing deleted');
          process.exitCode = 1;
          return;
        }
        const total = { purged: 0, fileBytes: 0, dbBytesBefore: 0, dbBytesAfter: 0 };
        for (const [i, batch] of batches(purgeable).entries()) {
          const r = await api.runs.purge({ runIds: batch });
          total.purged += r.purged.length;
          total.fileBytes += r.fileBytes;
          if (i === 0) total.dbBytesBefore = r.dbBytesBefore;
          total.dbBytesAfter = r.dbBytesAfter;
        }
        const freed = Math.max(0, total.dbBytesBefore - total.dbBytesAfter) + total.fileBytes;
        console.log(
          `Deleted ${plural(total.purged)} permanently; freed ${formatBytes(freed)} (files ${formatBytes(total.fileBytes)}, database ${formatBytes(total.dbBytesBefore)} → ${formatBytes(total.dbBytesAfter)})`,
        );
      }),
    );
}

function plural(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}

function unique(ids: string[]): string[] {
  return [...new Set(ids)];
}

function batches(ids: string[]): string[][] {
  const out: string[][] = [];
  for (let i = 0; i < ids.length; i += BATCH) out.push(ids.slice(i, i + BATCH));
  return out;
}

/** Whether a run with this status has an execution that has not finished (purge refuses those). */
async function isExecuting(api: LatheClient, run: Pick<RunInfo, 'runId' | 'status'>): Promise<boolean> {
  // Runs logged from outside with a stale RUNNING status have no execution: purgeable.
  return LIVE.has(run.status) && (await api.runs.execution({ runId: run.runId }))?.finishedAt === null;
}

/** Deleted runs split into those purge can take and those still executing (skipped). */
async function splitExecuting(api: LatheClient, deleted: RunInfo[]): Promise<{ purgeable: string[]; executing: string[] }> {
  const purgeable: string[] = [];
  const executing: string[] = [];
  for (const run of deleted) ((await isExecuting(api, run)) ? executing : purgeable).push(run.runId);
  return { purgeable, executing };
}

/**
 * Checks the runs the user named, a few at a time, before anything is asked or removed.
 * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), RESOURCE_CONFLICT (a run not
 *   deleted first, or still executing).
 */
async function checkPurgeable(api: LatheClient, runIds: string[]): Promise<{ purgeable: string[]; executing: string[] }> {
  for (let i = 0; i < runIds.length; i += LOOKUPS_AT_ONCE) {
    const infos = await Promise.all(runIds.slice(i, i + LOOKUPS_AT_ONCE).map(async (runId) => (await api.runs.get({ runId })).info));
    for (const run of infos) {
      if (run.lifecycleStage !== 'deleted') throw new LatheError('RESOURCE_CONFLICT', `run ${run.runId} is not deleted; delete it first (lathe runs delete ${run.runId}), then purge it`);
      if (await isExecuting(api, run)) throw new LatheError('RESOURCE_CONFLICT', `run ${run.runId} is still ${run.status.toLowerCase()}: stop it first (lathe runs stop ${run.runId})`);
    }
  }
  return { purgeable: runIds, executing: [] };
}

/** Every deleted run, page by page (the search caps a page at 50,000). */
async function allDeletedRuns(api: LatheClient): Promise<RunInfo[]> {
  const runs: RunInfo[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.runs.search({ viewType: 'DELETED_ONLY', limit: 50_000, pageToken, columns: { params: [], metrics: [], tags: [] } });
    runs.push(...page.runs.map((r) => r.info));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return runs;
}
