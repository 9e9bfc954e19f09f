import path from 'node:path';
import { LatheError } from '../../shared/errors';
import type { RunSpecInput } from '../../shared/api/run-spec';
import type { RunInfo } from '../../shared/api/types';
import { connectServer } from './server-connection';
import { formatDuration } from './format';

export interface RunOptions {
  image?: string;
  runtime?: 'docker' | 'process';
  gpus?: string;
  experiment?: string;
  name?: string;
  param: string[];
  env: string[];
  dir?: string;
  detach?: boolean;
  cpus?: number;
  memory?: number;
  priority?: number;
  snapshotLimitMb?: number;
  /** --dataset NAME[@VERSION], repeatable. */
  dataset?: string[];
  requireValid?: boolean;
}

/** Parses `key=value` (for -p and -e). @throws LatheError INVALID_PARAMETER_VALUE naming the bad pair. */
export function parsePair(kind: string, raw: string): [string, string] {
  const i = raw.indexOf('=');
  if (i <= 0) throw new LatheError('INVALID_PARAMETER_VALUE', `${kind} '${raw}' must look like KEY=VALUE`);
  return [raw.slice(0, i), raw.slice(i + 1)];
}

/**
 * `--gpus N` (a count, as `docker run --gpus N`), `--gpus device=2` or `--gpus device=0,2`
 * (specific devices, Docker's form), `--gpus 0,2` (a list is always devices),
 * `--gpus GPU-…`/`MIG-…`, `--gpus all`.
 */
export function parseGpus(raw: string): RunSpecInput['gpus'] {
  if (raw === 'all') return 'all';
  if (raw.startsWith('device=')) raw = `${raw.slice('device='.length)},`;
  if (/^\d+$/.test(raw) && !raw.includes(',')) return Number(raw);
  const ids = raw.split(',').map((s) => s.trim()).filter(Boolean);
  if (ids.length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', `--gpus '${raw}': give a count (2), ids (0,2 or GPU-…) or all`);
  return ids;
}

/** Exit status of `lathe run` for a finished run: the run's own exit code where there is one. */
export function exitStatusFor(info: RunInfo, exitCode: number | null): number {
  if (info.status === 'FINISHED') return 0;
  if (info.status === 'KILLED') return 130;
  return exitCode && exitCode > 0 ? exitCode : 1;
}

/**
 * `lathe run … -- CMD ARGS…`: starts a tracked run and, unless --detach, follows its logs and
 * exits with the run's exit code. Ctrl-C stops the run (a second Ctrl-C detaches).
 */
export async function runCommand(home: string, command: string[], opts: RunOptions): Promise<number> {
  if (command.length === 0) throw new LatheError('INVALID_PARAMETER_VALUE', 'give the command to run after --, e.g. lathe run --image IMG -- python3 train.py');
  const spec: RunSpecInput = {
    command,
    runtime: opts.runtime,
    image: opts.image,
    experimentName: opts.experiment,
    name: opts.name,
    workdir: path.resolve(opts.dir ?? process.cwd()),
    params: Object.fromEntries(opts.param.map((p) => parsePair('param', p))),
    env: Object.fromEntries(opts.env.map((e) => parsePair('env', e))),
    gpus: opts.gpus !== undefined ? parseGpus(opts.gpus) : undefined,
    cpus: opts.cpus,
    memoryMb: opts.memory,
    priority: opts.priority,
    snapshotLimitMb: opts.snapshotLimitMb,
    datasets: opts.dataset?.length ? opts.dataset : undefined,
    requireValid: opts.requireValid,
  };
  const conn = await connectServer(home, Boolean(opts.detach));
  try {
    const started = await conn.client.runs.start(spec);
    // The token travels in the link: a new browser tab has none of its own.
    const link = `${conn.url}?token=${conn.token}#/runs/${started.runId}`;
    console.error(`lathe: run ${started.runId} (${started.name}) ${started.status === 'FAILED' ? 'failed to start' : started.status === 'QUEUED' ? 'queued: waiting for GPUs (lathe queue)' : 'started'}`);
    if (conn.mode !== 'embedded') console.error(`lathe: follow it in the UI: ${link}`);
    if (opts.detach && started.status !== 'FAILED') {
      console.log(started.runId);
      return 0;
    }
    let stopping = false;
    const controller = new AbortController();
    const onSigint = () => {
      if (!stopping) {
        stopping = true;
        console.error(`\nlathe: stopping run ${started.runId} (SIGTERM, then SIGKILL after the grace period; Ctrl-C again to detach)`);
        void conn.client.runs.stop({ runId: started.runId }).catch(() => {});
      } else {
        controller.abort();
      }
    };
    process.on('SIGINT', onSigint);
    try {
      const stream = await conn.client.runs.logs({ runId: started.runId, offset: 0, follow: true }, { signal: controller.signal });
      for await (const chunk of stream) process.stdout.write(chunk.text);
    } catch (err) {
      if (!controller.signal.aborted) throw err;
      console.error(`lathe: detached; run ${started.runId} goes on`);
      return 0;
    } finally {
      process.off('SIGINT', onSigint);
    }
    const info = await conn.client.runs.get({ runId: started.runId });
    const exec = await conn.client.runs.execution({ runId: started.runId });
    const code = exec?.exitCode ?? null;
    const reason = exec?.statusMessage && !/^Exited with code \d+\.$/.test(exec.statusMessage) ? `: ${exec.statusMessage}` : '';
    console.error(`lathe: run ${started.runId} ${info.info.status} after ${formatDuration(info.info.startTime, info.info.endTime)}${code !== null ? ` (exit code ${code})` : ''}${info.info.status === 'FINISHED' ? '' : reason}`);
    return exitStatusFor(info.info, code);
  } finally {
    await conn.close();
  }
}
