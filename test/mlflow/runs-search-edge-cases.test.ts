import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';

/**
 * The real MLflow 3.5.1 server's runs/search and metric-history edge cases
 * (test/fixtures/mlflow/edge-cases-real-server-3.5.1.json) against Lathe: same status and
 * error_code, and messages at least as helpful. Then the routes' own edges: GET with
 * repeated query fields, view types, bulk-interval sampling, keyset history pages.
 */

interface EdgeCase {
  case: string;
  method: string;
  request: { path: string; params: Record<string, string> | null; body: Record<string, unknown> | null };
  status: number;
  error_code: string | null;
  message: string | null;
}

const CASES: EdgeCase[] = (JSON.parse(fs.readFileSync(path.join(__dirname, '../fixtures/mlflow/edge-cases-real-server-3.5.1.json'), 'utf8')).results as EdgeCase[]).filter(
  (c) => c.case.startsWith('runs/search') || c.case.startsWith('metrics/get-history'),
);
const T = '/api/2.0/mlflow';

let srv: MlflowTestServer;
const ids = { experimentId: '', runId: '', deletedRunId: '' };

function substitute(v: unknown): unknown {
  if (typeof v === 'string') return v.replaceAll('{experiment_id}', ids.experimentId).replaceAll('{run_id}', ids.runId);
  if (Array.isArray(v)) return v.map(substitute);
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, substitute(x)]));
  return v;
}

const json = <T>(r: { status: number; json: unknown; text: string }): T => {
  if (r.status !== 200) throw new Error(`${r.status} ${r.text}`);
  return r.json as T;
};

beforeAll(async () => {
  srv = await startMlflowTestServer();
  const exp = await srv.request(`${T}/experiments/create`, { body: { name: 'probe' } });
  ids.experimentId = (exp.json as { experiment_id: string }).experiment_id;
  const mk = async (name: string, start: number) => (json<{ run: { info: { run_id: string } } }>(await srv.request(`${T}/runs/create`, { body: { experiment_id: ids.experimentId, run_name: name, start_time: start } })).run.info.run_id);
  ids.runId = await mk('probe-run', 1000);
  ids.deletedRunId = await mk('doomed', 2000);
  await srv.request(`${T}/runs/delete`, { body: { run_id: ids.deletedRunId } });
});
afterAll(async () => {
  await srv?.close();
});

describe('the real server’s edge cases', () => {
  it('covers the six recorded cases', () => {
    expect(CASES.map((c) => c.case)).toEqual([
      'runs/search bad filter',
      'runs/search max_results 50001',
      'runs/search bad page_token',
      'runs/search no experiment_ids',
      'metrics/get-history unknown key',
      'metrics/get-history no metric_key',
    ]);
  });

  it.each(CASES.map((c) => [c.case, c] as const))('%s: same status and error_code', async (_name, c) => {
    const req = substitute(c.request) as EdgeCase['request'];
    const res = await srv.request(req.path, { method: c.method, query: req.params ?? undefined, body: req.body ?? undefined });
    expect({ status: res.status, error_code: (res.json as { error_code?: string }).error_code ?? null }).toEqual({ status: c.status, error_code: c.error_code });
    if (c.status === 200) expect(res.json).toEqual({});
  });

  it('explains a bad filter with its position and token, more precisely than the real server', async () => {
    const res = await srv.request(`${T}/runs/search`, { body: { experiment_ids: [ids.experimentId], filter: 'metrics.x <<< 1' } });
    expect(res.json).toEqual({
      error_code: 'INVALID_PARAMETER_VALUE',
      message: "Invalid filter at position 11 near '<<< 1': invalid comparator '<<<' not one of =, !=, <, <=, >, >=",
    });
    const page = await srv.request(`${T}/runs/search`, { body: { experiment_ids: [ids.experimentId], page_token: 'garbage' } });
    expect((page.json as { message: string }).message).toMatch(/^Invalid page token/);
    const max = await srv.request(`${T}/runs/search`, { body: { experiment_ids: [ids.experimentId], max_results: 50001 } });
    expect((max.json as { message: string }).message).toMatch(/^Invalid value 50001 for parameter 'max_results' supplied/);
  });
});

describe('runs/search', () => {
  it('takes GET with repeated query fields, view types by name or number', async () => {
    type Page = { runs?: Array<{ info: { run_name: string; lifecycle_stage: string } }> };
    const get = json<Page>(await srv.request(`${T}/runs/search`, { query: { experiment_ids: ids.experimentId, order_by: ['attributes.start_time ASC'], run_view_type: 'ALL' } }));
    expect(get.runs!.map((r) => r.info.run_name)).toEqual(['probe-run', 'doomed']);
    const deleted = json<Page>(await srv.request(`${T}/runs/search`, { body: { experiment_ids: [Number(ids.experimentId)], run_view_type: 2 } }));
    expect(deleted.runs!.map((r) => [r.info.run_name, r.info.lifecycle_stage])).toEqual([['doomed', 'deleted']]);
    expect((await srv.request(`${T}/runs/search`, { body: { experiment_ids: [ids.experimentId], run_view_type: 'SOME' } })).status).toBe(400);
    const bad = await srv.request(`${T}/runs/search`, { body: { experiment_ids: [ids.experimentId], order_by: ['metrics.x SIDEWAYS'] } });
    expect(bad.json).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('Invalid order_by at position 11') });
  });

  it('sends each run as runs/get does, without outputs', async () => {
    await srv.request(`${T}/runs/log-batch`, { body: { run_id: ids.runId, metrics: [{ key: 'm', value: 'NaN', timestamp: 5, step: 1 }], params: [{ key: 'p', value: 'v' }] } });
    const search = json<{ runs: Array<Record<string, unknown>> }>(await srv.request(`${T}/runs/search`, { body: { experiment_ids: [ids.experimentId], filter: "params.p = 'v'" } }));
    const got = json<{ run: Record<string, unknown> }>(await srv.request(`${T}/runs/get`, { query: { run_id: ids.runId } }));
    const { outputs: _outputs, ...withoutOutputs } = got.run;
    expect(search.runs).toEqual([withoutOutputs]);
  });
});

describe('metric history', () => {
  let runId = '';
  beforeAll(async () => {
    const exp = json<{ experiment_id: string }>(await srv.request(`${T}/experiments/create`, { body: { name: 'history' } }));
    runId = json<{ run: { info: { run_id: string } } }>(await srv.request(`${T}/runs/create`, { body: { experiment_id: exp.experiment_id } })).run.info.run_id;
    for (let start = 0; start < 3000; start += 1000) {
      const metrics = Array.from({ length: 1000 }, (_, j) => ({ key: 'loss', value: start + j === 1500 ? 'NaN' : (start + j) / 10, timestamp: 10_000 - (start + j), step: start + j }));
      expect((await srv.request(`${T}/runs/log-batch`, { body: { run_id: runId, metrics } })).status).toBe(200);
    }
  });

  it('pages by keyset in the real server’s order (timestamp first), with old offset tokens still accepted', async () => {
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = json<{ metrics?: Array<{ step: number }>; next_page_token?: string }>(
        await srv.request(`${T}/metrics/get-history`, { query: { run_id: runId, metric_key: 'loss', max_results: 700, page_token: token } }),
      );
      seen.push(...(page.metrics ?? []).map((m) => m.step));
      token = page.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(5);
    expect(seen).toEqual(Array.from({ length: 3000 }, (_, i) => 2999 - i));
    const legacy = json<{ metrics: Array<{ step: number }> }>(
      await srv.request(`${T}/metrics/get-history`, { query: { run_id: runId, metric_key: 'loss', max_results: 2, page_token: Buffer.from('{"offset": 10}').toString('base64') } }),
    );
    expect(legacy.metrics.map((m) => m.step)).toEqual([2989, 2988]);
    expect((await srv.request(`${T}/metrics/get-history`, { query: { run_id: runId, metric_key: 'loss', page_token: 'nope' } })).status).toBe(400);
  });

  it('samples get-history-bulk-interval as MLflow does, keeping each run’s first and last step', async () => {
    const res = json<{ metrics: Array<{ key: string; value: unknown; step: number; run_id: string }> }>(
      await srv.request(`${T}/metrics/get-history-bulk-interval`, { query: { run_ids: [runId], metric_key: 'loss', max_results: 100 } }),
    );
    const steps = res.metrics.map((m) => m.step);
    expect(steps).toHaveLength(101);
    expect(steps[0]).toBe(0);
    expect(steps.at(-1)).toBe(2999);
    expect(steps).toEqual([...steps].sort((a, b) => a - b));
    expect(res.metrics[1]).toEqual({ key: 'loss', value: 3, timestamp: 10_000 - 30, step: 30, run_id: runId });
    const ranged = json<{ metrics: Array<{ step: number; value: unknown }> }>(
      await srv.request(`${T}/metrics/get-history-bulk-interval`, { query: { run_ids: runId, metric_key: 'loss', start_step: 1499, end_step: 1501 } }),
    );
    expect(ranged.metrics.map((m) => [m.step, m.value])).toEqual([[1499, 149.9], [1500, 'NaN'], [1501, 150.1]]);
    const bad = async (query: Record<string, string | string[]>) => (await srv.request(`${T}/metrics/get-history-bulk-interval`, { query })).json;
    expect(await bad({ run_ids: runId, metric_key: 'loss', start_step: '5' })).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(await bad({ run_ids: runId, metric_key: 'loss', start_step: '5', end_step: '1' })).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(await bad({ run_ids: runId, metric_key: 'loss', max_results: '2501' })).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(await bad({ metric_key: 'loss' })).toMatchObject({ error_code: 'INVALID_PARAMETER_VALUE' });
    expect(await bad({ run_ids: '0'.repeat(32), metric_key: 'loss' })).toMatchObject({ error_code: 'RESOURCE_DOES_NOT_EXIST' });
    expect(await bad({ run_ids: runId, metric_key: 'nope' })).toEqual({});
  });
});
