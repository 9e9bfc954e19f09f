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

describe('specs refused before anything is created (no orphan runs)', () => {
  it('bad param names, empty program, NUL bytes, relative folders, both experiment forms, invalid image names', async () => {
    const before = (await t.client.runs.list({})).total;
    const base = { runtime: 'process' as const, command: ['true'], workdir: code.home };
    await expect(t.client.runs.start({ ...base, params: { 'bad key!': '1' } })).rejects.toMatchObject({ status: 400, message: expect.stringContaining("Invalid param name: 'bad key!'") });
    await expect(t.client.runs.start({ ...base, command: [''] })).rejects.toMatchObject({ status: 400, data: { field: 'command' } });
    await expect(t.client.runs.start({ ...base, command: ['echo', 'a\u0000b'] })).rejects.toMatchObject({ status: 400 });
    await expect(t.client.runs.start({ ...base, env: { X: 'a\u0000b' } })).rejects.toMatchObject({ status: 400 });
    await expect(t.client.runs.start({ ...base, workdir: 'relative/dir' })).rejects.toMatchObject({ status: 400, data: { field: 'workdir' } });
    await expect(t.client.runs.start({ ...base, experimentId: '0', experimentName: 'x' })).rejects.toMatchObject({ status: 400 });
    await expect(t.client.runs.start({ command: ['x'], image: 'Lathe/Python' })).rejects.toMatchObject({ status: 400, data: { field: 'image' } });
    await expect(t.client.runs.start({ command: ['x'], image: 'img@sha256:zz' })).rejects.toMatchObject({ status: 400, data: { field: 'image' } });
    expect((await t.client.runs.list({})).total).toBe(before);
  });

  it('a run whose env sets PATH still records its exit code; secrets are masked in the record', async () => {
    const info = await t.client.runs.start({ runtime: 'process', command: ['/bin/echo', 'ran ok'], workdir: code.home, env: { PATH: '/opt/venv/bin', DB_PASS: 'hunter2' } });
    const run = await waitForEnd(t.client, info.runId);
    expect(run.info.status).toBe('FINISHED');
    const exec = await t.client.runs.execution({ runId: info.runId });
    expect(exec).toMatchObject({ exitCode: 0, env: { PATH: '/opt/venv/bin', DB_PASS: '****' } });
  });

  it('stopping an unknown run is 404; listing an unknown experiment is 404', async () => {
    await expect(t.client.runs.stop({ runId: 'f'.repeat(32) })).rejects.toMatchObject({ status: 404, code: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(t.client.runs.list({ experimentId: '424242' })).rejects.toMatchObject({ status: 404 });
  });
});

describe('stopping a run', () => {
  it('process runtime: a script that ignores SIGTERM is SIGKILLed after the grace period, whole group', async () => {
    fs.writeFileSync(path.join(code.home, 'stubborn.py'), 'import signal, time\nsignal.signal(signal.SIGTERM, signal.SIG_IGN)\nprint("started", flush=True)\ntime.sleep(300)\n');
    const info = await t.client.runs.start({ runtime: 'process', command: ['python3', 'stubborn.py'], workdir: code.home, stopGraceSeconds: 1 });
    // Stop only once the script ignores SIGTERM (it says so): stopped earlier, SIGTERM alone
    // ends it and the SIGKILL after the grace period is never exercised.
    await expect.poll(() => t.core.logs.read(info.runId, 0).text, { timeout: 20_000 }).toContain('started');
    const exec = await t.client.runs.execution({ runId: info.runId });
    const stopped = await t.client.runs.stop({ runId: info.runId });
    expect(stopped.status).toBe('KILLED');
    expect((await t.client.runs.execution({ runId: info.runId }))!.statusMessage).toBe('Stopped by request.');
    // Nothing of the process group is left running (a zombie waiting for init to reap it is dead).
    const liveInGroup = () =>
      fs.readdirSync('/proc').filter((d) => /^\d+$/.test(d)).filter((d) => {
        try {
          const stat = fs.readFileSync(`/proc/${d}/stat`, 'utf8');
          const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
          return Number(fields[2]) === exec!.pid && fields[0] !== 'Z';
        } catch {
          return false;
        }
      });
    await expect.poll(liveInGroup, { timeout: 3000 }).toEqual([]);
  }, 30_000);

  it('metrics buffered by the lathe client are flushed when the run is stopped (SIGTERM)', async () => {
    fs.writeFileSync(
      path.join(code.home, 'buffered.py'),
      'import time, lathe\nfor i in range(50):\n    lathe.log_metric("m", i, step=i)\nprint("logged", flush=True)\ntime.sleep(300)\n',
    );
    const info = await t.client.runs.start({ runtime: 'process', command: ['python3', 'buffered.py'], workdir: code.home, stopGraceSeconds: 5 });
    await expect.poll(() => t.core.logs.read(info.runId, 0).text, { timeout: 20_000 }).toContain('logged');
    await t.client.runs.stop({ runId: info.runId });
    expect(t.core.tracking.getMetricHistory(info.runId, 'm').map((p) => p.step)).toEqual(Array.from({ length: 50 }, (_, i) => i));
  }, 30_000);
});
