import path from 'node:path';
import { LatheError } from '../../../shared/errors';

/**
 * MLflow's value rules, as its server enforces them (mlflow/utils/validation.py; observed
 * behaviour in ../shared/notes/mlflow-rest.md §3.3 and §6).
 */
export const LIMITS = {
  keyLength: 250,
  paramValueLength: 6000,
  tagValueLength: 8000,
  experimentNameLength: 500,
  experimentTagValueLength: 5000,
  batchMetrics: 1000,
  batchParams: 100,
  batchTags: 100,
  batchTotal: 1000,
} as const;

// Python's \w is Unicode-aware, hence \p{L}\p{N}.
const VALID_KEY = /^[/\p{L}\p{N}_.\- :]*$/u;

/**
 * Checks a metric, param or tag key: at most 250 characters of letters, digits, `_ - . /`,
 * space and `:`, and it must not normalise to another path (`../x`, `/x`, `a//b`, `.`).
 * @throws LatheError INVALID_PARAMETER_VALUE naming the key and the rule it breaks.
 */
export function validateKey(kind: 'metric' | 'param' | 'tag', key: unknown): string {
  if (typeof key !== 'string') {
    throw new LatheError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${kind} key'`, { field: 'key' });
  }
  if (key.length > LIMITS.keyLength) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `${kind} key '${key.slice(0, 40)}…' is ${key.length} characters; the limit is ${LIMITS.keyLength}`, { field: 'key' });
  }
  if (!VALID_KEY.test(key)) {
    throw new LatheError(
      'INVALID_PARAMETER_VALUE',
      `Invalid ${kind} name: '${key}'. Names may only contain alphanumerics, underscores (_), dashes (-), periods (.), spaces ( ), colon(:) and slashes (/).`,
      { field: 'key', key },
    );
  }
  const norm = path.posix.normalize(key);
  if (norm !== key || norm === '.' || norm.startsWith('..') || norm.startsWith('/')) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid ${kind} name: '${key}'. Names must be unique relative paths (no '..', leading '/', '//' or '.').`, { field: 'key', key });
  }
  return key;
}

/**
 * Parses a metric value as MLflow clients send it: a JSON number, or the strings "NaN",
 * "Infinity", "-Infinity" or a decimal such as "2.5".
 * @throws LatheError INVALID_PARAMETER_VALUE when the value is missing or not a number.
 */
export function parseMetricValue(key: string, value: unknown): number {
  if (typeof value === 'number') return value;
  if (typeof value === 'string') {
    const t = value.trim();
    if (t === 'NaN') return Number.NaN;
    if (t === 'Infinity' || t === '+Infinity' || t === 'inf') return Number.POSITIVE_INFINITY;
    if (t === '-Infinity' || t === '-inf') return Number.NEGATIVE_INFINITY;
    // Decimal notation only: Number() would also take hex, octal and binary ("0x1f").
    if (/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(t) && Number.isFinite(Number(t))) return Number(t);
  }
  if (value === undefined || value === null) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `Missing value for required parameter 'value' of metric '${key}'`, { field: 'value', key });
  }
  throw new LatheError('INVALID_PARAMETER_VALUE', `Got invalid value ${JSON.stringify(value)} for metric '${key}' (expected a number, "NaN", "Infinity" or "-Infinity")`, { field: 'value', key });
}

/**
 * Parses an int64 field MLflow clients may send as a number or a decimal string
 * (timestamp in ms, step).
 * @throws LatheError INVALID_PARAMETER_VALUE when it is not an integer.
 */
export function parseInteger(field: string, value: unknown, fallback?: number): number {
  if (value === undefined || value === null) {
    if (fallback !== undefined) return fallback;
    throw new LatheError('INVALID_PARAMETER_VALUE', `Missing value for required parameter '${field}'`, { field });
  }
  const n = typeof value === 'string' && value.trim() !== '' ? Number(value) : value;
  if (typeof n !== 'number' || !Number.isSafeInteger(n)) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `Parameter '${field}' must be an integer, got ${JSON.stringify(value)}`, { field });
  }
  return n;
}

/** Truncates a param or tag value to MLflow's limit, as its server does by default. */
export function truncateValue(kind: 'param' | 'tag', value: string | undefined | null): string {
  const v = value ?? '';
  const limit = kind === 'param' ? LIMITS.paramValueLength : LIMITS.tagValueLength;
  return v.length > limit ? v.slice(0, limit) : v;
}

/**
 * Checks log-batch sizes against MLflow's limits.
 * @throws LatheError INVALID_PARAMETER_VALUE naming the limit that was exceeded.
 */
export function validateBatchSize(metrics: number, params: number, tags: number): void {
  const fail = (what: string, n: number, limit: number) => {
    throw new LatheError('INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${limit} ${what}. Got ${n} ${what}. Please split up ${what} across multiple requests and try again.`, { field: what });
  };
  if (metrics > LIMITS.batchMetrics) fail('metrics', metrics, LIMITS.batchMetrics);
  if (params > LIMITS.batchParams) fail('params', params, LIMITS.batchParams);
  if (tags > LIMITS.batchTags) fail('tags', tags, LIMITS.batchTags);
  const total = metrics + params + tags;
  if (total > LIMITS.batchTotal) {
    throw new LatheError('INVALID_PARAMETER_VALUE', `A batch logging request can contain at most ${LIMITS.batchTotal} total metrics, params and tags. Got ${total}.`, { field: 'total' });
  }
}
