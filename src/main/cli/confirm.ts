import readline from 'node:readline/promises';
import { LatheError } from '../../shared/errors';

/**
 * Asks a yes/no question on the terminal (for permanent deletions: `runs purge`, `datasets rm`).
 * @throws LatheError INVALID_PARAMETER_VALUE when stdin is not a terminal (pass --yes there).
 */
export async function confirm(question: string): Promise<boolean> {
  if (!process.stdin.isTTY) throw new LatheError('INVALID_PARAMETER_VALUE', 'permanent deletion needs confirmation: pass --yes when stdin is not a terminal');
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  // Ctrl-C (readline's SIGINT, raised in raw mode) or Ctrl-D (input closed) is a no.
  const stop = new AbortController();
  rl.on('SIGINT', () => stop.abort());
  rl.on('close', () => stop.abort());
  try {
    return /^y(es)?$/i.test((await rl.question(question, { signal: stop.signal })).trim());
  } catch (err) {
    if (!stop.signal.aborted) throw err;
    process.stderr.write('\n');
    return false;
  } finally {
    rl.close();
  }
}
