import { createCore, type Core, type CoreConfig } from '../../src/main/core/create-core';
import { loadOrCreateToken } from '../../src/main/core/config';
import { startLatheServer, type LatheServer } from '../../src/main/server/lathe-server';
import { createHttpClient, type LatheClient } from '../../src/shared/api/http-client';
import { tempHome } from './temp-home';

export interface TestServer {
  core: Core;
  server: LatheServer;
  client: LatheClient;
  token: string;
  home: string;
  close(): Promise<void>;
}

/**
 * An in-process Lathe server (typed API, MLflow API, Docker bridge listener) on a temp home,
 * its core made with `config`.
 */
export async function startTestServer(config: Omit<CoreConfig, 'home'> = {}): Promise<TestServer> {
  const t = tempHome();
  const core = createCore({ ...config, home: t.home });
  const token = loadOrCreateToken(t.home);
  const server = await startLatheServer({ core, token, port: 0 });
  return {
    core,
    server,
    token,
    home: t.home,
    client: createHttpClient(server.main.url, token),
    close: async () => {
      await core.executor.idle().catch(() => {});
      await server.close();
      core.dispose();
      t.cleanup();
    },
  };
}

/** Polls until the run reaches a terminal status; returns its info. */
export async function waitForEnd(client: LatheClient, runId: string, timeoutMs = 120_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const run = await client.runs.get({ runId });
    if (['FINISHED', 'FAILED', 'KILLED'].includes(run.info.status)) return run;
    if (Date.now() > deadline) throw new Error(`run ${runId} still ${run.info.status} after ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 250));
  }
}

/** Polls `fn` until it returns a truthy value. */
export async function until<T>(fn: () => Promise<T> | T, what: string, timeoutMs = 30_000): Promise<NonNullable<T>> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const v = await fn();
    if (v) return v as NonNullable<T>;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}
