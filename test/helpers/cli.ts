import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { LATHE_BIN } from './serve-process';

const exec = promisify(execFile);

export interface ProcessResult {
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs `file` to its end, with `input` (if any) written to its stdin; a non-zero exit is
 * returned as `code`, not thrown.
 */
export async function runProcess(file: string, args: string[], opts: { input?: string; env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  try {
    const child = exec(file, args, { maxBuffer: 64 << 20, env: opts.env });
    if (opts.input !== undefined) child.child.stdin!.end(opts.input);
    const { stdout, stderr } = await child;
    return { code: 0, stdout, stderr };
  } catch (err) {
    const e = err as { code: number; stdout: string; stderr: string };
    return { code: e.code, stdout: e.stdout, stderr: e.stderr };
  }
}

/** Runs the built CLI, `lathe --home <home> …args`, to its end (see {@link runProcess}). */
export function latheCli(home: string, args: string[], opts: { env?: NodeJS.ProcessEnv } = {}): Promise<ProcessResult> {
  return runProcess(process.execPath, [LATHE_BIN, '--home', home, ...args], opts);
}
