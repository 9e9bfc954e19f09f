import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { LatheError } from '../../../shared/errors';
import { processGpuEnv } from './gpu-request';
import type { ExitResult, LaunchRequest, LaunchResult, Runtime, RuntimeHandle } from './runtime';

// The wrapper records the exit code in a file so the code survives Lathe being killed: the run
// is its own process group (detached) with output going straight to the log file.
// `command -p` finds mv on the system's default PATH, whatever PATH the run's env sets.
const WRAPPER = '"$@"; code=$?; printf %s "$code" > "$LATHE_EXIT_FILE.tmp" && command -p mv "$LATHE_EXIT_FILE.tmp" "$LATHE_EXIT_FILE"; exit "$code"';

/**
 * True while `pid` is a live process. A zombie (exited, not yet reaped by a parent that
 * does not wait) counts as dead: `kill(pid, 0)` alone would say it lives.
 */
export function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'EPERM') return false;
  }
  try {
    // /proc/<pid>/stat: "pid (comm) state …"; comm may contain spaces and parentheses.
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc (macOS): trust kill()
  }
}

/**
 * True while any process of the process group `pgid` is alive. Zombies do not count: when
 * the wrapper shell dies first, its children are re-parented to an init that may never reap
 * them (containers, sandboxes), and a dead process must not hold up a stop.
 */
function groupAlive(pgid: number): boolean {
  let entries: string[];
  try {
    entries = fs.readdirSync('/proc');
  } catch {
    // No /proc (macOS): the kernel's answer, zombies included.
    try {
      process.kill(-pgid, 0);
      return true;
    } catch (err) {
      return (err as NodeJS.ErrnoException).code === 'EPERM';
    }
  }
  for (const d of entries) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
      // "pid (comm) state ppid pgrp …"; comm may hold spaces and parentheses.
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(fields[2]) === pgid && fields[0] !== 'Z') return true;
    } catch {
      // The process ended while we looked.
    }
  }
  return false;
}

/** The exit code the wrapper recorded, or null when there is none (yet). */
export function readExitCode(file: string): number | null {
  try {
    const text = fs.readFileSync(file, 'utf8').trim();
    if (!/^\d+$/.test(text)) return null;
    return Number(text);
  } catch {
    return null;
  }
}

/** Where the wrapper records a run's exit code: beside its log. */
export function exitFileFor(logPath: string): string {
  return `${logPath}.exit`;
}

export interface ProcessRuntimeOptions {
  /** Host folder with Lathe's Python client, prepended to PYTHONPATH. */
  pythonClientDir: string;
  /** Poll interval while waiting for exit, ms. */
  pollMs?: number;
}

/**
 * Runs a command as a child process on the host (for machines without Docker). It runs in
 * the code folder itself, in its own process group, with the host environment plus the run's
 * variables; GPUs are selected with CUDA_VISIBLE_DEVICES.
 */
export class ProcessRuntime implements Runtime {
  readonly kind = 'process' as const;

  constructor(private readonly opts: ProcessRuntimeOptions) {}

  async launch(req: LaunchRequest): Promise<LaunchResult> {
    if (!fs.existsSync(req.workdir)) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Working directory ${req.workdir} does not exist`, { field: 'workdir' });
    }
    const exitFile = exitFileFor(req.logPath);
    fs.rmSync(exitFile, { force: true });
    const log = fs.openSync(req.logPath, 'a');
    const env: NodeJS.ProcessEnv = {
      ...process.env,
      ...req.env,
      ...processGpuEnv(req.gpus ?? req.spec.gpus),
      PYTHONPATH: [this.opts.pythonClientDir, req.env.PYTHONPATH ?? process.env.PYTHONPATH].filter(Boolean).join(':'),
      PYTHONUNBUFFERED: '1',
      LATHE_EXIT_FILE: exitFile,
    };
    try {
      const child = spawn('/bin/sh', ['-c', WRAPPER, 'lathe-run', ...req.spec.command], {
        cwd: req.workdir,
        env,
        detached: true,
        stdio: ['ignore', log, log],
      });
      const pid = await new Promise<number>((resolve, reject) => {
        child.once('spawn', () => resolve(child.pid!));
        child.once('error', reject);
      });
      child.unref();
      return { pid, exitFile };
    } catch (err) {
      throw new LatheError('INVALID_STATE', `Could not start ${req.spec.command[0]}: ${(err as Error).message}`);
    } finally {
      fs.closeSync(log);
    }
  }

  async wait(handle: RuntimeHandle): Promise<ExitResult> {
    const { pid, exitFile } = handle;
    if (!pid || !exitFile) return { exitCode: null, message: 'No process was recorded for this run.' };
    const pollMs = this.opts.pollMs ?? 200;
    for (;;) {
      const code = readExitCode(exitFile);
      if (code !== null) return { exitCode: code };
      if (!alive(pid)) {
        // The wrapper writes the file just before exiting; look once more after it is gone.
        const late = readExitCode(exitFile);
        if (late !== null) return { exitCode: late };
        return { exitCode: null, message: 'The process ended without recording an exit code (killed by a signal, or ended while Lathe was not running).' };
      }
      await new Promise((r) => setTimeout(r, pollMs));
    }
  }

  async stop(handle: RuntimeHandle, graceSeconds: number): Promise<void> {
    const pid = handle.pid;
    if (!pid || !groupAlive(pid)) return;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // Already gone.
      }
    };
    signalGroup('SIGTERM');
    // The wrapper shell dies on SIGTERM at once; what matters is whether anything in the
    // group (the training process, its workers) is still there when the grace period ends.
    const deadline = Date.now() + graceSeconds * 1000;
    while (groupAlive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (groupAlive(pid)) signalGroup('SIGKILL');
  }

  async cleanup(handle: RuntimeHandle): Promise<void> {
    if (handle.exitFile) fs.rmSync(handle.exitFile, { force: true });
  }
}
