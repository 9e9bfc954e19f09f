import type http from 'node:http';
import { MlflowError, missingField } from './http-reply';
import { decodePageToken } from './mlflow-json';

/**
 * A request's fields: the JSON body of POST/PATCH/DELETE, or the query string of GET with
 * repeated keys gathered into arrays (../shared/notes/mlflow-rest.md §1.1).
 */
export type Fields = Record<string, unknown>;

/** JSON bodies larger than this are refused (a full log-batch is ~1.4 MB at most). */
export const MAX_JSON_BODY_BYTES = 32 * 1024 * 1024;

/**
 * The query string as fields: one occurrence gives a string, repeated keys an array of strings.
 */
export function queryFields(params: URLSearchParams): Fields {
  const out: Fields = {};
  for (const key of new Set(params.keys())) {
    const all = params.getAll(key);
    out[key] = all.length === 1 ? all[0] : all;
  }
  return out;
}

function isJsonContentType(header: string | undefined): boolean {
  return (header ?? '').split(';')[0]!.trim().toLowerCase() === 'application/json';
}

/**
 * Reads and parses a JSON object body.
 * - A `Content-Type` other than `application/json` (parameters allowed) → 400
 *   INVALID_PARAMETER_VALUE, with the real server's wording (§6).
 * - An empty body → `{}` (a body-less DELETE or POST).
 * - Invalid JSON or a non-object → 400 INVALID_PARAMETER_VALUE (the real server reads it as
 *   `{}` and then reports a missing field; same status and code, clearer message).
 * - More than {@link MAX_JSON_BODY_BYTES} → 400 INVALID_PARAMETER_VALUE.
 * @throws MlflowError as above.
 */
export async function readJsonBody(req: http.IncomingMessage, limit = MAX_JSON_BODY_BYTES): Promise<Fields> {
  const contentType = req.headers['content-type'];
  if (contentType !== undefined && !isJsonContentType(contentType)) {
    req.resume();
    throw new MlflowError('INVALID_PARAMETER_VALUE', "Bad Request. Content-Type must be one of ['application/json'].");
  }
  const declared = Number(req.headers['content-length'] ?? NaN);
  if (declared > limit) {
    req.resume();
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Request body of ${declared} bytes exceeds the limit of ${limit} bytes`);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  // Past the limit the rest is read and dropped rather than the request destroyed, so the
  // client still gets its 400 answer.
  let over = false;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > limit) over = true;
    else chunks.push(chunk);
  }
  if (over) throw new MlflowError('INVALID_PARAMETER_VALUE', `Request body exceeds the limit of ${limit} bytes`);
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  if (contentType === undefined) throw new MlflowError('INVALID_PARAMETER_VALUE', "Bad Request. Content-Type must be one of ['application/json'].");
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Malformed JSON request body: ${(err as Error).message}`);
  }
  if (parsed === null || typeof parsed !== 'object' || Array.isArray(parsed)) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', 'The request body must be a JSON object');
  }
  return parsed as Fields;
}

function invalid(field: string, value: unknown, expected: string): MlflowError {
  const shown = typeof value === 'string' ? value.slice(0, 100) : JSON.stringify(value)?.slice(0, 100);
  return new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${shown} for parameter '${field}' supplied: expected ${expected}`);
}

/** A string field, or undefined when absent (numbers and booleans are taken as their text). */
export function optString(f: Fields, name: string): string | undefined {
  const v = Array.isArray(f[name]) && typeof (f[name] as unknown[])[0] === 'string' ? (f[name] as unknown[])[0] : f[name];
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  throw invalid(name, v, 'a string');
}

/**
 * A required string field; absent or empty is "Missing value for required parameter".
 * @throws MlflowError INVALID_PARAMETER_VALUE
 */
export function reqString(f: Fields, name: string): string {
  const v = optString(f, name);
  if (v === undefined || v === '') throw missingField(name);
  return v;
}

/**
 * An int64 field: a JSON number or a decimal string (both are accepted, §1.1).
 * @throws MlflowError INVALID_PARAMETER_VALUE when present but not an integer.
 */
export function optInt64(f: Fields, name: string): number | undefined {
  const raw = Array.isArray(f[name]) ? (f[name] as unknown[])[0] : f[name];
  if (raw === undefined || raw === null || raw === '') return undefined;
  const n = typeof raw === 'string' ? Number(raw.trim()) : raw;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) throw invalid(name, raw, 'an integer');
  return n;
}

/** A repeated field: an array, or one value as a one-element array; absent gives `[]`. */
export function list(f: Fields, name: string): unknown[] {
  const v = f[name];
  if (v === undefined || v === null) return [];
  return Array.isArray(v) ? v : [v];
}

/** A nested object's fields; anything but a JSON object reads as `{}` (its fields count as missing). */
export function fieldsOf(v: unknown): Fields {
  return v && typeof v === 'object' && !Array.isArray(v) ? (v as Fields) : {};
}

/**
 * `max_results` (default `fallback`; with `max`, it must be 1..max) and the offset in
 * `page_token` of an offset-paged search (experiments, logged models, the registry).
 * @throws MlflowError INVALID_PARAMETER_VALUE
 */
export function searchPage(f: Fields, fallback: number, max?: number): { maxResults: number; offset: number } {
  const maxResults = optInt64(f, 'max_results') ?? fallback;
  if (max !== undefined && (maxResults < 1 || maxResults > max)) {
    throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid value ${maxResults} for parameter 'max_results' supplied: it must be between 1 and ${max}`);
  }
  const offset = decodePageToken(optString(f, 'page_token'));
  if (offset === null) throw new MlflowError('INVALID_PARAMETER_VALUE', 'Invalid page token');
  return { maxResults, offset };
}

/** The run id of a request: `run_id`, else the deprecated `run_uuid` (§3.2: the client sends both). */
export function runIdOf(f: Fields): string {
  const id = optString(f, 'run_id') || optString(f, 'run_uuid');
  if (!id) throw missingField('run_id');
  return id;
}

/**
 * A `[{key, value}]` list (params, tags). Entries must be objects with a string key.
 * @throws MlflowError INVALID_PARAMETER_VALUE for a malformed entry.
 */
export function keyValues(f: Fields, name: string): Array<{ key: string; value?: string }> {
  return list(f, name).map((e, i) => {
    if (e === null || typeof e !== 'object' || Array.isArray(e)) throw invalid(`${name}[${i}]`, e, 'an object {key, value}');
    const entry = e as Fields;
    const key = optString(entry, 'key');
    if (key === undefined) throw missingField(`${name}[${i}].key`);
    return { key, value: optString(entry, 'value') };
  });
}
