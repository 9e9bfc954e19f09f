import type { Command } from 'commander';
import type { LatheClient } from '../../shared/api/http-client';
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
export function registerRunLifecycleCommands(runs: Command, home: () => string): void {
  runs
    .command('delete')
    .description('move runs to the Deleted view (restorable); MLflow runs/delete')
    .argument('<run_ids...>')
    .action((runIds: string[]) =>
      withApi(home(), async (api) => {
        const { runIds: done } = await api.runs.delete({ runIds });
        console.log(`Deleted ${plural(done.length)}; restore with: lathe runs restore ${done.join(' ')}`);
      }),
    );

  runs
    .command('restore')
    .description('bring deleted runs back; MLflow runs/restore')
    .argument('<run_ids...>')
    .action((runIds: string[]) =>
      withApi(home(), async (api) => {
        const { runIds: done } = await api.runs.restore({ runIds });
        console.log(`Restored ${plural(done.length)}`);
      }),
    );

  runs
    .command('purge')
    .description('delete deleted runs permanently (metrics, params, artifacts, logs, code snapshots) and reclaim the disk space')
    .argument('[run_ids...]', 'runs already deleted (lathe runs delete)')
    .option('--all-deleted', 'every run in the Deleted view')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .action((ids: string[], opts: { allDeleted?: boolean; yes?: boolean }) =>
      withApi(home(), async (api) => {
        if (ids.length > 0 && opts.allDeleted) throw new LatheError('INVALID_PARAMETER_VALUE', 'give run ids or --all-deleted, not both');
        const runIds = opts.allDeleted ? await allDeletedRunIds(api) : ids;
        if (!opts.allDeleted && runIds.length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', 'give the ids of deleted runs, or --all-deleted');
        if (runIds.length === 0) {
          console.log('No deleted runs: nothing to purge');
          return;
        }
        // Checked before asking: a yes should not end in "not deleted".
        if (!opts.allDeleted) await requireDeleted(api, runIds);
        if (!opts.yes && !(await confirm(`Delete ${plural(runIds.length)} permanently? This cannot be undone. [y/N] `))) {
          console.error('lathe: nothing deleted');
          process.exitCode = 1;
          return;
        }
        const r = await api.runs.purge({ runIds });
        const freed = Math.max(0, r.dbBytesBefore - r.dbBytesAfter) + r.fileBytes;
        console.log(
          `Deleted ${plural(r.purged.length)} permanently; freed ${formatBytes(freed)} (files ${formatBytes(r.fileBytes)}, database ${formatBytes(r.dbBytesBefore)} → ${formatBytes(r.dbBytesAfter)})`,
        );
      }),
    );
}

function plural(n: number): string {
  return `${n} run${n === 1 ? '' : 's'}`;
}

/**
 * @throws LatheError RESOURCE_DOES_NOT_EXIST (unknown run), INVALID_PARAMETER_VALUE (a run
 *   still active: purge takes deleted runs only, as the UI's Deleted view does).
 */
async function requireDeleted(api: LatheClient, runIds: string[]): Promise<void> {
  for (const runId of runIds) {
    const run = await api.runs.get({ runId });
    if (run.info.lifecycleStage !== 'deleted') {
      throw new LatheError('INVALID_PARAMETER_VALUE', `run ${runId} is not deleted; delete it first (lathe runs delete ${runId}), then purge it`);
    }
  }
}

/** The ids of every deleted run, page by page (the search caps a page at 50,000). */
async function allDeletedRunIds(api: LatheClient): Promise<string[]> {
  const ids: string[] = [];
  let pageToken: string | undefined;
  do {
    const page = await api.runs.search({ viewType: 'DELETED_ONLY', limit: 50_000, pageToken, columns: { params: [], metrics: [], tags: [] } });
    ids.push(...page.runs.map((r) => r.info.runId));
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  return ids;
}
