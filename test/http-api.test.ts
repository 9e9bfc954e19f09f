import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ORPCError } from '@orpc/client';
import { createCore, type Core } from '../src/main/core/create-core';
import { loadOrCreateToken } from '../src/main/core/config';
import { startHttpServer, type RunningServer } from '../src/main/server/http-server';
import { tempHome } from './helpers/temp-home';
import { httpClient } from './helpers/api-client';
import type { ChangeEvent } from '../src/shared/api/types';

let core: Core;
let server: RunningServer;
let token: string;
let cleanup: () => void;

beforeAll(async () => {
  const t = tempHome();
  cleanup = t.cleanup;
  core = createCore({ home: t.home });
  token = loadOrCreateToken(t.home);
  server = await startHttpServer({ core, token, port: 0 });
});
afterAll(async () => {
  await server.close();
  core.dispose();
  cleanup();
});

/** A raw request, to control Host/Origin/Authorization headers exactly. */
function raw(path: string, opts: { method?: string; headers?: Record<string, string>; body?: unknown } = {}): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const data = opts.body === undefined ? undefined : JSON.stringify(opts.body);
    const req = http.request(
      { host: '127.0.0.1', port: server.port, path, method: opts.method ?? 'POST', headers: { 'content-type': 'application/json', ...opts.headers } },
      (res) => {
        let body = '';
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode!, body }));
      },
    );
    req.on('error', reject);
    req.end(data);
  });
}

describe('typed API over HTTP', () => {
  it('round-trips experiments, runs, params, tags and NaN/±Infinity metrics', async () => {
    const api = httpClient(server.url, token);
    const exp = await api.experiments.create({ name: 'http-exp' });
    const run = await api.runs.create({ experimentId: exp.experimentId, name: 'r' });
    await api.runs.logBatch({
      runId: run.runId,
      params: [{ key: 'lr', value: '0.1' }],
      tags: [{ key: 'team', value: 'a' }],
      metrics: [
        { key: 'nan', value: Number.NaN, step: 1, timestamp: 5 },
        { key: 'inf', value: Number.POSITIVE_INFINITY, step: 1, timestamp: 5 },
        { key: 'ninf', value: '-Infinity', step: 1, timestamp: 5 },
        { key: 'acc', value: 0.75, step: 2, timestamp: 6 },
      ],
    });
    const got = await api.runs.get({ runId: run.runId });
    expect(got.params).toEqual({ lr: '0.1' });
    expect(got.tags).toMatchObject({ team: 'a', 'mlflow.runName': 'r' });
    const m = Object.fromEntries(got.metrics.map((x) => [x.key, x.value]));
    expect(m.nan).toBeNaN();
    expect(m.inf).toBe(Number.POSITIVE_INFINITY);
    expect(m.ninf).toBe(Number.NEGATIVE_INFINITY);
    expect(m.acc).toBe(0.75);
    const series = await api.metrics.series({ runId: run.runId, key: 'inf' });
    expect(series.points).toEqual([[1, Number.POSITIVE_INFINITY, 5]]);
    const page = await api.runs.list({ experimentId: exp.experimentId });
    expect(page.total).toBe(1);
    expect((await api.system.info()).home).toBe(core.home);
  });

  it('invalid input becomes a typed 400 INVALID_PARAMETER_VALUE naming the field', async () => {
    const api = httpClient(server.url, token);
    const err = await api.runs.create({ experimentId: '', name: 'x' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(ORPCError);
    expect(err).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400, data: { field: 'experimentId' } });
    const res = await raw('/rpc/runs/list', { headers: { authorization: `Bearer ${token}` }, body: { json: { limit: 'ten' } } });
    expect(res.status).toBe(400);
    expect(JSON.parse(res.body).json).toMatchObject({ code: 'INVALID_PARAMETER_VALUE', data: { field: 'limit' } });
  });

  it('domain errors keep their MLflow code and status', async () => {
    const api = httpClient(server.url, token);
    await expect(api.runs.get({ runId: 'f'.repeat(32) })).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', status: 404 });
    await api.experiments.create({ name: 'twice' });
    await expect(api.experiments.create({ name: 'twice' })).rejects.toMatchObject({ code: 'RESOURCE_ALREADY_EXISTS', status: 400 });
    const exp = await api.experiments.getByName({ name: 'twice' });
    const run = await api.runs.create({ experimentId: exp.experimentId });
    await api.runs.logBatch({ runId: run.runId, params: [{ key: 'p', value: '1' }] });
    await expect(api.runs.logBatch({ runId: run.runId, params: [{ key: 'p', value: '2' }] })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE', status: 400, data: { key: 'p' } });
  });

  it('refuses requests without the token (401) and with a foreign Host or Origin (403)', async () => {
    await expect(httpClient(server.url, null).experiments.list()).rejects.toMatchObject({ status: 401 });
    await expect(httpClient(server.url, 'wrong').experiments.list()).rejects.toMatchObject({ status: 401 });
    const noToken = await raw('/rpc/experiments/list', { body: { json: {} } });
    expect(noToken.status).toBe(401);
    expect(JSON.parse(noToken.body)).toMatchObject({ code: 'UNAUTHENTICATED' });
    const rebound = await raw('/rpc/experiments/list', { headers: { host: `evil.example:${server.port}`, authorization: `Bearer ${token}` }, body: { json: {} } });
    expect(rebound.status).toBe(403);
    expect(JSON.parse(rebound.body)).toMatchObject({ code: 'PERMISSION_DENIED' });
    const crossOrigin = await raw('/rpc/experiments/list', { headers: { origin: 'http://evil.example', authorization: `Bearer ${token}` }, body: { json: {} } });
    expect(crossOrigin.status).toBe(403);
    const page = await raw('/', { method: 'GET', headers: { host: `attacker.test:${server.port}` } });
    expect(page.status).toBe(403);
    const ok = await raw('/rpc/experiments/list', { headers: { authorization: `Bearer ${token}`, origin: `http://127.0.0.1:${server.port}` }, body: { json: {} } });
    expect(ok.status).toBe(200);
  });

  it('refuses typed-API bodies over the limit with 413, declared or chunked, and keeps serving', async () => {
    const small = await startHttpServer({ core, token, port: 0, maxRpcBodyBytes: 1000 });
    try {
      const send = (chunked: boolean) =>
        new Promise<{ status: number; body: string }>((resolve, reject) => {
          const body = JSON.stringify({ json: { name: 'x'.repeat(5000) } });
          const headers: Record<string, string> = { 'content-type': 'application/json', authorization: `Bearer ${token}` };
          if (chunked) headers['transfer-encoding'] = 'chunked';
          else headers['content-length'] = String(Buffer.byteLength(body));
          const req = http.request({ host: '127.0.0.1', port: small.port, path: '/rpc/experiments/create', method: 'POST', headers }, (res) => {
            let text = '';
            res.on('data', (c) => (text += c));
            res.on('end', () => resolve({ status: res.statusCode!, body: text }));
          });
          req.on('error', reject);
          if (chunked) for (let i = 0; i < body.length; i += 500) req.write(body.slice(i, i + 500));
          req.end(chunked ? undefined : body);
        });
      const declared = await send(false);
      expect(declared.status).toBe(413);
      expect(JSON.parse(declared.body)).toEqual({ code: 'INVALID_PARAMETER_VALUE', message: 'Request body over 1000 bytes' });
      const chunked = await send(true);
      expect(chunked.status).toBe(413);
      expect(JSON.parse(chunked.body)).toMatchObject({ json: { code: 'PAYLOAD_TOO_LARGE', status: 413 } });
      // Nothing was created, and the server still answers.
      expect((await httpClient(small.url, token).experiments.list()).map((e) => e.name)).not.toContain('x'.repeat(5000));
    } finally {
      await small.close();
    }
  });

  it('unknown procedures get 404 ENDPOINT_NOT_FOUND', async () => {
    const res = await raw('/rpc/nope/nothing', { headers: { authorization: `Bearer ${token}` }, body: { json: {} } });
    expect(res.status).toBe(404);
  });

  it('streams change events over server-sent events', async () => {
    const api = httpClient(server.url, token);
    const controller = new AbortController();
    const stream = await api.events.subscribe(undefined, { signal: controller.signal });
    const received: ChangeEvent[] = [];
    const isProbe = (e: ChangeEvent) => e.datasetName === 'probe';
    let probed = false;
    const done = (async () => {
      for await (const e of stream) {
        if (isProbe(e)) probed = true;
        else received.push(e);
        if (received.some((x) => x.kind === 'metrics')) break;
      }
    })();
    // Write only once the subscription is live on the server: it delivered a probe event
    // (a fixed delay before writing loses the first events on a busy machine).
    await expect
      .poll(() => {
        if (!probed) core.bus.publish({ kind: 'dataset', datasetName: 'probe' });
        return probed;
      })
      .toBe(true);
    const exp = await api.experiments.create({ name: 'events' });
    const run = await api.runs.create({ experimentId: exp.experimentId });
    await api.runs.logBatch({ runId: run.runId, metrics: [{ key: 'm', value: 1 }] });
    await done;
    controller.abort();
    expect(received.map((e) => e.kind)).toEqual(['experiment', 'run', 'metrics']);
    expect(received[2]).toMatchObject({ runId: run.runId, experimentId: exp.experimentId });
  });
});
