import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';

let srv: MlflowTestServer;
let expId: string;
let ownRun: string;
let otherRun: string;
let runToken: string;

const T = '/api/2.0/mlflow';
const A = '/api/2.0/mlflow-artifacts/artifacts';

function code(json: unknown): string | undefined {
  return (json as { error_code?: string } | undefined)?.error_code;
}

beforeAll(async () => {
  srv = await startMlflowTestServer();
  expId = srv.core.tracking.createExperiment('auth').experimentId;
  ownRun = srv.core.tracking.createRun({ experimentId: expId, name: 'own' }).runId;
  otherRun = srv.core.tracking.createRun({ experimentId: expId, name: 'other' }).runId;
  runToken = srv.core.runTokens.issue(ownRun);
});
afterAll(async () => {
  await srv?.close();
});

describe('authentication', () => {
  it('refuses requests without a token, or with an unknown one, with 401 UNAUTHENTICATED', async () => {
    for (const token of [null, 'nope', `lrt_${'x'.repeat(43)}`]) {
      const res = await srv.request(`${T}/experiments/get`, { query: { experiment_id: '0' }, token });
      expect([res.status, code(res.json)], String(token)).toEqual([401, 'UNAUTHENTICATED']);
      expect(res.headers['www-authenticate']).toContain('Bearer');
    }
    const put = await srv.request(`${A}/${expId}/${ownRun}/artifacts/x.txt`, { method: 'PUT', raw: 'x', token: null });
    expect(put.status).toBe(401);
    expect((await srv.core.artifacts.list(ownRun)).length).toBe(0);
    // Unknown routes too: nothing under /api/ answers without a token.
    expect((await srv.request('/api/2.0/mlflow/nope', { token: null })).status).toBe(401);
  });

  it('accepts the install token as Bearer and as the Basic password (MLFLOW_TRACKING_PASSWORD)', async () => {
    const basic = Buffer.from(`anyone:${srv.token}`).toString('base64');
    const res = await srv.request(`${T}/experiments/get`, { query: { experiment_id: '0' }, token: null, headers: { authorization: `Basic ${basic}` } });
    expect(res.status).toBe(200);
    const wrong = Buffer.from('anyone:wrong').toString('base64');
    expect((await srv.request(`${T}/experiments/get`, { query: { experiment_id: '0' }, token: null, headers: { authorization: `Basic ${wrong}` } })).status).toBe(401);
  });

  it('answers /version and /health without a token', async () => {
    const v = await srv.request('/version', { token: null });
    expect(v.status).toBe(200);
    expect(v.text.length).toBeGreaterThan(0);
    const h = await srv.request('/health', { token: null });
    expect([h.status, h.text]).toEqual([200, 'OK']);
  });
});

describe('per-run tokens', () => {
  it('write to their own run: log-metric, log-parameter, set-tag, log-batch, runs/update, artifact upload', async () => {
    const ok = async (path: string, body: unknown) => {
      const res = await srv.request(`${T}/${path}`, { body, token: runToken });
      expect(res.status, `${path} ${res.text}`).toBe(200);
    };
    await ok('runs/log-metric', { run_id: ownRun, key: 'loss', value: 0.5, timestamp: 1, step: 1 });
    await ok('runs/log-parameter', { run_id: ownRun, key: 'lr', value: '0.1' });
    await ok('runs/set-tag', { run_id: ownRun, key: 'k', value: 'v' });
    await ok('runs/log-batch', { run_id: ownRun, metrics: [{ key: 'acc', value: 'NaN', timestamp: 2, step: 0 }] });
    await ok('runs/update', { run_id: ownRun, status: 'RUNNING' });
    const put = await srv.request(`${A}/${expId}/${ownRun}/artifacts/model/weights.bin`, { method: 'PUT', raw: Buffer.from([1, 2, 3]), token: runToken });
    expect(put.status).toBe(200);
    const run = srv.core.tracking.getRun(ownRun);
    expect(run.params).toEqual({ lr: '0.1' });
    expect(run.tags.k).toBe('v');
    expect((await srv.core.artifacts.list(ownRun, 'model'))[0]).toMatchObject({ path: 'weights.bin', fileSize: 3 });
  });

  it('read anything: another run, experiments, history, artifact lists and files', async () => {
    srv.core.tracking.logBatch(otherRun, { metrics: [{ key: 'm', value: 1, timestamp: 5, step: 0 }] });
    await srv.core.artifacts.write(otherRun, 'a.txt', 'other');
    const reads = [
      await srv.request(`${T}/runs/get`, { query: { run_id: otherRun }, token: runToken }),
      await srv.request(`${T}/experiments/get`, { query: { experiment_id: expId }, token: runToken }),
      await srv.request(`${T}/experiments/get-by-name`, { query: { experiment_name: 'auth' }, token: runToken }),
      await srv.request(`${T}/metrics/get-history`, { query: { run_id: otherRun, metric_key: 'm' }, token: runToken }),
      await srv.request(A, { query: { path: `${expId}/${otherRun}/artifacts` }, token: runToken }),
      await srv.request(`${A}/${expId}/${otherRun}/artifacts/a.txt`, { token: runToken }),
    ];
    expect(reads.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(reads[5]!.text).toBe('other');
  });

  it('may not write to another run, create experiments or runs, or upload elsewhere: 403 PERMISSION_DENIED', async () => {
    const denied = [
      await srv.request(`${T}/runs/log-metric`, { body: { run_id: otherRun, key: 'x', value: 1, timestamp: 1 }, token: runToken }),
      await srv.request(`${T}/runs/log-parameter`, { body: { run_id: otherRun, key: 'x', value: '1' }, token: runToken }),
      await srv.request(`${T}/runs/set-tag`, { body: { run_uuid: otherRun, key: 'x', value: '1' }, token: runToken }),
      await srv.request(`${T}/runs/log-batch`, { body: { run_id: otherRun, params: [{ key: 'x', value: '1' }] }, token: runToken }),
      await srv.request(`${T}/runs/update`, { body: { run_id: otherRun, status: 'KILLED' }, token: runToken }),
      await srv.request(`${T}/runs/delete`, { body: { run_id: otherRun }, token: runToken }),
      await srv.request(`${T}/runs/delete-tag`, { body: { run_id: otherRun, key: 'mlflow.runName' }, token: runToken }),
      await srv.request(`${T}/experiments/create`, { body: { name: 'sneaky' }, token: runToken }),
      await srv.request(`${T}/runs/create`, { body: { experiment_id: expId }, token: runToken }),
      await srv.request(`${A}/${expId}/${otherRun}/artifacts/planted.txt`, { method: 'PUT', raw: 'x', token: runToken }),
      await srv.request(`${A}/${expId}/${ownRun}/planted.txt`, { method: 'PUT', raw: 'x', token: runToken }),
      await srv.request(`${A}/${expId}/models/m-1/artifacts/MLmodel`, { method: 'PUT', raw: 'x', token: runToken }),
    ];
    expect(denied.map((r) => [r.status, code(r.json)])).toEqual(denied.map(() => [403, 'PERMISSION_DENIED']));
    const other = srv.core.tracking.getRun(otherRun);
    expect(other.params).toEqual({});
    expect(other.info.status).toBe('RUNNING');
    expect((await srv.core.artifacts.list(otherRun)).map((f) => f.path)).toEqual(['a.txt']);
    expect(() => srv.core.tracking.getExperimentByName('sneaky')).toThrow();
  });

  it('stop working once revoked', async () => {
    srv.core.runTokens.revoke(ownRun);
    const res = await srv.request(`${T}/runs/log-metric`, { body: { run_id: ownRun, key: 'x', value: 1, timestamp: 1 }, token: runToken });
    expect([res.status, code(res.json)]).toEqual([401, 'UNAUTHENTICATED']);
  });
});
