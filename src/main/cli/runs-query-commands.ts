import { InvalidArgumentError, Option, type Command } from 'commander';
import type { Run } from '../../shared/api/types';
import type { ViewType } from '../../shared/api/search-types';
import { LatheError } from '../../shared/errors';
import { formatDuration, formatMetric, formatTime, metricsSummary, table, toJson } from './format';
import { collect } from './option-parsers';
import { withCore } from './with-core';

/**
 * `lathe runs ls` (MLflow filter and order_by), `lathe runs compare` and `lathe runs export`
 * (README, "Searching and comparing runs"). They read the store directly, like the other
 * read-only commands.
 */

/** `metrics.val_loss`, `params.lr`, `tags.owner` → how to read that column from a run. */
function parseColumn(spec: string): { title: string; get: (r: Run) => string } {
  const m = /^(metrics?|params?|tags?)\.(.+)$/.exec(spec.trim());
  if (!m) throw new InvalidArgumentError(`columns are metrics.<key>, params.<key> or tags.<key>, got '${spec}'.`);
  const key = m[2]!.replace(/^`(.*)`$/, '$1');
  if (m[1]!.startsWith('metric')) return { title: key, get: (r) => { const p = r.metrics.find((x) => x.key === key); return p ? formatMetric(p.value) : ''; } };
  if (m[1]!.startsWith('param')) return { title: key, get: (r) => r.params[key] ?? '' };
  return { title: key, get: (r) => r.tags[key] ?? '' };
}

/** One CSV field (RFC 4180): quoted when it holds a comma, quote or line break. */
export function csvField(v: string): string {
  return /[",\r\n]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v;
}

/** A metric value as text that reads back to the same double: NaN, Infinity, -Infinity, shortest round-trip digits. */
export function csvNumber(v: number): string {
  return String(v);
}

/** Writes text to stdout, waiting when the pipe is full (1,000,000-line exports). */
function write(text: string): Promise<void> {
  return new Promise((resolve) => (process.stdout.write(text) ? resolve() : process.stdout.once('drain', resolve)));
}

/**
 * Rows of `lathe runs compare`: each key with one value per run (`null` where a run lacks it).
 * Params are kept when their values differ (all of them with `all`); metrics always.
 */
export function compareRows(runs: Run[], all = false): { params: Array<{ key: string; values: Array<string | null> }>; metrics: Array<{ key: string; values: Array<number | null> }> } {
  const paramKeys = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
  const metricKeys = [...new Set(runs.flatMap((r) => r.metrics.map((m) => m.key)))].sort();
  const params = paramKeys
    .map((key) => ({ key, values: runs.map((r) => r.params[key] ?? null) }))
    .filter((row) => all || new Set(row.values).size > 1);
  const metrics = metricKeys.map((key) => ({ key, values: runs.map((r) => r.metrics.find((m) => m.key === key)?.value ?? null) }));
  return { params, metrics };
}

/** Registers `ls`, `compare` and `export` under `lathe runs`. `home` gives the data directory. */
export function registerRunQueryCommands(runs: Command, home: () => string): void {
  runs
    .command('ls')
    .description("list runs, newest first; --filter and --order-by take MLflow's search syntax")
    .option('--experiment <name>', 'only runs of this experiment (repeatable)', collect, [])
    .option('-f, --filter <filter>', `MLflow filter, e.g. "metrics.val_loss < 0.5 AND params.lr = '0.01'"`)
    .option('-o, --order-by <item>', 'MLflow order_by item, e.g. "metrics.val_loss ASC" (repeatable)', collect, [])
    .option('-c, --columns <list>', 'extra table columns, e.g. metrics.val_loss,params.lr')
    .addOption(new Option('--view <type>', 'lifecycle stage').choices(['active', 'deleted', 'all']).default('active'))
    .option('--limit <n>', 'at most this many runs', (v) => {
      const n = Number(v);
      if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected an integer 1–1000.');
      return n;
    }, 100)
    .option('--json', 'print JSON (see README, "CLI JSON output")')
    .action((opts: { experiment: string[]; filter?: string; orderBy: string[]; columns?: string; view: string; limit: number; json?: boolean }) =>
      withCore(home(), (core) => {
        const experimentIds = opts.experiment.length ? opts.experiment.map((name) => core.tracking.getExperimentByName(name).experimentId) : undefined;
        const viewType = ({ active: 'ACTIVE_ONLY', deleted: 'DELETED_ONLY', all: 'ALL' } as Record<string, ViewType>)[opts.view];
        const columns = (opts.columns ?? '').split(',').filter((c) => c.trim()).map(parseColumn);
        const page = core.search.runs.search({ experimentIds, filter: opts.filter, orderBy: opts.orderBy, viewType, maxResults: opts.limit, withTotal: true });
        if (opts.json) return console.log(toJson({ runs: page.runs, total: page.total }));
        const names = new Map(core.tracking.listExperiments(true).map((e) => [e.experimentId, e.name]));
        console.log(
          table(
            ['run id', 'name', 'experiment', 'status', 'started', 'duration', ...(columns.length ? columns.map((c) => c.title) : ['metrics'])],
            page.runs.map((r) => [
              r.info.runId,
              r.info.name,
              names.get(r.info.experimentId) ?? r.info.experimentId,
              r.info.status,
              formatTime(r.info.startTime),
              formatDuration(r.info.startTime, r.info.endTime),
              ...(columns.length ? columns.map((c) => c.get(r)) : [metricsSummary(r.metrics)]),
            ]),
          ),
        );
        if ((page.total ?? 0) > page.runs.length) console.log(`(${page.runs.length} of ${page.total} runs; --limit to see more)`);
      }),
    );

  runs
    .command('compare')
    .description('compare runs side by side: the params that differ and every latest metric')
    .argument('<run_ids...>', 'two or more run ids')
    .option('--all', 'show params that are equal too')
    .option('--json', 'print JSON: {runs, params: [{key, values}], metrics: [{key, values}]} (null where a run lacks the key)')
    .action((runIds: string[], opts: { all?: boolean; json?: boolean }) =>
      withCore(home(), (core) => {
        if (runIds.length < 2) throw new LatheError('INVALID_PARAMETER_VALUE', 'compare needs at least two run ids');
        const list = runIds.map((id) => core.tracking.getRun(id));
        const rows = compareRows(list, opts.all);
        if (opts.json) {
          return console.log(toJson({ runs: list.map((r) => ({ runId: r.info.runId, name: r.info.name, status: r.info.status })), ...rows }));
        }
        const head = ['', ...list.map((r) => `${r.info.name} (${r.info.runId.slice(0, 8)})`)];
        const out = [
          ['status', ...list.map((r) => r.info.status)],
          ['duration', ...list.map((r) => formatDuration(r.info.startTime, r.info.endTime))],
          ...rows.params.map((p) => [`params.${p.key}`, ...p.values.map((v) => v ?? '—')]),
          ...rows.metrics.map((m) => [`metrics.${m.key}`, ...m.values.map((v) => (v === null ? '—' : formatMetric(v)))]),
        ];
        console.log(table(head, out));
        const same = compareRows(list, true).params.length - rows.params.length;
        if (!opts.all && same > 0) console.log(`(${same} param${same === 1 ? '' : 's'} with equal values not shown; --all to show them)`);
      }),
    );

  runs
    .command('export')
    .description("write a run's full metric history as CSV: run_id,key,step,timestamp,value")
    .argument('<run_id>')
    .option('--metrics', 'export the metric history (required; the only export so far)')
    .option('-k, --key <key>', 'only this metric key (repeatable)', collect, [])
    .action(async (runId: string, opts: { metrics?: boolean; key: string[] }) => {
      if (!opts.metrics) throw new LatheError('INVALID_PARAMETER_VALUE', 'say what to export: --metrics');
      await withCore(home(), async (core) => {
        const rows = core.search.history.exportRows(runId, opts.key.length ? opts.key : undefined);
        let chunk = 'run_id,key,step,timestamp,value\n';
        for (const [key, step, timestamp, value] of rows) {
          chunk += `${runId},${csvField(key)},${step},${timestamp},${csvNumber(value)}\n`;
          if (chunk.length > 1 << 16) {
            await write(chunk);
            chunk = '';
          }
        }
        await write(chunk);
      });
    });
}
