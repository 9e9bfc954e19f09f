import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../..');
export const LATHE_BIN = path.join(ROOT, 'bin/lathe.js');

export interface ServeProcess {
  proc: ChildProcess;
  /** Base URL, e.g. http://127.0.0.1:41234/ */
  url: string;
  token: string;
  output: () => string;
  /** SIGTERM and wait for exit; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts the real `lathe serve` (the built CLI) on a free port with the given data directory
 * and waits for the URL it prints.
 * @throws Error when the CLI is not built or does not print its URL within 20 s.
 */
export async function startServe(home: string, extraArgs: string[] = []): Promise<ServeProcess> {
  if (!fs.existsSync(path.join(ROOT, 'out/main/cli.js'))) throw new Error('out/main/cli.js is missing: run `npm run build` before the tests');
  const proc = spawn(process.execPath, [LATHE_BIN, 'serve', '--home', home, '--port', '0', ...extraArgs], { stdio: ['ignore', 'pipe', 'pipe'] });
  let out = '';
  proc.stdout!.on('data', (c) => (out += c));
  proc.stderr!.on('data', (c) => (out += c));
  // 'close' (after 'exit' and the end of stdout/stderr), so output() is complete once stop() resolves.
  const exited = new Promise<number | null>((resolve) => proc.once('close', (code) => resolve(code)));
  const match = await new Promise<RegExpMatchArray>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`lathe serve printed no URL in 20 s:\n${out}`)), 20_000);
    const check = () => {
      const m = out.match(/Open (http:\/\/\S+\/)\?token=(\S+)/);
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    proc.stdout!.on('data', check);
    proc.once('exit', () => {
      clearTimeout(timer);
      reject(new Error(`lathe serve exited early:\n${out}`));
    });
  });
  return {
    proc,
    url: match[1]!,
    token: match[2]!,
    output: () => out,
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGTERM');
      return exited;
    },
  };
}
