import fs from 'node:fs';
import { spawn } from 'node:child_process';
import { LatheError } from '../../../shared/errors';
import { processGpuEnv } from './gpu-request';
import type { ExitResult, LaunchRequest, LaunchResult, Runtime, RuntimeHandle } from './runtime';

// The wrapper records the exit code in a file so the code survives Lathe being killed: the run
// is its own process group (detached) with output going straight to the log file.
const WRAPPER = '"$@"; code=$?; printf %s "$code" > "$LATHE_EXIT_FILE.tmp" && mv "$LATHE_EXIT_FILE.tmp" "$LATHE_EXIT_FILE"; exit "$code"';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function readExitCode(file: string): number | null {
  try {
    const n = Number(fs.readFileSync(file, 'utf8').trim());
    return Number.isInteger(n) ? n : null;
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
      ...processGpuEnv(req.spec.gpus),
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
    if (!pid || !alive(pid)) return;
    const signalGroup = (sig: NodeJS.Signals) => {
      try {
        process.kill(-pid, sig);
      } catch {
        // Already gone.
      }
    };
    signalGroup('SIGTERM');
    const deadline = Date.now() + graceSeconds * 1000;
    while (alive(pid) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
    if (alive(pid)) signalGroup('SIGKILL');
  }

  async cleanup(handle: RuntimeHandle): Promise<void> {
    if (handle.exitFile) fs.rmSync(handle.exitFile, { force: true });
  }
}
