import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';

/**
 * Replays the real MLflow 3.5.1 server's edge cases (test/fixtures/mlflow/
 * edge-cases-real-server-3.5.1.json, see its README) against Lathe and expects the same
 * status and error_code, except for the three deviations the README asks for.
 */

interface EdgeCase {
  case: string;
  method: string;
  request: { path: string; params: Record<string, unknown> | null; body: unknown; data: unknown; headers: Record<string, string> | null };
  status: number;
  error_code: string | null;
  message: string | null;
}

const FIXTURE = path.join(__dirname, '../fixtures/mlflow/edge-cases-real-server-3.5.1.json');
const CASES: EdgeCase[] = JSON.parse(fs.readFileSync(FIXTURE, 'utf8')).results;

/**
 * Cases whose route another part of issue #4 provides (runs/search, in
 * src/main/mlflow/runs-search-handler.ts). Empty this list once that handler is registered in
 * mlflow-routes.ts, and all 84 cases run.
 */
const AWAITING_OTHER_HANDLERS: string[] = [];

/** Where Lathe deliberately answers better than the real server (fixtures README). */
const DEVIATIONS: Record<string, { status: number; error_code: string | null }> = {
  // Re-logging an identical NaN point must succeed (the real server's duplicate check fails on NaN ≠ NaN).
  'log-metric same NaN point twice (2nd)': { status: 200, error_code: null },
  // A missing artifact is 404, not 500 (which makes the client retry for minutes).
  'mlflow-artifacts GET missing file': { status: 404, error_code: 'RESOURCE_DOES_NOT_EXIST' },
  // Any path leaving the artifact root is 400 and touches nothing outside it. The real server
  // also answers this one case with 400; the other escapes are in the describe block below.
  'mlflow-artifacts PUT path traversal': { status: 400, error_code: 'INVALID_PARAMETER_VALUE' },
};

/** The real server answers these with an HTML page; Lathe sends MLflow JSON errors the client understands. */
const HTML_ANSWERS: Record<string, { status: number; error_code: string }> = {
  'unknown endpoint': { status: 404, error_code: 'ENDPOINT_NOT_FOUND' },
  'wrong method (GET runs/create)': { status: 405, error_code: 'ENDPOINT_NOT_FOUND' },
};

let srv: MlflowTestServer;
const ids = { experimentId: '', runId: '', deletedRunId: '', suffix: Math.random().toString(16).slice(2, 10), nowMs: Date.now() };

/**
 * Puts the setup's values in place of the fixture's placeholders. The recorder replaced every
 * "1" with `{experiment_id}` (the probe experiment was 1), metric values and steps included, so
 * `{experiment_id}` becomes the real id only where it names an experiment, and "1" elsewhere.
 */
function substitute(value: unknown, field = '', caseName = ''): unknown {
  if (typeof value === 'string') {
    if (value === '{now_ms}') return caseName === 'log-metric timestamp as string' ? String(ids.nowMs) : ids.nowMs;
    const expId = field === 'experiment_id' || field === 'experiment_ids' ? ids.experimentId : '1';
    return value
      .replace(/(^|\/)1\/\{run_id\}/g, `$1${ids.experimentId}/{run_id}`)
      .replaceAll('{experiment_id}', expId)
      .replaceAll('{deleted_run_id}', ids.deletedRunId)
      .replaceAll('{run_id}', ids.runId)
      .replaceAll('{suffix}', ids.suffix)
      .replaceAll('{now_ms}', String(ids.nowMs));
  }
  if (Array.isArray(value)) return value.map((v) => substitute(v, field, caseName));
  if (value && typeof value === 'object') {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, substitute(v, k, caseName)]));
  }
  return value;
}

beforeAll(async () => {
  srv = await startMlflowTestServer();
  // The README's setup: one experiment probe-{suffix}, one run in it, a second run deleted.
  const exp = await srv.request('/api/2.0/mlflow/experiments/create', { body: { name: `probe-${ids.suffix}` } });
  ids.experimentId = (exp.json as { experiment_id: string }).experiment_id;
  const run = await srv.request('/api/2.0/mlflow/runs/create', { body: { experiment_id: ids.experimentId, start_time: ids.nowMs } });
  ids.runId = (run.json as { run: { info: { run_id: string } } }).run.info.run_id;
  const doomed = await srv.request('/api/2.0/mlflow/runs/create', { body: { experiment_id: ids.experimentId } });
  ids.deletedRunId = (doomed.json as { run: { info: { run_id: string } } }).run.info.run_id;
  expect((await srv.request('/api/2.0/mlflow/runs/delete', { body: { run_id: ids.deletedRunId } })).status).toBe(200);
});
afterAll(async () => {
  await srv?.close();
});

describe('real-server edge cases, replayed in order', () => {
  it('the fixture has the 84 cases the README describes, and every name listed here exists', () => {
    expect(CASES).toHaveLength(84);
    const names = new Set(CASES.map((c) => c.case));
    for (const n of [...AWAITING_OTHER_HANDLERS, ...Object.keys(DEVIATIONS), ...Object.keys(HTML_ANSWERS)]) expect(names.has(n), n).toBe(true);
  });

  if (AWAITING_OTHER_HANDLERS.length) it.todo(`run the cases ${AWAITING_OTHER_HANDLERS.join(', ')} once the runs/search handler is registered`);

  it('answers every case with the real status and error_code (or the documented better answer)', async () => {
    let replayed = 0;
    const mismatches: string[] = [];
    for (const c of CASES) {
      if (AWAITING_OTHER_HANDLERS.includes(c.case)) continue;
      const req = substitute(c.request, '', c.case) as EdgeCase['request'];
      let raw: Buffer | string | undefined;
      if (req.data && typeof req.data === 'object' && 'bytes_base64' in req.data) raw = Buffer.from((req.data as { bytes_base64: string }).bytes_base64, 'base64');
      else if (typeof req.data === 'string') raw = req.data;
      const res = await srv.request(req.path, {
        method: c.method,
        query: (req.params ?? undefined) as Record<string, string> | undefined,
        body: req.body ?? undefined,
        raw,
        headers: req.headers ?? undefined,
      });
      replayed++;
      const expected = DEVIATIONS[c.case] ?? HTML_ANSWERS[c.case] ?? { status: c.status, error_code: c.error_code };
      const got = { status: res.status, error_code: (res.json as { error_code?: string } | undefined)?.error_code ?? null };
      if (got.status !== expected.status || got.error_code !== expected.error_code) {
        mismatches.push(`${c.case}: expected ${JSON.stringify(expected)}, got ${JSON.stringify(got)} ${res.text.slice(0, 200)}`);
      }
      if (c.case === 'mlflow-artifacts GET file' || c.case === 'health') expect(res.text, c.case).toBe(c.message);
      const download = c.method === 'GET' && req.path.startsWith('/api/2.0/mlflow-artifacts/artifacts/') && res.status === 200;
      if (req.path.startsWith('/api/') && !download) expect(res.json, `${c.case}: JSON object body`).toBeTypeOf('object');
    }
    expect(mismatches).toEqual([]);
    expect(replayed).toBe(CASES.length - AWAITING_OTHER_HANDLERS.length);
  });

  it('left the stored data as the real server would (truncation, param kept, NaN stored once)', async () => {
    const run = await srv.core.tracking.getRun(ids.runId);
    expect(run.params.p).toBe('1');
    expect(run.params.p6000).toHaveLength(6000);
    expect(run.params.p6001).toHaveLength(6000);
    expect(run.params.p8001).toHaveLength(6000);
    expect(run.params.pnv).toBe('');
    expect(run.tags.t8000).toBe('short');
    expect(run.tags.t8001).toHaveLength(8000);
    expect(run.info.status).toBe('FINISHED');
    const nan = srv.core.tracking.getMetricHistory(ids.runId, 'nan');
    expect(nan).toHaveLength(1);
    expect(nan[0]!.value).toBeNaN();
    expect(srv.core.tracking.getMetricHistory(ids.runId, 'b1000')).toHaveLength(1000);
    expect(srv.core.tracking.getMetricHistory(ids.runId, 'b1001')).toHaveLength(0);
    expect(srv.core.tracking.getMetricHistory(ids.runId, 'negstep')[0]!.step).toBe(-5);
  });
});

describe('artifact paths never leave the artifact root (deviation 3)', () => {
  const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-outside-'));
  afterAll(() => fs.rmSync(outside, { recursive: true, force: true }));

  const escapes = [
    '..%2F..%2Fetc/x.txt',
    '../../x.txt',
    '%2e%2e/%2e%2e/x.txt',
    '%2E%2E%2F%2E%2E%2Fx.txt',
    '1/%2e%2e/%2e%2e/%2e%2e/x.txt',
    '%2Fetc%2Fpasswd',
    '/tmp/x.txt',
    '1/..\\..\\x.txt',
    '1/a%00b.txt',
    'C:%5Cwindows%5Cx.txt',
    '%ZZ',
  ];

  it.each(escapes)('PUT and GET %s → 400, nothing written', async (p) => {
    const before = fs.readdirSync(path.dirname(srv.core.paths.artifacts)).sort();
    const put = await srv.request(`/api/2.0/mlflow-artifacts/artifacts/${p}`, { method: 'PUT', raw: 'x', headers: { 'content-type': 'text/plain' } });
    expect([put.status, (put.json as { error_code?: string }).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const get = await srv.request(`/api/2.0/mlflow-artifacts/artifacts/${p}`);
    expect([get.status, (get.json as { error_code?: string }).error_code]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(fs.readdirSync(path.dirname(srv.core.paths.artifacts)).sort()).toEqual(before);
    expect(fs.existsSync('/x.txt') || fs.existsSync(path.join(os.tmpdir(), 'x.txt'))).toBe(false);
  });

  it('lists with ?path= outside the root are refused', async () => {
    for (const p of ['..', '../..', '/etc', '1/../..']) {
      const res = await srv.request('/api/2.0/mlflow-artifacts/artifacts', { query: { path: p } });
      expect(res.status, p).toBe(400);
    }
  });

  it('a symlink inside the root that points outside is neither followed for reading, listing nor writing', async () => {
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    const runDir = path.join(srv.core.paths.artifacts, ids.experimentId, ids.runId, 'artifacts');
    fs.mkdirSync(runDir, { recursive: true });
    fs.symlinkSync(outside, path.join(runDir, 'link'));
    fs.symlinkSync(path.join(outside, 'secret.txt'), path.join(runDir, 'secret-link.txt'));
    const prefix = `/api/2.0/mlflow-artifacts/artifacts/${ids.experimentId}/${ids.runId}/artifacts`;
    expect((await srv.request(`${prefix}/link/secret.txt`)).status).toBe(400);
    expect((await srv.request(`${prefix}/secret-link.txt`)).status).toBe(400);
    const put = await srv.request(`${prefix}/link/new/planted.txt`, { method: 'PUT', raw: 'x' });
    expect(put.status).toBe(400);
    expect(fs.existsSync(path.join(outside, 'new'))).toBe(false);
    const listed = await srv.request('/api/2.0/mlflow-artifacts/artifacts', { query: { path: `${ids.experimentId}/${ids.runId}/artifacts` } });
    const names = ((listed.json as { files?: Array<{ path: string }> }).files ?? []).map((f) => f.path);
    expect(names).not.toContain('link');
    expect(names).not.toContain('secret-link.txt');
    expect((await srv.request('/api/2.0/mlflow-artifacts/artifacts', { query: { path: `${ids.experimentId}/${ids.runId}/artifacts/link` } })).status).toBe(400);
  });
});
