import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { defaultHome } from '../core/config';
import { LATHE_VERSION } from '../core/version';
import { LatheError } from '../../shared/errors';
import { formatTime, runDetail, table, toJson } from './format';
import { serve } from './serve';
import { runCommand, type RunOptions } from './run-command';
import { runningServerClient } from './server-connection';
import { TERMINAL_STATUSES } from '../../shared/api/types';
import { registerGpuCommands } from './gpus-command';
import { registerDatasetCommands } from './datasets-command';
import { registerRunQueryCommands } from './runs-query-commands';
import { registerRunLifecycleCommands } from './runs-lifecycle-commands';
import { collect, positiveNumber } from './option-parsers';
import { withCore } from './with-core';

function parsePort(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0 || n > 65535) throw new InvalidArgumentError('expected a port number 0–65535.');
  return n;
}

const program = new Command('lathe')
  .description('Lathe: run, track and compare machine-learning jobs on a local GPU workstation')
  .version(LATHE_VERSION)
  .addOption(new Option('--home <dir>', 'data directory').env('LATHE_HOME').default(defaultHome(), '$LATHE_HOME or the OS app-data folder'))
  .showHelpAfterError()
  // Usage errors throw instead of exiting, so they get exit status 2 like other bad input.
  .exitOverride();

/** The data directory (--home, $LATHE_HOME or the default), once the arguments are parsed. */
const home = () => program.opts<{ home: string }>().home;

program
  .command('run')
  .description('start a tracked run: in a Docker container (--image) or as a host process (--runtime process); follows its logs and exits with its exit code')
  .argument('<command...>', 'the command to run, after --')
  .option('--image <image>', 'Docker image (local; build one with scripts/build-image.sh)')
  .addOption(new Option('--runtime <runtime>', 'where to run').choices(['docker', 'process']))
  .option('--gpus <gpus>', 'GPUs: a count (2), indexes or UUIDs (0,2), or all')
  .option('--experiment <name>', 'experiment (created if missing; default: Default)')
  .option('--name <name>', 'run name (default: a random one)')
  .option('-p, --param <key=value>', 'a param to log (repeatable)', collect, [])
  .option('-e, --env <KEY=VALUE>', 'an environment variable (repeatable; secrets are masked in records)', collect, [])
  .option('--dir <path>', 'code folder: snapshotted into the run and used as its working directory (default: current folder)')
  .option('--cpus <n>', 'CPU limit (cores)', positiveNumber)
  .option('--memory <MiB>', 'memory limit in MiB', (v) => Math.round(positiveNumber(v)))
  .option('--snapshot-limit-mb <MiB>', 'cap on the code snapshot (default 100)', (v) => Math.round(positiveNumber(v)))
  .option('--priority <n>', 'GPU queue priority: higher is served first (default 0)', (v) => {
    const n = Number(v);
    if (!Number.isInteger(n) || Math.abs(n) > 1000) throw new InvalidArgumentError('expected an integer -1000..1000.');
    return n;
  })
  .option('--dataset <name[@version]>', 'a dataset version to read (repeatable): mounted read-only at /data/NAME, path in $LATHE_DATASET_<NAME>', collect, [])
  .option('--require-valid', "refuse the run unless its datasets pass their validation rules")
  .option('--detach', 'print the run id and return at once (a background server keeps supervising it)')
  .action(async (command: string[], opts: RunOptions, cmd: Command) => {
    const home = cmd.optsWithGlobals<{ home: string }>().home;
    // Exit at once: nothing of a finished `lathe run` should keep the process alive.
    process.exit(await runCommand(home, command, opts));
  });

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
    withCore(home(), (core) => {
      const list = core.tracking.listExperiments();
      if (opts.json) return console.log(toJson(list));
      console.log(table(['id', 'name', 'runs', 'created'], list.map((e) => [e.experimentId, e.name, String(e.runCount), formatTime(e.creationTime)])));
    }),
  );

const runs = program.command('runs').description('list, search, compare and export runs');
// runs ls (MLflow --filter/--order-by), runs compare, runs export: runs-query-commands.ts
registerRunQueryCommands(runs, home);
runs
  .command('show')
  .description("show a run's params, tags and latest metrics")
  .argument('<run_id>')
  .option('--json', 'print JSON (see README, "CLI JSON output")')
  .action((runId: string, opts: { json?: boolean }) =>
    withCore(home(), (core) => {
      const run = core.tracking.getRun(runId);
      const execution = core.executor.getExecution(runId);
      if (opts.json) return console.log(toJson({ ...run, execution }));
      console.log(runDetail(run, core.tracking.getExperiment(run.info.experimentId).name, execution));
    }),
  );

runs
  .command('stop')
  .description('stop a run: SIGTERM, then SIGKILL after its grace period; it ends KILLED')
  .argument('<run_id>')
  .action(async (runId: string) => {
    const client = runningServerClient(home());
    if (client) {
      // The server supervises the run: ask it, so it records the end itself.
      const info = await client.runs.stop({ runId });
      console.log(`${info.runId} ${info.status}`);
      return;
    }
    // No server: signal the container or process group directly and record KILLED.
    await withCore(home(), async (core) => {
      const info = await core.executor.stop(runId);
      console.log(`${info.runId} ${info.status}`);
    });
    process.exit(0);
  });
runs
  .command('logs')
  .description("print a run's log (stdout and stderr)")
  .argument('<run_id>')
  .option('-f, --follow', 'keep printing new output until the run ends')
  .option('--tail <bytes>', 'only the last BYTES of the log', (v) => Math.round(positiveNumber(v)))
  .action(async (runId: string, opts: { follow?: boolean; tail?: number }) => {
    await withCore(home(), async (core) => {
      core.tracking.getRunInfo(runId);
      const offset = opts.tail ? -opts.tail : 0;
      const ended = () => TERMINAL_STATUSES.includes(core.tracking.getRunInfo(runId).status);
      const controller = new AbortController();
      process.once('SIGINT', () => controller.abort());
      if (!opts.follow) {
        for (let chunk = core.logs.read(runId, offset); chunk.text; chunk = core.logs.read(runId, chunk.offset + Buffer.byteLength(chunk.text))) {
          process.stdout.write(chunk.text);
        }
        return;
      }
      for await (const chunk of core.logs.follow(runId, offset, ended, controller.signal)) process.stdout.write(chunk.text);
    });
  });

// runs delete, restore, purge: runs-lifecycle-commands.ts
registerRunLifecycleCommands(runs, home);
registerGpuCommands(program, home);
registerDatasetCommands(program, home);

program.parseAsync(process.argv).catch((err: unknown) => {
  if (err instanceof CommanderError) {
    // Commander already printed its message (or the help / version text).
    process.exit(err.exitCode === 0 ? 0 : 2);
  }
  // Errors from a server arrive as oRPC errors carrying Lathe's code and status.
  const e = err as { code?: unknown; status?: unknown; message?: unknown };
  const code = typeof e.code === 'string' && !e.code.startsWith('commander.') ? e.code : undefined;
  const status = typeof e.status === 'number' ? e.status : err instanceof LatheError ? err.status : 500;
  const message = err instanceof Error ? err.message : String(err);
  console.error(`lathe: ${message}${code && code !== 'ERR_INVALID_ARG_VALUE' ? ` (${code})` : ''}`);
  process.exit(status < 500 ? 2 : 1);
});
