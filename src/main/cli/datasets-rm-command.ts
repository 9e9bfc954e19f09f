import type { Command } from 'commander';
import { formatBytes } from '../../shared/format-bytes';
import { deleteConsequences, deletedTarget } from '../../shared/dataset-delete-summary';
import { parseDatasetRef } from '../core/datasets/dataset-refs';
import { confirm } from './confirm';
import { toJson } from './format';
import { withApi } from './with-api';

/**
 * `lathe datasets rm NAME[@VERSION] [-y]`: the dataset page's Delete. Like `runs purge` it goes
 * through the running server when there is one (its UI updates at once). Unless --yes, a dry
 * run comes first, so a refusal (runs used the version) comes before the question and the
 * question says what goes from disk.
 */
export function registerDatasetRm(datasets: Command, home: () => string): void {
  datasets
    .command('rm')
    .description("delete a version (NAME@VERSION) or a whole dataset (NAME: every version and its rules); refused while runs used it; tracked files stay on disk")
    .argument('<name[@version]>')
    .option('-y, --yes', 'do not ask for confirmation (needed when stdin is not a terminal)')
    .option('--json', 'print what was removed as JSON')
    .action((ref: string, opts: { yes?: boolean; json?: boolean }) =>
      withApi(home(), async (api) => {
        const { name, version } = parseDatasetRef(ref);
        const input = { name, ...(version !== null ? { version } : {}) };
        if (!opts.yes) {
          const plan = await api.datasets.delete({ ...input, dryRun: true });
          const effects = deleteConsequences(plan).map((l) => `\n  ${l}`).join('');
          if (!(await confirm(`Delete ${deletedTarget(plan)}${plan.datasetDeleted ? ' (its rules too)' : ''}?${effects}\nThis cannot be undone. [y/N] `))) {
            console.error('lathe: nothing deleted');
            process.exitCode = 1;
            return;
          }
        }
        const r = await api.datasets.delete(input);
        if (opts.json) return console.log(toJson(r));
        console.log(`Deleted ${deletedTarget(r)}; freed ${formatBytes(r.freedBytes)}`);
        for (const v of r.versions) console.log(`  ${v.digest.slice(0, 12)}  ${v.mode === 'track' ? 'tracked' : 'imported'}, ${v.fileCount} file${v.fileCount === 1 ? '' : 's'}, ${formatBytes(v.sizeBytes)}`);
        for (const l of deleteConsequences(r, { removed: false })) console.log(l);
        for (const p of r.leftOnDisk) console.error(`lathe: could not remove ${p} (an orphan now; safe to delete)`);
      }),
    );
}
