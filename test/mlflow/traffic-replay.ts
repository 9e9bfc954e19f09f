import fs from 'node:fs';
import path from 'node:path';
import type { MlflowTestServer, RawResponse } from './mlflow-test-server';

/**
 * Helpers to replay test/fixtures/mlflow/real-client-3.5.1-traffic.jsonl (every exchange of
 * the real `mlflow` 3.5.1 client with the real server; large bodies are summarised, see the
 * fixture README) against Lathe.
 */

export interface Exchange {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string[]>;
  req_headers: Record<string, string>;
  req_body: unknown;
  status: number;
  resp_headers: Record<string, string>;
  resp_body: unknown;
}

export const TRAFFIC: Exchange[] = fs
  .readFileSync(path.join(__dirname, '../fixtures/mlflow/real-client-3.5.1-traffic.jsonl'), 'utf8')
  .split('\n')
  .filter((l) => l.trim())
  .map((l) => JSON.parse(l) as Exchange);

type Json = Record<string, unknown>;

function isObject(v: unknown): v is Json {
  return v !== null && typeof v === 'object' && !Array.isArray(v);
}

/** A body the recorder shortened: `{"_truncated": "<start of the text>", "_len": n}`. */
export function isTruncated(v: unknown): v is { _truncated: string } {
  return isObject(v) && typeof v._truncated === 'string';
}

/** A binary or large text body the recorder summarised as its size and first characters. */
export function isSummarisedBytes(v: unknown): v is { _binary_or_text_size: number; _prefix: string } {
  return isObject(v) && typeof v._binary_or_text_size === 'number';
}

/**
 * The first key of a truncated JSON text (also when wrapped as `_truncated_json_text`), e.g.
 * `run` for `{"run": {"info": …`.
 */
export function firstKeyOfTruncated(text: string): string | undefined {
  const unescaped = text.replace(/\\"/g, '"').replace(/\\n/g, '\n');
  return /\{\s*"(?!_truncated)([A-Za-z_]+)"\s*:/.exec(unescaped)?.[1];
}

/**
 * The key structure of a JSON value: objects as sorted keys with their children's shapes,
 * arrays as the union of their elements' shapes, scalars as "scalar" (so `"NaN"` and `1.5`
 * are the same shape, as they are to the client).
 */
export function shapeOf(v: unknown): unknown {
  if (Array.isArray(v)) {
    const merged: Json = {};
    let scalar = false;
    for (const e of v) {
      const s = shapeOf(e);
      if (isObject(s)) Object.assign(merged, s);
      else scalar = true;
    }
    return [scalar && Object.keys(merged).length === 0 ? 'scalar' : sortKeys(merged)];
  }
  if (isObject(v)) return sortKeys(Object.fromEntries(Object.entries(v).map(([k, x]) => [k, shapeOf(x)])));
  return 'scalar';
}

function sortKeys(o: Json): Json {
  return Object.fromEntries(Object.keys(o).sort().map((k) => [k, o[k]]));
}

/** The bytes of a summarised upload: its text start, then filler up to its size. */
export function bytesFromSummary(s: { _binary_or_text_size: number; _prefix: string }): Buffer {
  const out = Buffer.alloc(s._binary_or_text_size, 'x');
  Buffer.from(s._prefix, 'utf8').copy(out, 0, 0, Math.min(out.length, Buffer.byteLength(s._prefix)));
  return out;
}

/** JSON text laid out as Python's json.dumps does it (", " and ": " separators). */
export function pythonJson(v: unknown): string {
  if (Array.isArray(v)) return `[${v.map(pythonJson).join(', ')}]`;
  if (isObject(v)) return `{${Object.entries(v).map(([k, x]) => `${JSON.stringify(k)}: ${pythonJson(x)}`).join(', ')}}`;
  return JSON.stringify(v);
}

/**
 * Rebuilds a request body the recorder truncated:
 * - the three log-batch requests of `MlflowClient.log_batch` with 2500 metrics, 150 params and
 *   120 tags (client-side chunking: 800 metrics + p0–p99 + t0–t99; 930 metrics + p100–p149 +
 *   t100–t119; 770 metrics), metric i being step i, value i/2, timestamp start+offset;
 * - a long param or tag (`{run_uuid, key, value: "xxx…", run_id}`), its length taken from the
 *   recorded Content-Length.
 */
export function rebuildTruncatedBody(x: Exchange): unknown {
  const text = (x.req_body as { _truncated: string })._truncated;
  const unescaped = text.replace(/\\"/g, '"');
  const runId = /"run_(?:id|uuid)": "([0-9a-f]{32})"/.exec(unescaped)?.[1];
  if (!runId) throw new Error(`cannot rebuild seq ${x.seq}`);
  if (x.path.endsWith('/runs/log-batch')) {
    const first = /"step": (\d+)/.exec(unescaped);
    const firstTs = /"timestamp": (\d+)/.exec(unescaped);
    const start = Number(first![1]);
    const ts0 = Number(firstTs![1]);
    const chunks: Record<number, { end: number; params: [number, number]; tags: [number, number] }> = {
      0: { end: 800, params: [0, 100], tags: [0, 100] },
      800: { end: 1730, params: [100, 150], tags: [100, 120] },
      1730: { end: 2500, params: [0, 0], tags: [0, 0] },
    };
    const c = chunks[start];
    if (!c) throw new Error(`unexpected log-batch chunk at step ${start}`);
    const range = (a: number, b: number) => Array.from({ length: b - a }, (_, i) => a + i);
    const body: Json = {
      run_id: runId,
      metrics: range(start, c.end).map((i) => ({ key: 'batch_metric', value: i / 2, timestamp: ts0 + (i - start), step: i })),
    };
    if (c.params[1] > c.params[0]) body.params = range(...c.params).map((i) => ({ key: `p${i}`, value: String(i) }));
    if (c.tags[1] > c.tags[0]) body.tags = range(...c.tags).map((i) => ({ key: `t${i}`, value: String(i) }));
    return body;
  }
  const m = /^\{"run_uuid": "([0-9a-f]{32})", "key": "([\w.]+)", "value": "(.)/.exec(text);
  if (!m) throw new Error(`cannot rebuild seq ${x.seq}`);
  const empty = { run_uuid: m[1], key: m[2], value: '', run_id: m[1] };
  const length = Number(x.req_headers['Content-Length']) - pythonJson(empty).length;
  return { ...empty, value: m[3]!.repeat(length) };
}

/**
 * Sends recorded exchanges, in order, to `srv` as the real client sent them, with the real
 * server's generated ids (experiment ids, run ids, logged model ids) mapped to those Lathe
 * answered with; the maps are real id → Lathe's.
 */
export function createReplayer(srv: MlflowTestServer) {
  const runIds = new Map<string, string>();
  const expIds = new Map<string, string>();
  const modelIds = new Map<string, string>();

  /** Replaces every generated run and logged-model id of the real server in a string. */
  function mapGenerated(s: string): string {
    let out = s;
    for (const [real, ours] of runIds) out = out.replaceAll(real, ours);
    for (const [real, ours] of modelIds) out = out.replaceAll(real, ours);
    return out;
  }

  /** Real server ids → Lathe's, in strings, artifact paths and the fields that carry ids. */
  function mapIds(v: unknown, field = ''): unknown {
    if (typeof v === 'string') {
      let s = mapGenerated(v);
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
    return mapGenerated(p).replace(/^(\/api\/2\.0\/mlflow-artifacts\/artifacts\/)(\d+)\//, (all, pre: string, exp: string) => (expIds.has(exp) ? `${pre}${expIds.get(exp)}/` : all));
  }

  /** Sends `x` and learns the ids its answer creates. */
  async function replay(x: Exchange): Promise<RawResponse> {
    const query = mapIds(Object.fromEntries(Object.entries(x.query).map(([k, v]) => [k, v.length === 1 ? v[0]! : v])), '') as Record<string, string | string[]>;
    let raw: Buffer | undefined;
    const headers: Record<string, string> = { 'user-agent': x.req_headers['User-Agent'] ?? 'mlflow-python-client/3.5.1.dev0' };
    if (x.method === 'PUT') {
      if (isSummarisedBytes(x.req_body)) raw = bytesFromSummary(x.req_body);
      else {
        // A small JSON file the recorder showed parsed: written as Python does, padded to its size.
        const text = pythonJson(x.req_body);
        raw = Buffer.from(text.padEnd(Number(x.req_headers['Content-Length'] ?? text.length), ' '));
      }
      headers['content-type'] = x.req_headers['Content-Type'] ?? 'application/octet-stream';
    } else if (x.req_body !== null && x.req_body !== undefined) {
      const body = mapIds(isTruncated(x.req_body) ? rebuildTruncatedBody(x) : x.req_body);
      raw = Buffer.from(JSON.stringify(body, null, 2)); // the client pretty-prints (indent 2)
      headers['content-type'] = 'application/json';
    }
    const res = await srv.request(mapPath(x.path), { method: x.method, query, raw, headers });
    const real = x.resp_body as Record<string, unknown> | null;
    if (x.path.endsWith('/experiments/create') && res.status === 200 && real && typeof real.experiment_id === 'string') {
      expIds.set(real.experiment_id, (res.json as { experiment_id: string }).experiment_id);
    }
    if (x.path.endsWith('/runs/create') && res.status === 200 && real && !isTruncated(real)) {
      const realId = (real as { run: { info: { run_id: string } } }).run.info.run_id;
      runIds.set(realId, (res.json as { run: { info: { run_id: string } } }).run.info.run_id);
    }
    if (x.path === '/api/2.0/mlflow/logged-models' && res.status === 200 && real) {
      modelIds.set((real as { model: { info: { model_id: string } } }).model.info.model_id, (res.json as { model: { info: { model_id: string } } }).model.info.model_id);
    }
    return res;
  }

  return { runIds, expIds, modelIds, replay };
}
