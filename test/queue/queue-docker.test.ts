import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempHome } from '../helpers/temp-home';
import { until, waitForEnd } from '../helpers/lathe-test-server';
import { GPU0, GPU1, IMAGE, Machine, startQueueServer, type QueueServer } from './queue-helpers';

// A replayed 2-GPU machine and real Docker containers (CPU-only image). Docker here has no
// NVIDIA runtime, so GPU requests go env-only (LATHE_GPU_REQUEST_MODE): the GPUs Lathe chose are
// asserted on the container Docker ran (NVIDIA_VISIBLE_DEVICES), on the intended DeviceRequests
// and on the lease; a last test sends real DeviceRequests and reads back what the engine recorded.

let code: { home: string; cleanup: () => void };
const machine = new Machine('two-gpus-idle');
let t: QueueServer;

beforeAll(async () => {
  code = tempHome('lathe-code-');
  fs.writeFileSync(path.join(code.home, 'work.py'), 'import sys, time\nprint("working", flush=True)\ntime.sleep(float(sys.argv[1]))\n');
  t = await startQueueServer(machine);
  await until(() => t.core.gpus.service.snapshot().gpus.length === 2, 'two replayed GPUs');
}, 60_000);
afterAll(async () => {
  await t?.close();
  machine.cleanup();
  code?.cleanup();
});

const run = (seconds: number, extra: Record<string, unknown> = {}) =>
  t.client.runs.start({ image: IMAGE, command: ['python3', 'work.py', String(seconds)], workdir: code.home, gpus: 1, stopGraceSeconds: 1, ...extra });

async function containerEnv(runId: string): Promise<string[]> {
  const exec = await t.client.runs.execution({ runId });
  const info = await t.core.docker.docker.getContainer(exec!.containerId!).inspect();
  expect(info.HostConfig.DeviceRequests ?? null).toBeNull();
  return info.Config.Env;
}

describe('GPU queue with real containers on a replayed 2-GPU machine', () => {
  it('three 1-GPU runs: two run on different GPUs, the third waits QUEUED with the reason and starts when one finishes', async () => {
    // a must outlive the start of b and c, and c must still run while its container and lease
    // are read: seconds to spare on a busy machine, where a container start takes a while.
    const a = await run(6);
    const b = await run(30);
    const c = await run(8);
    expect([a.status, b.status, c.status]).toEqual(['RUNNING', 'RUNNING', 'QUEUED']);

    const status = await t.client.queue.list();
    expect(status.leases.map((l) => [l.run_id, l.gpu_uuid, l.slot])).toEqual([[a.runId, GPU0, 0], [b.runId, GPU1, 0]]);
    expect(status.entries).toEqual([
      expect.objectContaining({ run_id: c.runId, position: 1, priority: 0, request: 1, reason: `waiting for 1 GPU (0 free); GPU 0 held by run ${a.name} (${a.runId.slice(0, 8)}); GPU 1 held by run ${b.name} (${b.runId.slice(0, 8)})` }),
    ]);
    // What Docker ran: each container sees only its GPU; the DeviceRequests Lathe would send name it.
    expect(await containerEnv(a.runId)).toContain(`NVIDIA_VISIBLE_DEVICES=${GPU0}`);
    expect(await containerEnv(b.runId)).toContain(`NVIDIA_VISIBLE_DEVICES=${GPU1}`);
    const tagsA = (await t.client.runs.get({ runId: a.runId })).tags;
    expect(JSON.parse(tagsA['lathe.gpu.intended_device_requests']!)).toEqual([{ Driver: 'nvidia', DeviceIDs: [GPU0], Capabilities: [['gpu']] }]);
    expect(tagsA['lathe.gpus.assigned']).toBe(GPU0);
    expect(JSON.parse((await t.client.runs.get({ runId: b.runId })).tags['lathe.gpu.intended_device_requests']!)[0].DeviceIDs).toEqual([GPU1]);

    // a ends → c gets GPU 0.
    expect((await waitForEnd(t.client, a.runId)).info.status).toBe('FINISHED');
    await until(async () => (await t.client.runs.get({ runId: c.runId })).info.status === 'RUNNING', 'the queued run to start');
    expect(await containerEnv(c.runId)).toContain(`NVIDIA_VISIBLE_DEVICES=${GPU0}`);
    expect((await t.client.queue.list()).leases.map((l) => [l.run_id, l.gpu_uuid])).toEqual([[b.runId, GPU1], [c.runId, GPU0]]);
    expect((await waitForEnd(t.client, c.runId)).info.status).toBe('FINISHED');
    let log = '';
    for await (const chunk of await t.client.runs.logs({ runId: c.runId })) log += chunk.text;
    expect(log).toMatch(/^lathe: queued at position 1: waiting for 1 GPU/);
    expect(log).toContain(`lathe: GPUs assigned: 0 (${GPU0})`);
    // b's GPU and container series are in its metric history under MLflow's system metric names.
    const metrics = await until(async () => {
      const m = (await t.client.runs.get({ runId: b.runId })).metrics;
      return m.some((x) => x.key === 'system/cpu_utilization_percentage') && m.some((x) => x.key === 'system/gpu_0_memory_usage_megabytes') ? m : null;
    }, 'system metrics of run b');
    const byKey = Object.fromEntries(metrics.map((m) => [m.key, m.value]));
    expect(byKey['system/gpu_0_memory_usage_megabytes']).toBe(840.96); // 802 MiB in MB (10^6 bytes), as MLflow
    expect(byKey['system/gpu_0_memory_usage_percentage']).toBe(6.57); // 802 / 12206
    expect(byKey['system/gpu_0_utilization_percentage']).toBe(0);
    expect(byKey['system/gpu_0_temperature_celsius']).toBe(25);
    expect(byKey['system/gpu_0_power_usage_watts']).toBeUndefined(); // fixture 20 has no power readings
    expect(byKey['system/system_memory_usage_megabytes']).toBeGreaterThan(0);
    await t.client.runs.stop({ runId: b.runId });
    await waitForEnd(t.client, b.runId);
    expect((await t.client.queue.list()).leases).toEqual([]);
  }, 120_000);

  it('a process outside Lathe holding memory on GPU 0 keeps it from being assigned until it is gone', async () => {
    machine.use('two-gpus-foreign-on-0');
    await until(() => t.core.gpus.service.snapshot().gpus[0]?.foreign_memory_mib === 8286 && t.core.gpus.service.snapshot().gpus[0]!.processes.length === 1, 'the foreign process to show');
    const gpu0 = t.core.gpus.service.snapshot().gpus[0]!;
    expect(gpu0.processes).toEqual([expect.objectContaining({ pid: 21198, process_name: './gpu_burn', used_memory_mib: 7484, owner: 'foreign', run_id: null })]);
    const a = await run(30);
    expect(a.status).toBe('RUNNING');
    expect((await t.client.queue.list()).leases.map((l) => l.gpu_uuid)).toEqual([GPU1]);
    // Long enough to still run while its container is inspected; stopped below.
    const b = await run(30);
    expect(b.status).toBe('QUEUED');
    const entry = (await t.client.queue.list()).entries[0]!;
    expect(entry.reason).toBe(`waiting for 1 GPU (0 free); GPU 0 has 8286 MiB in use outside Lathe (limit 1024 MiB); GPU 1 held by run ${a.name} (${a.runId.slice(0, 8)})`);
    // The foreign job ends: the next sample frees GPU 0 for the queued run.
    machine.use('two-gpus-idle');
    await until(async () => (await t.client.runs.get({ runId: b.runId })).info.status === 'RUNNING', 'the queued run to get GPU 0');
    expect(await containerEnv(b.runId)).toContain(`NVIDIA_VISIBLE_DEVICES=${GPU0}`);
    await t.client.runs.stop({ runId: a.runId });
    await t.client.runs.stop({ runId: b.runId });
  }, 120_000);

  it('priority reorders the queue; a queued run can be cancelled; a request for more GPUs than exist is refused', async () => {
    const a = await run(30);
    const b = await run(30);
    expect([a.status, b.status]).toEqual(['RUNNING', 'RUNNING']);
    const low = await run(1);
    const high = await run(1);
    expect([low.status, high.status], JSON.stringify([await t.client.queue.list(), await t.client.runs.execution({ runId: a.runId }), await t.client.runs.execution({ runId: b.runId })])).toEqual(['QUEUED', 'QUEUED']);
    await t.client.queue.setPriority({ runId: high.runId, priority: 5 });
    expect((await t.client.queue.list()).entries.map((e) => [e.run_id, e.position, e.priority])).toEqual([[high.runId, 1, 5], [low.runId, 2, 0]]);
    const cancelled = await t.client.queue.cancel({ runId: low.runId });
    expect(cancelled.status).toBe('KILLED');
    expect((await t.client.runs.execution({ runId: low.runId }))!.statusMessage).toBe('Cancelled while waiting for GPUs.');
    expect((await t.client.queue.list()).entries.map((e) => e.run_id)).toEqual([high.runId]);
    const tooMany = await run(1, { gpus: 3 });
    expect(tooMany.status).toBe('FAILED');
    expect((await t.client.runs.execution({ runId: tooMany.runId }))!.statusMessage).toBe('Asks for 3 GPUs; this machine has 2 GPUs.');
    await t.client.runs.stop({ runId: a.runId });
    await until(async () => (await t.client.runs.get({ runId: high.runId })).info.status !== 'QUEUED', 'the high-priority run to start');
    await t.client.runs.stop({ runId: b.runId });
    await waitForEnd(t.client, high.runId);
  }, 120_000);

  it('with real DeviceRequests the engine records the assigned GPU UUID (and, with no NVIDIA runtime, refuses; the lease is released)', async () => {
    const real = await startQueueServer(machine, { requestMode: 'device-requests' });
    try {
      await until(() => real.core.gpus.service.snapshot().gpus.length === 2, 'GPUs');
      const info = await real.client.runs.start({ image: IMAGE, command: ['python3', 'work.py', '1'], workdir: code.home, gpus: ['1'] });
      expect(info.status).toBe('FAILED');
      const exec = await real.client.runs.execution({ runId: info.runId });
      expect(exec!.deviceRequests).toEqual([{ Driver: 'nvidia', Count: 0, DeviceIDs: [GPU1], Capabilities: [['gpu']], Options: null }]);
      expect(exec!.statusMessage).toMatch(/could not select device driver .* with capabilities: \[\[gpu\]\]/);
      expect((await real.client.runs.get({ runId: info.runId })).tags['lathe.gpus.assigned']).toBe(GPU1);
      expect((await real.client.queue.list()).leases).toEqual([]);
    } finally {
      await real.close();
    }
  }, 60_000);
});
