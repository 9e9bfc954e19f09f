import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForEnd, type TestServer } from '../helpers/lathe-test-server';
import { tempHome } from '../helpers/temp-home';

const IMAGE = process.env.LATHE_TEST_IMAGE ?? 'lathe/python-sklearn:bookworm';
let t: TestServer;
let code: { home: string; cleanup: () => void };

beforeAll(async () => {
  t = await startTestServer();
  code = tempHome('lathe-code-');
  fs.writeFileSync(path.join(code.home, 'sleep.py'), 'import time, sys\nprint("sleeping", flush=True)\ntime.sleep(300)\n');
  fs.writeFileSync(path.join(code.home, 'ok.py'), 'print("ok")\n');
}, 60_000);
afterAll(async () => {
  await t?.close();
  code?.cleanup();
});

describe('bad input and faults in the docker runtime', () => {
  it('an unknown image fails the run at once, saying how to build or pull it', async () => {
    const info = await t.client.runs.start({ image: 'no-such/image:42', command: ['python3', 'ok.py'], workdir: code.home });
    expect(info.status).toBe('FAILED');
    const exec = await t.client.runs.execution({ runId: info.runId });
    expect(exec!.statusMessage).toMatch(/Image 'no-such\/image:42' not found locally\. Build .*scripts\/build-image\.sh.*docker pull no-such\/image:42/);
    expect(exec!.exitCode).toBeNull();
  });

  it('--gpus without the NVIDIA runtime: the engine refuses, the run is FAILED naming the toolkit, and the request Docker received is recorded', async () => {
    const info = await t.client.runs.start({ image: IMAGE, command: ['python3', 'ok.py'], workdir: code.home, gpus: ['0', '1'] });
    expect(info.status).toBe('FAILED');
    const exec = await t.client.runs.execution({ runId: info.runId });
    expect(exec!.statusMessage).toMatch(/could not select device driver .* with capabilities: \[\[gpu\]\]/);
    expect(exec!.statusMessage).toContain('NVIDIA Container Toolkit');
    expect(exec!.deviceRequests).toEqual([{ Driver: 'nvidia', Count: 0, DeviceIDs: ['0', '1'], Capabilities: [['gpu']], Options: null }]);
    const count = await t.client.runs.start({ image: IMAGE, command: ['python3', 'ok.py'], workdir: code.home, gpus: 2 });
    const exec2 = await t.client.runs.execution({ runId: count.runId });
    expect(exec2!.deviceRequests).toEqual([{ Driver: 'nvidia', Count: 2, DeviceIDs: null, Capabilities: [['gpu']], Options: null }]);
    expect(count.status).toBe('FAILED');
  });

  it('stop sends SIGTERM, then SIGKILL after the grace period, and the run ends KILLED', async () => {
    const info = await t.client.runs.start({ image: IMAGE, command: ['python3', 'sleep.py'], workdir: code.home, stopGraceSeconds: 1 });
    expect(info.status).toBe('RUNNING');
    const t0 = Date.now();
    const stopped = await t.client.runs.stop({ runId: info.runId });
    expect(stopped.status).toBe('KILLED');
    expect(Date.now() - t0).toBeLessThan(15_000);
    const run = await waitForEnd(t.client, info.runId);
    expect(run.info.status).toBe('KILLED');
    expect(run.info.endTime).not.toBeNull();
  }, 60_000);

  it('a spec the API cannot accept is refused with the field named, and no run is created', async () => {
    const before = (await t.client.runs.list({})).total;
    await expect(t.client.runs.start({ image: IMAGE, command: [] })).rejects.toMatchObject({ status: 400, code: 'INVALID_PARAMETER_VALUE', data: { field: 'command' } });
    await expect(t.client.runs.start({ image: 'bad image!', command: ['x'] })).rejects.toMatchObject({ status: 400, data: { field: 'image' } });
    await expect(t.client.runs.start({ runtime: 'docker', command: ['x'], workdir: code.home })).rejects.toMatchObject({ status: 400, message: expect.stringContaining('needs an image') });
    await expect(t.client.runs.start({ image: IMAGE, command: ['x'], workdir: '/no/such/folder' })).rejects.toMatchObject({ status: 400, data: { field: 'workdir' } });
    await expect(t.client.runs.start({ image: IMAGE, command: ['x'], env: { 'BAD-NAME': 'x' } })).rejects.toMatchObject({ status: 400 });
    expect((await t.client.runs.list({})).total).toBe(before);
  });
});
