import { spawn } from 'node:child_process';
import { createCore, type Core } from '../core/create-core';
import { loadOrCreateToken } from '../core/config';
import { readServerRecord, startLatheServer, type LatheServer } from '../server/lathe-server';
import { createHttpClient, type LatheClient } from '../../shared/api/http-client';

export interface ServerConnection {
  client: LatheClient;
  /** Base URL of the server (UI links). */
  url: string;
  token: string;
  /** 'remote': a running `lathe serve`; 'embedded': started in this process for this command; 'spawned': started in the background. */
  mode: 'remote' | 'embedded' | 'spawned';
  close(): Promise<void>;
}

/** How long a server gets to answer before it is taken for stopped or wedged. */
export const SERVER_PROBE_MS = 5000;

/** Whether the server behind `client` answers within {@link SERVER_PROBE_MS}. */
export async function serverAnswers(client: LatheClient): Promise<boolean> {
  try {
    await client.system.info(undefined, { signal: AbortSignal.timeout(SERVER_PROBE_MS) });
    return true;
  } catch {
    return false;
  }
}

/** A client of the `lathe serve` recorded for the data directory, or null when none is (not probed). */
export function runningServerClient(home: string): LatheClient | null {
  const rec = readServerRecord(home);
  return rec ? createHttpClient(rec.url, loadOrCreateToken(home)) : null;
}

/**
 * Connects to the Lathe server of a data directory: the running one (from `server.json`), or,
 * when none runs, one started in this process (`background` false: it lives as long as the
 * command) or as a detached `lathe serve` in the background (`background` true: runs keep
 * being supervised after the command exits).
 */
export async function connectServer(home: string, background: boolean): Promise<ServerConnection> {
  const token = loadOrCreateToken(home);
  const running = readServerRecord(home);
  if (running) {
    const client = createHttpClient(running.url, token);
    if (await serverAnswers(client)) return { client, url: running.url, token, mode: 'remote', close: async () => {} };
    // A stale record (process reused the pid, or server wedged): fall through and start one.
  }
  if (background) {
    // argv[1] is the `lathe` entry script that is running now (bin/lathe.js).
    const cli = process.argv[1]!;
    const child = spawn(process.execPath, [cli, 'serve', '--port', '0', '--home', home], { detached: true, stdio: 'ignore' });
    child.unref();
    const deadline = Date.now() + 20_000;
    while (Date.now() < deadline) {
      const rec = readServerRecord(home);
      if (rec && rec.pid === child.pid) {
        console.error(`lathe: started \`lathe serve\` in the background at ${rec.url} (pid ${rec.pid}) to supervise the run; stop it with: kill ${rec.pid}`);
        return { client: createHttpClient(rec.url, token), url: rec.url, token, mode: 'spawned', close: async () => {} };
      }
      await new Promise((r) => setTimeout(r, 100));
    }
    throw new Error('started `lathe serve` in the background but it did not come up within 20 s');
  }
  const core: Core = createCore({ home });
  let server: LatheServer;
  try {
    server = await startLatheServer({ core, token, port: 0, reconcile: false });
  } catch (err) {
    core.dispose();
    throw err;
  }
  return {
    client: createHttpClient(server.main.url, token),
    url: server.main.url,
    token,
    mode: 'embedded',
    close: async () => {
      await server.close();
      core.dispose();
    },
  };
}
