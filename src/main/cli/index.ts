import { Command, InvalidArgumentError, Option } from 'commander';
import { createCore, type Core } from '../core/create-core';
import { defaultHome } from '../core/config';
import { LATHE_VERSION } from '../core/version';
import { LatheError } from '../../shared/errors';
import { formatDuration, formatTime, metricsSummary, runDetail, table, toJson } from './format';
import { serve } from './serve';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0–65535.');
  return n;
}

const program = new Command('lathe')
  .description('Lathe: run, track and compare machine-learning jobs on a local GPU workstation')
  .version(LATHE_VERSION)
  .addOption(new Option('--home <dir>', 'data directory').env('LATHE_HOME').default(defaultHome(), '$LATHE_HOME or the OS app-data folder'))
  .showHelpAfterError();

function withCore<T>(fn: (core: Core) => T): T {
  const core = createCore({ home: program.opts<{ home: string }>().home });
  try {
    return fn(core);
  } finally {
    core.dispose();
  }
}

program
  .command('serve')
  .description('serve the UI and API over HTTP (browser mode); prints the URL with the access token')
  .option('--host <host>', 'address to bind (loopback unless you mean otherwise)', '127.0.0.1')
  .option('--port <port>', 'port (0 picks a free one)', parsePort, 7860)
  .option('--allow-host <name...>', 'extra host names accepted in Host/Origin headers')
  .action(async (opts: { host: string; port: number; allowHost?: string[] }, cmd: Command) => {
    const home = cmd.optsWithGlobals<{ home: string }>().home;
    await serve({ home, host: opts.host, port: opts.port, allowHost: opts.allowHost });
  });

const experiments = program.command('experiments').description('list and inspect experiments');
experiments
  .command('ls')
  .description('list experiments')
  .option('--json', 'print JSON (see README, "CLI JSON output")')
  .action((opts: { json?: boolean }) =>
    withCore((core) => {
      const list = core.tracking.listExperiments();
      if (opts.json) return console.log(toJson(list));
      console.log(table(['id', 'name', 'runs', 'created'], list.map((e) => [e.experimentId, e.name, String(e.runCount), formatTime(e.creationTime)])));
    }),
  );

const runs = program.command('runs').description('list and inspect runs');
runs
  .command('ls')
  .description('list runs, newest first')
  .option('--experiment <name>', 'only runs of this experiment')
  .option('--limit <n>', 'at most this many runs', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || n < 1 || n > 1000) throw new InvalidArgumentError('expected an integer 1–1000.');
    return n;
  }, 100)
  .option('--json', 'print JSON (see README, "CLI JSON output")')
  .action((opts: { experiment?: string; limit: number; json?: boolean }) =>
    withCore((core) => {
      const experimentId = opts.experiment !== undefined ? core.tracking.getExperimentByName(opts.experiment).experimentId : undefined;
      const page = core.tracking.listRuns({ experimentId, limit: opts.limit });
      if (opts.json) return console.log(toJson(page));
      const names = new Map(core.tracking.listExperiments(true).map((e) => [e.experimentId, e.name]));
      console.log(
        table(
          ['run id', 'name', 'experiment', 'status', 'started', 'duration', 'metrics'],
          page.runs.map((r) => [r.info.runId, r.info.name, names.get(r.info.experimentId) ?? r.info.experimentId, r.info.status, formatTime(r.info.startTime), formatDuration(r.info.startTime, r.info.endTime), metricsSummary(r.metrics)]),
        ),
      );
      if (page.total > page.runs.length) console.log(`(${page.runs.length} of ${page.total} runs; --limit to see more)`);
    }),
  );
runs
  .command('show')
  .description("show a run's params, tags and latest metrics")
  .argument('<run_id>')
  .option('--json', 'print JSON (see README, "CLI JSON output")')
  .action((runId: string, opts: { json?: boolean }) =>
    withCore((core) => {
      const run = core.tracking.getRun(runId);
      if (opts.json) return console.log(toJson(run));
      console.log(runDetail(run, core.tracking.getExperiment(run.info.experimentId).name));
    }),
  );

program.parseAsync(process.argv).catch((err: unknown) => {
  const message = err instanceof LatheError ? `${err.message} (${err.code})` : err instanceof Error ? err.message : String(err);
  console.error(`lathe: ${message}`);
  process.exit(err instanceof LatheError && err.status < 500 ? 2 : 1);
});
