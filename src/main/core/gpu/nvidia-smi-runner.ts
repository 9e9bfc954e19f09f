import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

/** What one nvidia-smi invocation printed. `notFound`: the binary does not exist (ENOENT). */
export interface RunResult {
  stdout: string;
  stderr: string;
  exitCode: number | null;
  notFound: boolean;
}

/**
 * Runs nvidia-smi once, asynchronously (never execSync in the Electron main process), with a
 * timeout and `windowsHide` so no console window flashes on Windows.
 */
export function runOnce(bin: string, args: string[], opts: { timeoutMs?: number; env?: NodeJS.ProcessEnv } = {}): Promise<RunResult> {
  return new Promise((resolve) => {
    execFile(bin, args, { timeout: opts.timeoutMs ?? 15_000, windowsHide: true, env: opts.env, maxBuffer: 32 << 20 }, (err, stdout, stderr) => {
      const e = err as (NodeJS.ErrnoException & { code?: string | number }) | null;
      if (e && e.code === 'ENOENT') return resolve({ stdout: '', stderr: '', exitCode: null, notFound: true });
      const exitCode = e ? (typeof e.code === 'number' ? e.code : null) : 0;
      resolve({ stdout: String(stdout), stderr: String(stderr), exitCode, notFound: false });
    });
  });
}

/** A long-lived nvidia-smi in loop mode, delivering its output line by line. */
export interface LoopChild {
  child: ChildProcess;
  /** Resolves with the exit status (null when killed by a signal or not found) once it has ended. */
  exited: Promise<{ exitCode: number | null; notFound: boolean; output: string }>;
  kill(): void;
}

/**
 * Spawns nvidia-smi with `args` (a loop-mode query) and calls `onLine` for each stdout line;
 * `onLine` returns true for lines it took as data. The first 4 KiB of everything else (and of
 * stderr) is kept, so a failure that ends the child can be classified.
 */
export function spawnLoop(bin: string, args: string[], onLine: (line: string) => boolean, env?: NodeJS.ProcessEnv): LoopChild {
  const child = spawn(bin, args, { windowsHide: true, stdio: ['ignore', 'pipe', 'pipe'], env });
  let output = '';
  const keep = (s: string) => {
    if (output.length < 4096) output += s;
  };
  const rl = createInterface({ input: child.stdout!, crlfDelay: Infinity });
  rl.on('line', (line) => {
    if (!onLine(line)) keep(`${line}\n`);
  });
  child.stderr!.on('data', (c: Buffer) => keep(c.toString()));
  const exited = new Promise<{ exitCode: number | null; notFound: boolean; output: string }>((resolve) => {
    let notFound = false;
    child.once('error', (err: NodeJS.ErrnoException) => {
      if (err.code === 'ENOENT') notFound = true;
      resolve({ exitCode: null, notFound, output });
    });
    child.once('close', (code) => resolve({ exitCode: code, notFound, output }));
  });
  return {
    child,
    exited,
    kill: () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    },
  };
}
