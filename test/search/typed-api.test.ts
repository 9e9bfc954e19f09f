import net from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORPCError } from '@orpc/client';
import { startTestServer, type TestServer } from '../helpers/lathe-test-server';

/**
 * runs.search, runs.keys and metrics.chart over the typed API (HTTP transport, Infinity-
 * preserving serializer), and the MLflow server's small answers going out in one write.
 */

let t: TestServer;
let experimentId = '';
const runIds: string[] = [];

beforeAll(async () => {
  t = await startTestServer();
  experimentId = (await t.client.experiments.create({ name: 'typed' })).experimentId;
  for (let i = 0; i < 5; i++) {
    const run = await t.client.runs.create({ experimentId, name: `r${i}`, startTime: 1000 + i });
    runIds.push(run.runId);
    await t.client.runs.logBatch({ runId: run.runId, params: [{ key: 'lr', value: String(0.1 * (i + 1)) }, { key: 'opt', value: i % 2 ? 'sgd' : 'adam' }] });
    await t.client.runs.logBatch({
      runId: run.runId,
      metrics: Array.from({ length: 1000 }, (_, s) => ({ key: 'loss', value: s === 500 && i === 0 ? Number.POSITIVE_INFINITY : s === 501 && i === 0 ? Number.NaN : 1 / (s + 1 + i), step: s, timestamp: 10_000 + s * 10 })),
    });
  }
}, 60_000);
afterAll(async () => {
  await t?.close();
});

describe('runs.search', () => {
  it('filters, orders, pages and narrows columns, with the total', async () => {
    const first = await t.client.runs.search({ experimentIds: [experimentId], filter: "params.opt = 'adam'", orderBy: ['metrics.loss DESC'], limit: 2, columns: { params: ['lr'], metrics: ['loss'], tags: [] } });
    expect(first.total).toBe(3);
    expect(first.runs.map((r) => r.info.name)).toEqual(['r0', 'r2']);
    expect(first.runs[0]!.params).toEqual({ lr: '0.1' });
    expect(first.runs[0]!.tags).toEqual({});
    expect(first.nextPageToken).toBeTypeOf('string');
    const second = await t.client.runs.search({ experimentIds: [experimentId], filter: "params.opt = 'adam'", orderBy: ['metrics.loss DESC'], limit: 2, pageToken: first.nextPageToken! });
    expect(second.runs.map((r) => r.info.name)).toEqual(['r4']);
    expect(second.nextPageToken).toBeNull();
  });

  it('answers a bad filter with INVALID_PARAMETER_VALUE naming the position', async () => {
    const err = await t.client.runs.search({ filter: 'metrics.loss > 1 AND AND x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ORPCError);
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400, message: expect.stringContaining("Invalid filter at position 22 near 'AND x'") });
    expect((err as ORPCError<string, unknown>).data).toMatchObject({ position: 22, token: 'AND' });
  });

  it('lists the keys for a column picker', async () => {
    expect(await t.client.runs.keys({ experimentIds: [experimentId] })).toEqual({ params: ['lr', 'opt'], metrics: ['loss'], tags: ['mlflow.runName'] });
  });
});

describe('metrics.chart', () => {
  it('buckets several runs alike and keeps ±Infinity and NaN across the transport', async () => {
    const chart = await t.client.metrics.chart({ runIds, key: 'loss', buckets: 10 });
    expect(chart).toMatchObject({ key: 'loss', xAxis: 'step', x0: 0, bucketWidth: 128, bucketCount: 8 });
    expect(chart.series).toHaveLength(5);
    const [r0] = chart.series;
    expect(r0).toMatchObject({ total: 1000, max: Number.POSITIVE_INFINITY, xFirst: 0, xLast: 999 });
    const spike = r0!.buckets.find((b) => b.i === 3)!;
    expect(spike).toMatchObject({ n: 128, nans: 1, max: Number.POSITIVE_INFINITY });
    const wall = await t.client.metrics.chart({ runIds: runIds.slice(0, 1), key: 'loss', xAxis: 'relative', buckets: 4, xMin: 0, xMax: 9990 });
    expect(wall.series[0]!.buckets.map((b) => b.n)).toEqual([250, 250, 250, 250]);
    const err = await t.client.metrics.chart({ runIds: ['nope'], key: 'loss' }).catch((e: unknown) => e);
    expect(err).toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
  });
});

describe('the MLflow API on the wire', () => {
  it('answers a small runs/search in one write (headers and body together), Nagle off', async () => {
    const body = JSON.stringify({ experiment_ids: [experimentId], filter: "attributes.run_name = 'r1'", max_results: 1 });
    const socket = net.connect(t.server.main.port, '127.0.0.1');
    await new Promise((r) => socket.once('connect', r));
    const chunks: Buffer[] = [];
    const done = new Promise<void>((resolve) => {
      socket.on('data', (c: Buffer) => {
        chunks.push(c);
        const text = Buffer.concat(chunks).toString();
        const length = Number(/content-length: (\d+)/i.exec(text)?.[1] ?? NaN);
        const head = text.indexOf('\r\n\r\n');
        if (head >= 0 && Buffer.byteLength(text) - head - 4 >= length) resolve();
      });
    });
    socket.write(`POST /api/2.0/mlflow/runs/search HTTP/1.1\r\nHost: 127.0.0.1:${t.server.main.port}\r\nAuthorization: Bearer ${t.token}\r\nContent-Type: application/json\r\nContent-Length: ${body.length}\r\n\r\n${body}`);
    await done;
    socket.destroy();
    expect(chunks).toHaveLength(1);
    expect(chunks[0]!.toString()).toMatch(/^HTTP\/1\.1 200 OK\r\n[\s\S]*"run_name":"r1"/);
  });
});
