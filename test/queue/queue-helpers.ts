import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { startTestServer, type TestServer } from '../helpers/lathe-test-server';

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

export type QueueServer = TestServer;

/** An in-process Lathe server whose nvidia-smi is the replay of `machine`, GPUs requested env-only (no NVIDIA runtime here). */
export function startQueueServer(machine: Machine, opts: { requestMode?: 'env-only' | 'device-requests' } = {}): Promise<QueueServer> {
  return startTestServer({
    gpu: { nvidiaSmi: REPLAY, intervalMs: 200, env: { ...process.env, NVIDIA_SMI_REPLAY: machine.file }, requestMode: opts.requestMode ?? 'env-only', runMetricsIntervalMs: 500 },
  });
}
