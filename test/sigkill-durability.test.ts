import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core/create-core';
import { tempHome } from './helpers/temp-home';
import { startServe, type ServeProcess } from './helpers/serve-process';
import { httpClient } from './helpers/api-client';

let serve: ServeProcess | undefined;
let cleanup: (() => void) | undefined;
afterEach(async () => {
  if (serve && serve.proc.exitCode === null && serve.proc.signalCode === null) serve.proc.kill('SIGKILL');
  cleanup?.();
});

describe('durability of acknowledged writes', () => {
  it('SIGKILL of lathe serve while clients write metrics loses no acknowledged point', async () => {
    const t = tempHome();
    cleanup = t.cleanup;
    serve = await startServe(t.home);
    const api = httpClient(serve.url, serve.token);
    const exp = await api.experiments.create({ name: 'kill-test' });
    const run = await api.runs.create({ experimentId: exp.experimentId, name: 'writer' });

    // Four concurrent writers, each logging batches of 100 points with its own step range;
    // a batch counts as acknowledged only once its response arrived.
    const acked: number[][] = [];
    let stop = false;
    const writer = async (w: number) => {
      for (let batch = 0; !stop; batch++) {
        const steps = Array.from({ length: 100 }, (_, i) => w * 1_000_000 + batch * 100 + i);
        try {
          await api.runs.logBatch({ runId: run.runId, metrics: steps.map((s) => ({ key: 'loss', value: s / 7, step: s, timestamp: 1_700_000_000_000 + s })) });
          acked.push(steps);
        } catch {
          return; // the server is gone: this batch was never acknowledged
        }
      }
    };
    const writers = [0, 1, 2, 3].map(writer);
    // Kill once a good number of batches went through, with requests certainly in flight.
    while (acked.length < 40) await new Promise((r) => setTimeout(r, 10));
    serve.proc.kill('SIGKILL');
    await new Promise((r) => serve!.proc.once('exit', r));
    stop = true;
    await Promise.all(writers);

    const ackedSteps = acked.flat();
    expect(ackedSteps.length).toBeGreaterThanOrEqual(4000);
    // Reopen the store as the next start would (WAL recovery) and read every point back.
    const core = createCore({ home: t.home });
    try {
      const stored = new Map(core.tracking.getMetricHistory(run.runId, 'loss').map((p) => [p.step, p.value]));
      const missing = ackedSteps.filter((s) => stored.get(s) !== s / 7);
      expect(missing).toEqual([]);
      // Batches are atomic: every stored step belongs to a whole batch of 100.
      const perBatch = new Map<number, number>();
      for (const s of stored.keys()) perBatch.set(Math.floor(s / 100), (perBatch.get(Math.floor(s / 100)) ?? 0) + 1);
      expect([...perBatch.values()].every((n) => n === 100)).toBe(true);
      expect(core.tracking.getRun(run.runId).metrics[0]!.key).toBe('loss');
      expect(core.db.pragma('integrity_check', { simple: true })).toBe('ok');
    } finally {
      core.dispose();
    }
  });

  it('SIGTERM shuts down cleanly: exit code 0 and the WAL checkpointed into lathe.db', async () => {
    const t = tempHome();
    cleanup = t.cleanup;
    serve = await startServe(t.home);
    const api = httpClient(serve.url, serve.token);
    await api.experiments.create({ name: 'clean' });
    expect(await serve.stop()).toBe(0);
    expect(serve.output()).toContain('SIGTERM: shutting down');
    const fs = await import('node:fs');
    const wal = `${t.home}/lathe.db-wal`;
    expect(!fs.existsSync(wal) || fs.statSync(wal).size === 0).toBe(true);
  });

  it('a second lathe serve on the same data directory is refused, naming the first', async () => {
    const t = tempHome();
    cleanup = t.cleanup;
    serve = await startServe(t.home);
    const second = await startServe(t.home).then(
      () => 'started',
      (err: Error) => err.message,
    );
    expect(second).toContain(`Lathe is already serving ${t.home} at ${serve.url}`);
    expect(await serve.stop()).toBe(0);
  });
});
