import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, type TestServer } from './helpers/lathe-test-server';

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
}, 60_000);
afterAll(async () => t?.close());

describe('metrics.series for the run page', () => {
  it('reduces a 200,000-step series from block summaries, keeping its spikes and ends', async () => {
    const exp = t.core.tracking.createExperiment('series');
    const run = t.core.tracking.createRun({ experimentId: exp.experimentId });
    const n = 200_000;
    for (let start = 0; start < n; start += 1000) {
      t.core.tracking.logBatch(run.runId, {
        metrics: Array.from({ length: 1000 }, (_, j) => {
          const step = start + j;
          return { key: 'loss', value: step === 123_457 ? 1e6 : step === 77_777 ? -1e6 : Math.cos(step / 1000), step, timestamp: 1 + step };
        }),
      });
    }
    const s = await t.client.metrics.series({ runId: run.runId, key: 'loss', buckets: 500 });
    expect(s.total).toBe(n);
    expect(s.reduced).toBe(true);
    expect(s.points.length).toBeLessThanOrEqual(4 * 500);
    const values = s.points.map((p) => p[1]);
    expect(Math.max(...values)).toBe(1e6);
    expect(Math.min(...values)).toBe(-1e6);
    expect(s.points[0]![0]).toBe(0);
    expect(s.points.at(-1)![0]).toBe(n - 1);
    const steps = s.points.map((p) => p[0]);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    // A short series comes back whole, with its timestamps.
    t.core.tracking.logBatch(run.runId, { metrics: Array.from({ length: 100 }, (_, i) => ({ key: 'acc', value: i / 100, step: i, timestamp: 5000 + i })) });
    const short = await t.client.metrics.series({ runId: run.runId, key: 'acc', buckets: 500 });
    expect(short.reduced).toBe(false);
    expect(short.points).toHaveLength(100);
    expect(short.points[42]).toEqual([42, 0.42, 5042]);
  }, 120_000);
});
