import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core/create-core';
import { tempHome } from '../helpers/temp-home';
import { startServe, type ServeProcess } from '../helpers/serve-process';
import { httpClient } from '../helpers/api-client';
import { until, waitForEnd } from '../helpers/lathe-test-server';

const IMAGE = process.env.LATHE_TEST_IMAGE ?? 'lathe/python-sklearn:bookworm';
const STEPS = 40;
let code: { home: string; cleanup: () => void };
const cleanups: Array<() => void> = [];
const servers: ServeProcess[] = [];

/** A port that was free a moment ago, so a restarted server can take the same one. */
async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = net.createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as net.AddressInfo).port;
      s.close(() => resolve(port));
    });
  });
}

beforeAll(() => {
  code = tempHome('lathe-code-');
  // Logs one metric every 150 ms through Lathe's client (buffered, retried while the server is down).
  fs.writeFileSync(
    path.join(code.home, 'slow.py'),
    `import time, lathe\nfor i in range(${STEPS}):\n    lathe.log_metric("tick", i * 2.5, step=i)\n    print("tick", i, flush=True)\n    time.sleep(0.15)\nprint("done", flush=True)\n`,
  );
});
afterAll(() => {
  for (const s of servers) if (s.proc.exitCode === null && s.proc.signalCode === null) s.proc.kill('SIGKILL');
  for (const c of cleanups) c();
  code.cleanup();
});

async function killAndRestart(runtime: 'docker' | 'process') {
  const t = tempHome();
  cleanups.push(t.cleanup);
  const port = await freePort();
  const first = await startServe(t.home, ['--port', String(port)]);
  servers.push(first);
  const api = httpClient(first.url, first.token);
  const spec = runtime === 'docker' ? { image: IMAGE } : { runtime: 'process' as const };
  const started = await api.runs.start({ ...spec, command: ['python3', 'slow.py'], workdir: code.home, experimentName: `restart-${runtime}` });
  expect(started.status).toBe('RUNNING');
  // Let it log a few points, then kill Lathe outright.
  await until(async () => (await api.runs.get({ runId: started.runId })).metrics.length > 0, 'a metric', 60_000);
  first.proc.kill('SIGKILL');
  await new Promise((r) => first.proc.once('exit', r));
  await new Promise((r) => setTimeout(r, 1500));

  const second = await startServe(t.home, ['--port', String(port)]);
  servers.push(second);
  await expect.poll(() => second.output(), { timeout: 5000 }).toMatch(/Reconciled runs: 1 still running/);
  const api2 = httpClient(second.url, second.token);
  const run = await waitForEnd(api2, started.runId, 120_000);
  expect(run.info.status).toBe('FINISHED');
  const exec = await api2.runs.execution({ runId: started.runId });
  expect(exec!.exitCode).toBe(0);
  let log = '';
  for await (const c of await api2.runs.logs({ runId: started.runId, offset: 0 })) log += c.text;
  // The whole log is there, including what was printed while Lathe was down.
  for (let i = 0; i < STEPS; i++) expect(log).toContain(`tick ${i}\n`);
  expect(log).toContain('done');
  await second.stop();
  // Every metric point the script logged is stored, none lost across the kill.
  const core = createCore({ home: t.home });
  try {
    const history = core.tracking.getMetricHistory(started.runId, 'tick');
    expect(history.map((p) => p.step)).toEqual(Array.from({ length: STEPS }, (_, i) => i));
    expect(history.map((p) => p.value)).toEqual(Array.from({ length: STEPS }, (_, i) => i * 2.5));
  } finally {
    core.dispose();
  }
}

describe('Lathe killed (SIGKILL) mid-run and restarted', () => {
  it('docker: the container is re-attached, ends FINISHED, logs complete, no metric lost', () => killAndRestart('docker'), 180_000);
  it('process: the process is re-attached, ends FINISHED with its exit code, no metric lost', () => killAndRestart('process'), 180_000);
});
