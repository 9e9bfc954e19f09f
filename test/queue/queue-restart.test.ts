import { execFile } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/temp-home';
import { LATHE_BIN, startServe, type ServeProcess } from '../helpers/serve-process';
import { httpClient } from '../helpers/api-client';
import { until, waitForEnd } from '../helpers/lathe-test-server';
import { GPU0, GPU1, IMAGE, Machine, REPLAY } from './queue-helpers';

// The queue and the leases live in SQLite: `lathe serve` is SIGKILLed with two runs holding both
// replayed GPUs and two more waiting, and the next `lathe serve` carries on from there.

const exec = promisify(execFile);
const machine = new Machine('two-gpus-idle');
let home: { home: string; cleanup: () => void };
let code: { home: string; cleanup: () => void };
const servers: ServeProcess[] = [];
const saved = { ...process.env };

beforeAll(() => {
  Object.assign(process.env, { LATHE_NVIDIA_SMI: REPLAY, NVIDIA_SMI_REPLAY: machine.file, LATHE_GPU_REQUEST_MODE: 'env-only', LATHE_GPU_INTERVAL_MS: '200' });
  home = tempHome();
  code = tempHome('lathe-code-');
  fs.writeFileSync(path.join(code.home, 'work.py'), 'import sys, time\nprint("working", flush=True)\ntime.sleep(float(sys.argv[1]))\n');
});
afterAll(() => {
  for (const s of servers) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  process.env = saved;
  home.cleanup();
  code.cleanup();
  machine.cleanup();
});

const lathe = (args: string[]) => exec(process.execPath, [LATHE_BIN, '--home', home.home, ...args], { env: process.env });

describe('the GPU queue across a restart of Lathe', () => {
  it('keeps queued runs (order, priority) and leases; serves them when GPUs free up', async () => {
    const first = await startServe(home.home);
    servers.push(first);
    const api = httpClient(first.url, first.token);
    await until(async () => (await api.gpus.snapshot()).gpus.length === 2, 'replayed GPUs');
    const spec = (seconds: number, priority = 0) => ({ image: IMAGE, command: ['python3', 'work.py', String(seconds)], workdir: code.home, gpus: 1, stopGraceSeconds: 1, priority });
    const a = await api.runs.start(spec(120));
    const b = await api.runs.start(spec(120));
    const low = await api.runs.start(spec(1));
    // The priority run works long enough (20 s) that the low one is still queued when the CLI
    // cancels it, even on a loaded machine; it then finishes on its own.
    const high = await api.runs.start(spec(20, 7));
    expect([a.status, b.status, low.status, high.status]).toEqual(['RUNNING', 'RUNNING', 'QUEUED', 'QUEUED']);

    first.proc.kill('SIGKILL');
    await new Promise((r) => first.proc.once('exit', r));

    // With no server running, the CLI reads the queue from the store.
    const offline = JSON.parse((await lathe(['queue', '--json'])).stdout);
    expect(offline.entries.map((e: { run_id: string; position: number }) => [e.run_id, e.position])).toEqual([[high.runId, 1], [low.runId, 2]]);
    expect(offline.leases.map((l: { run_id: string; gpu_uuid: string }) => [l.run_id, l.gpu_uuid])).toEqual([[a.runId, GPU0], [b.runId, GPU1]]);

    const second = await startServe(home.home);
    servers.push(second);
    await expect.poll(() => second.output(), { timeout: 5000 }).toMatch(/Reconciled runs: 2 still running/);
    const api2 = httpClient(second.url, second.token);
    await until(async () => (await api2.gpus.snapshot()).gpus.length === 2, 'replayed GPUs after the restart');
    const q = await api2.queue.list();
    expect(q.entries.map((e) => [e.run_id, e.position, e.priority])).toEqual([[high.runId, 1, 7], [low.runId, 2, 0]]);
    expect(q.leases.map((l) => [l.run_id, l.gpu_uuid])).toEqual([[a.runId, GPU0], [b.runId, GPU1]]);
    expect((await api2.runs.get({ runId: a.runId })).info.status).toBe('RUNNING');

    // The running server answers the CLI: `lathe gpus --json` shows who holds each GPU.
    const gpus = JSON.parse((await lathe(['gpus', '--json'])).stdout);
    expect(gpus.state).toBe('ok');
    expect(gpus.gpus.map((g: { index: number; uuid: string; lease: { run_id: string } }) => [g.index, g.uuid, g.lease?.run_id])).toEqual([[0, GPU0, a.runId], [1, GPU1, b.runId]]);

    // a stops → the higher-priority run gets GPU 0; the other stays queued, then is cancelled.
    await api2.runs.stop({ runId: a.runId });
    await until(async () => (await api2.runs.get({ runId: high.runId })).info.status !== 'QUEUED', 'the priority run to start');
    const served = await api2.queue.list();
    expect(served.leases.map((l) => [l.run_id, l.gpu_uuid])).toEqual([[b.runId, GPU1], [high.runId, GPU0]]);
    expect(served.entries.map((e) => e.run_id)).toEqual([low.runId]);
    expect((await lathe(['queue', 'cancel', low.runId])).stdout.trim()).toBe(`${low.runId} KILLED`);
    expect((await waitForEnd(api2, high.runId)).info.status).toBe('FINISHED');
    await api2.runs.stop({ runId: b.runId });
    expect((await api2.queue.list()).leases).toEqual([]);
    await second.stop();
  }, 180_000);
});
