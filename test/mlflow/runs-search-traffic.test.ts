import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';
import { TRAFFIC, bytesFromSummary, isSummarisedBytes, isTruncated, pythonJson, rebuildTruncatedBody, shapeOf, type Exchange } from './traffic-replay';

/**
 * The runs/search and metrics/get-history requests of the real mlflow 3.5.1 client
 * (test/fixtures/mlflow/real-client-3.5.1-traffic.jsonl), replayed in order after everything
 * the client sent before them, with the real server's ids mapped to Lathe's: same status, a
 * response of the same shape, and the same runs in the same order.
 */

const SEARCH_ROUTES = ['/api/2.0/mlflow/runs/search', '/api/2.0/mlflow/metrics/get-history'];
const LAST_CHECKED = Math.max(...TRAFFIC.filter((x) => SEARCH_ROUTES.includes(x.path)).map((x) => x.seq));

let srv: MlflowTestServer;
const runIds = new Map<string, string>();
const expIds = new Map<string, string>();
const checked: Array<{ x: Exchange; status: number; json: unknown }> = [];

function mapIds(v: unknown, field = ''): unknown {
  if (typeof v === 'string') {
    let s = v;
    for (const [real, ours] of runIds) s = s.replaceAll(real, ours);
    if ((field === 'experiment_id' || field === 'experiment_ids') && expIds.has(s)) return expIds.get(s);
    const m = /^(\d+)\/(.*)$/.exec(s);
    if (field === 'path' && m && expIds.has(m[1]!)) s = `${expIds.get(m[1]!)}/${m[2]}`;
    return s;
  }
  if (Array.isArray(v)) return v.map((e) => mapIds(e, field));
  if (v && typeof v === 'object') return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, mapIds(x, k)]));
  return v;
}

function mapPath(p: string): string {
  let s = p;
  for (const [real, ours] of runIds) s = s.replaceAll(real, ours);
  return s.replace(/^(\/api\/2\.0\/mlflow-artifacts\/artifacts\/)(\d+)\//, (all, pre: string, exp: string) => (expIds.has(exp) ? `${pre}${expIds.get(exp)}/` : all));
}

/** Run names in a (possibly truncated) response text, in order. */
function runNames(text: string): string[] {
  return [...text.replace(/\\"/g, '"').matchAll(/"run_name":\s*"([^"]+)"/g)].map((m) => m[1]!);
}

beforeAll(async () => {
  srv = await startMlflowTestServer();
  for (const x of TRAFFIC) {
    if (x.seq > LAST_CHECKED) break;
    const query = mapIds(Object.fromEntries(Object.entries(x.query).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])), '') as Record<string, string | string[]>;
    let raw: Buffer | undefined;
    const headers: Record<string, string> = { 'user-agent': x.req_headers['User-Agent'] ?? 'mlflow-python-client/3.5.1.dev0' };
    if (x.method === 'PUT') {
      if (isSummarisedBytes(x.req_body)) raw = bytesFromSummary(x.req_body);
      else {
        const text = pythonJson(x.req_body);
        raw = Buffer.from(text.padEnd(Number(x.req_headers['Content-Length'] ?? text.length), ' '));
      }
      headers['content-type'] = x.req_headers['Content-Type'] ?? 'application/octet-stream';
    } else if (x.req_body !== null && x.req_body !== undefined) {
      raw = Buffer.from(JSON.stringify(mapIds(isTruncated(x.req_body) ? rebuildTruncatedBody(x) : x.req_body), null, 2));
      headers['content-type'] = 'application/json';
    }
    const res = await srv.request(mapPath(x.path), { method: x.method, query, raw, headers });
    if (SEARCH_ROUTES.includes(x.path)) checked.push({ x, status: res.status, json: res.json });
    const real = x.resp_body as Record<string, unknown> | null;
    if (x.path.endsWith('/experiments/create') && res.status === 200 && real && typeof real.experiment_id === 'string') {
      expIds.set(real.experiment_id, (res.json as { experiment_id: string }).experiment_id);
    }
    if (x.path.endsWith('/runs/create') && res.status === 200 && real && !isTruncated(real)) {
      runIds.set((real as { run: { info: { run_id: string } } }).run.info.run_id, (res.json as { run: { info: { run_id: string } } }).run.info.run_id);
    }
  }
}, 120_000);
afterAll(async () => {
  await srv?.close();
});

describe('runs/search and get-history, replayed from the real client', () => {
  it('replays the 11 searches and 5 history reads of the recording', () => {
    expect(checked.filter((c) => c.x.path.endsWith('/runs/search'))).toHaveLength(11);
    expect(checked.filter((c) => c.x.path.endsWith('/get-history'))).toHaveLength(5);
  });

  it('answers each with the real status', () => {
    expect(checked.filter((c) => c.status !== c.x.status).map((c) => `#${c.x.seq}: ${c.status}`)).toEqual([]);
  });

  it('answers each with a body of the same shape and the same runs in the same order', () => {
    const wrong: string[] = [];
    for (const { x, json } of checked) {
      const real = x.resp_body;
      const ours = JSON.stringify(json);
      if (isTruncated(real)) {
        // The recorder kept the start of the text: our answer must start with the same runs.
        const expected = runNames(real._truncated);
        const got = runNames(ours).slice(0, expected.length);
        if (JSON.stringify(got) !== JSON.stringify(expected)) wrong.push(`#${x.seq}: runs ${JSON.stringify(got)} != ${JSON.stringify(expected)}`);
        const firstKey = /"(\w+)"/.exec(real._truncated.replace(/\\"/g, '"'))?.[1];
        if (firstKey && x.path.endsWith('/runs/search') && !(json as Record<string, unknown>).runs) wrong.push(`#${x.seq}: no runs`);
        continue;
      }
      if (JSON.stringify(shapeOf(json)) !== JSON.stringify(shapeOf(real))) wrong.push(`#${x.seq}: shape ${JSON.stringify(shapeOf(json))} != ${JSON.stringify(shapeOf(real))}`);
      const expected = runNames(JSON.stringify(real));
      if (JSON.stringify(runNames(ours)) !== JSON.stringify(expected)) wrong.push(`#${x.seq}: runs ${JSON.stringify(runNames(ours))} != ${JSON.stringify(expected)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('pages 2 by 2 like the real store: full pages carry a token, then an empty {} page', () => {
    const paging = checked.filter((c) => c.x.path.endsWith('/runs/search') && (c.x.req_body as { max_results?: number }).max_results === 2);
    expect(paging.map((c) => Boolean((c.json as { next_page_token?: string }).next_page_token))).toEqual([true, true, true, false]);
    expect(paging.at(-1)!.json).toEqual({});
  });

  it('returns history values as the real server did (the old timestamp first)', () => {
    const loss = checked.find((c) => c.x.seq === 81)!;
    expect(loss.json).toEqual(loss.x.resp_body);
  });
});
