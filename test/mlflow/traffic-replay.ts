import fs from 'node:fs';
import path from 'node:path';

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
