import http from 'node:http';
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';

/** Behaviour of the MLflow routes beyond the recorded edge cases. */

let srv: MlflowTestServer;
const T = '/api/2.0/mlflow';
const A = '/api/2.0/mlflow-artifacts/artifacts';

function json<T = Record<string, unknown>>(res: { json: unknown }): T {
  return res.json as T;
}

beforeAll(async () => {
  srv = await startMlflowTestServer();
});
afterAll(async () => {
  await srv?.close();
});

describe('transport', () => {
  it('unknown routes anywhere under /api/ are 404 ENDPOINT_NOT_FOUND JSON (traces v3 falls back)', async () => {
    for (const p of ['/api/3.0/mlflow/traces', '/api/2.0/mlflow/runs/nope', '/api/2.0/preview/mlflow/x', '/api/2.0/mlflow-artifacts/presigned/1/x']) {
      const res = await srv.request(p, { method: 'POST', body: {} });
      expect([res.status, json(res).error_code], p).toEqual([404, 'ENDPOINT_NOT_FOUND']);
    }
  });

  it('multipart uploads are 501 NOT_IMPLEMENTED with the message on which the client falls back to one PUT', async () => {
    for (const action of ['create', 'complete', 'abort']) {
      const res = await srv.request(`/api/2.0/mlflow-artifacts/mpu/${action}/1/x/big.bin`, { method: 'POST', body: { path: 'big.bin', num_parts: 3 } });
      expect([res.status, json(res).error_code, json(res).message]).toEqual([501, 'NOT_IMPLEMENTED', 'Multipart upload is not supported for the current artifact repository']);
    }
  });

  it('a wrong method is 405 with Allow', async () => {
    const res = await srv.request(`${T}/runs/get`, { method: 'POST', body: {} });
    expect(res.status).toBe(405);
    expect(res.headers.allow).toBe('GET');
    expect((await srv.request(`${A}/1/x`, { method: 'POST', raw: 'x' })).status).toBe(405);
  });

  it('accepts application/json with parameters; refuses other types; empty bodies are {}', async () => {
    const ok = await srv.request(`${T}/experiments/create`, { raw: JSON.stringify({ name: 'ct' }), headers: { 'content-type': 'application/json; charset=utf-8' } });
    expect(ok.status).toBe(200);
    const form = await srv.request(`${T}/experiments/create`, { raw: 'name=x', headers: { 'content-type': 'application/x-www-form-urlencoded' } });
    expect([form.status, json(form).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const empty = await srv.request(`${T}/experiments/create`, { method: 'POST', raw: '' });
    expect([empty.status, json(empty).message]).toEqual([400, expect.stringContaining("'name'")]);
    const notObject = await srv.request(`${T}/experiments/create`, { body: [1, 2] });
    expect(notObject.status).toBe(400);
  });

  it('takes int64 fields as numbers or numeric strings and refuses others', async () => {
    const exp = json<{ experiment_id: string }>(await srv.request(`${T}/experiments/create`, { body: { name: 'ints' } })).experiment_id;
    const run = json<{ run: { info: { run_id: string; start_time: number } } }>(
      await srv.request(`${T}/runs/create`, { body: { experiment_id: exp, start_time: '1700000000000' } }),
    ).run.info;
    expect(run.start_time).toBe(1700000000000);
    const bad = await srv.request(`${T}/runs/log-metric`, { body: { run_id: run.run_id, key: 'k', value: 1, timestamp: 'soon' } });
    expect([bad.status, json(bad).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const okStep = await srv.request(`${T}/runs/log-metric`, { body: { run_id: run.run_id, key: 'k', value: 1, timestamp: 5, step: '7' } });
    expect(okStep.status).toBe(200);
  });
});

describe('experiments', () => {
  it('search lists with view_type, filter subset, order_by and page tokens', async () => {
    for (const n of ['s-a', 's-b', 's-c']) await srv.request(`${T}/experiments/create`, { body: { name: n, tags: [{ key: 'team', value: n === 's-c' ? 'y' : 'x' }] } });
    const byName = json<{ experiments: Array<{ name: string }> }>(await srv.request(`${T}/experiments/search`, { body: { filter: "name LIKE 's-%'", order_by: ['name DESC'], max_results: 1000 } }));
    expect(byName.experiments.map((e) => e.name)).toEqual(['s-c', 's-b', 's-a']);
    const byTag = json<{ experiments: Array<{ name: string }> }>(
      await srv.request(`${T}/experiments/search`, { query: { filter: "tags.`team` = 'x' and name != 's-a'", view_type: 'ACTIVE_ONLY' } }),
    );
    expect(byTag.experiments.map((e) => e.name)).toEqual(['s-b']);
    const p1 = json<{ experiments: unknown[]; next_page_token: string }>(await srv.request(`${T}/experiments/search`, { body: { filter: "name LIKE 's-%'", max_results: 2 } }));
    expect(p1.experiments).toHaveLength(2);
    const p2 = json<{ experiments: unknown[]; next_page_token?: string }>(
      await srv.request(`${T}/experiments/search`, { body: { filter: "name LIKE 's-%'", max_results: 2, page_token: p1.next_page_token } }),
    );
    expect(p2.experiments).toHaveLength(1);
    expect(p2.next_page_token).toBeUndefined();
    const none = await srv.request(`${T}/experiments/search`, { body: { filter: "name = 'zzz'" } });
    expect(none.json).toEqual({});
    for (const filter of ['metrics.x > 1', "name ~ 'x'", "name = 's' OR name = 't'", 'name =']) {
      const res = await srv.request(`${T}/experiments/search`, { body: { filter } });
      expect([res.status, json(res).error_code], filter).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    }
    expect((await srv.request(`${T}/experiments/search`, { body: { page_token: 'garbage' } })).status).toBe(400);
  });
});

describe('runs', () => {
  let exp: string;
  beforeAll(async () => {
    exp = json<{ experiment_id: string }>(await srv.request(`${T}/experiments/create`, { body: { name: 'runs' } })).experiment_id;
  });

  it('refuses run_name and mlflow.runName that disagree; generates a name when both are absent', async () => {
    const bad = await srv.request(`${T}/runs/create`, { body: { experiment_id: exp, run_name: 'a', tags: [{ key: 'mlflow.runName', value: 'b' }] } });
    expect([bad.status, json(bad).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const gen = json<{ run: { info: { run_name: string }; data: { tags: Array<{ key: string; value: string }> } } }>(
      await srv.request(`${T}/runs/create`, { body: { experiment_id: exp } }),
    ).run;
    expect(gen.info.run_name).toMatch(/\w+-\w+-\d+/);
    expect(gen.data.tags).toContainEqual({ key: 'mlflow.runName', value: gen.info.run_name });
  });

  it('reports Lathe’s QUEUED as SCHEDULED and sends both run_id and run_uuid', async () => {
    const info = srv.core.tracking.createRun({ experimentId: exp, name: 'queued', status: 'QUEUED' });
    const got = json<{ run: { info: Record<string, unknown> } }>(await srv.request(`${T}/runs/get`, { query: { run_uuid: info.runId } })).run.info;
    expect(got).toMatchObject({ status: 'SCHEDULED', run_id: info.runId, run_uuid: info.runId });
    expect(got.end_time).toBeUndefined();
  });

  it('delete, restore and delete-tag', async () => {
    const id = srv.core.tracking.createRun({ experimentId: exp, name: 'd', tags: [{ key: 'x', value: '1' }] }).runId;
    expect((await srv.request(`${T}/runs/delete-tag`, { body: { run_id: id, key: 'x' } })).status).toBe(200);
    expect(srv.core.tracking.getRun(id).tags.x).toBeUndefined();
    expect((await srv.request(`${T}/runs/delete-tag`, { body: { run_id: id, key: 'x' } })).status).toBe(404);
    expect((await srv.request(`${T}/runs/delete`, { body: { run_id: id } })).status).toBe(200);
    const logged = await srv.request(`${T}/runs/log-metric`, { body: { run_id: id, key: 'k', value: 1, timestamp: 1 } });
    expect([logged.status, json(logged).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await srv.request(`${T}/runs/restore`, { body: { run_id: id } })).status).toBe(200);
    expect(srv.core.tracking.getRunInfo(id).lifecycleStage).toBe('active');
  });
});

describe('artifacts', () => {
  let run: { runId: string; experimentId: string };
  let prefix: string;
  beforeAll(async () => {
    run = srv.core.tracking.createRun({ experimentId: '0', name: 'art' });
    prefix = `${A}/${run.experimentId}/${run.runId}/artifacts`;
  });

  it('uploads, lists (names relative to the folder, sorted) and downloads with length and safe headers', async () => {
    expect((await srv.request(`${prefix}/b.html`, { method: 'PUT', raw: '<script>1</script>', headers: { 'content-type': 'text/html' } })).status).toBe(200);
    expect((await srv.request(`${prefix}/dir/x%20y.txt`, { method: 'PUT', raw: 'spaced' })).status).toBe(200);
    expect((await srv.request(`${prefix}/empty.bin`, { method: 'PUT', raw: '' })).status).toBe(200);
    const list = json<{ files: unknown[] }>(await srv.request(A, { query: { path: `${run.experimentId}/${run.runId}/artifacts` } }));
    expect(list.files).toEqual([
      { path: 'b.html', is_dir: false, file_size: 18 },
      { path: 'dir', is_dir: true },
      { path: 'empty.bin', is_dir: false, file_size: 0 },
    ]);
    const html = await srv.request(`${prefix}/b.html`);
    expect(html.headers['content-type']).toBe('application/octet-stream');
    expect(html.headers['content-disposition']).toContain('attachment');
    expect(html.headers['x-content-type-options']).toBe('nosniff');
    expect(html.headers['content-length']).toBe('18');
    const spaced = await srv.request(`${prefix}/dir/x%20y.txt`);
    expect([spaced.text, spaced.headers['content-type']]).toEqual(['spaced', 'text/plain; charset=utf-8']);
    const empty = await srv.request(`${prefix}/empty.bin`);
    expect([empty.status, empty.body.length]).toEqual([200, 0]);
    const tracking = json<{ root_uri: string; files: Array<{ path: string }> }>(await srv.request(`${T}/artifacts/list`, { query: { run_id: run.runId, path: 'dir' } }));
    expect(tracking.root_uri).toBe(`mlflow-artifacts:/${run.experimentId}/${run.runId}/artifacts`);
    expect(tracking.files.map((f) => f.path)).toEqual(['dir/x y.txt']);
  });

  it('replaces a file atomically and a folder is not a file (404 on GET, 400 on PUT over it)', async () => {
    await srv.request(`${prefix}/same.txt`, { method: 'PUT', raw: 'one' });
    await srv.request(`${prefix}/same.txt`, { method: 'PUT', raw: 'two' });
    expect((await srv.request(`${prefix}/same.txt`)).text).toBe('two');
    expect((await srv.request(`${prefix}/dir`)).status).toBe(404);
    expect((await srv.request(`${prefix}/dir`, { method: 'PUT', raw: 'x' })).status).toBe(400);
  });

  it('an upload cut short leaves no file and no temp file behind', async () => {
    const dir = path.join(srv.core.paths.artifacts, run.experimentId, run.runId, 'artifacts');
    const leftovers = () => (fs.existsSync(dir) ? fs.readdirSync(dir).filter((n) => n.includes('partial') || n.startsWith('.lathe-upload-')) : []);
    const req = http.request({
      host: '127.0.0.1',
      port: srv.server.port,
      method: 'PUT',
      path: `${prefix}/partial.bin`,
      headers: { authorization: `Bearer ${srv.token}`, 'content-length': '1000000' },
    });
    req.on('error', () => {});
    req.write(Buffer.alloc(1000, 1));
    // Cut the upload only once the server is writing it (its temp file exists), not after a
    // guessed delay; then the server, not the clock, decides when the temp file is gone.
    await expect.poll(leftovers).toEqual([expect.stringMatching(/^\.lathe-upload-/)]);
    req.destroy();
    await expect.poll(leftovers).toEqual([]);
  });
});
