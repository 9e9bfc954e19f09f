import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createCore, type Core } from '../../src/main/core/create-core';
import { loadOrCreateToken } from '../../src/main/core/config';
import { startLatheServer, type LatheServer } from '../../src/main/server/lathe-server';
import { createHttpClient, type LatheClient } from '../../src/shared/api/http-client';
import { tempHome } from '../helpers/temp-home';

export const REPLAY = path.resolve(__dirname, '../../scripts/replay-nvidia-smi.mjs');
export const QUEUE_REPLAY_DIR = path.resolve(__dirname, 'replay');
export const IMAGE = process.env.LATHE_TEST_IMAGE ?? 'lathe/python-sklearn:bookworm';
export const GPU0 = 'GPU-00000000-0000-0000-0000-000000000001';
export const GPU1 = 'GPU-00000000-0000-0000-0000-000000000002';

/** A scenario file the test can switch between machines while the sampler runs. */
export class Machine {
  readonly dir = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-machine-'));
  readonly file = path.join(this.dir, 'scenario.json');

  constructor(name: string) {
    this.use(name);
  }

  /** Points the replay at test/queue/replay/<name>.json (paths made absolute). */
  use(name: string): void {
    const src = JSON.parse(fs.readFileSync(path.join(QUEUE_REPLAY_DIR, `${name}.json`), 'utf8')) as Record<string, { file?: string } | undefined>;
    for (const v of Object.values(src)) if (v && typeof v === 'object' && v.file) v.file = path.join(QUEUE_REPLAY_DIR, v.file);
    fs.writeFileSync(`${this.file}.tmp`, JSON.stringify(src));
    fs.renameSync(`${this.file}.tmp`, this.file);
  }

  cleanup(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}

export interface QueueServer {
  core: Core;
  server: LatheServer;
  client: LatheClient;
  home: string;
  close(): Promise<void>;
}

/** An in-process Lathe server whose nvidia-smi is the replay of `machine`, GPUs requested env-only (no NVIDIA runtime here). */
export async function startQueueServer(machine: Machine, opts: { requestMode?: 'env-only' | 'device-requests' } = {}): Promise<QueueServer> {
  const t = tempHome();
  const core = createCore({
    home: t.home,
    gpu: { nvidiaSmi: REPLAY, intervalMs: 200, env: { ...process.env, NVIDIA_SMI_REPLAY: machine.file }, requestMode: opts.requestMode ?? 'env-only', runMetricsIntervalMs: 500 },
  });
  const token = loadOrCreateToken(t.home);
  const server = await startLatheServer({ core, token, port: 0 });
  return {
    core,
    server,
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
