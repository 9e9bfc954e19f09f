import fs from 'node:fs';
import path from 'node:path';
import type { ColumnProfile, DatasetProfile } from '../../src/shared/api/dataset-types';

export const FIXTURES = path.resolve(__dirname, '../fixtures/datasets');

export interface ExpectedColumn {
  name: string;
  position: number;
  inferred_type: string;
  [field: string]: unknown;
}
export interface ExpectedCase {
  case: string;
  file: string;
  rows: number;
  columns?: ExpectedColumn[];
  file_info: { sha256: string; bytes: number };
  hashes?: Record<string, string>;
}

export function loadExpected(file: string): ExpectedCase {
  return JSON.parse(fs.readFileSync(file, 'utf8')) as ExpectedCase;
}

/** The README's tolerance: relative 1e-9, absolute 1e-12 near zero. */
export function closeEnough(a: number, b: number): boolean {
  if (a === b) return true;
  if (!Number.isFinite(a) || !Number.isFinite(b)) return false;
  return Math.abs(a - b) <= Math.max(1e-12, 1e-9 * Math.max(Math.abs(a), Math.abs(b)));
}

const TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2}):(\d{2})(?:\.(\d+))?)?(Z|[+-]\d{2}(?::?\d{2})?)?$/;

/** Epoch microseconds of an ISO-like timestamp or date (pandas ns digits truncated to µs); null if it is not one. */
export function micros(s: string): number | null {
  const m = TIME.exec(s);
  if (!m) return null;
  const [, y, mo, d, h = '0', mi = '0', se = '0', frac = '', off] = m;
  const ms = Date.UTC(0, Number(mo) - 1, Number(d), Number(h), Number(mi), Number(se));
  const date = new Date(ms);
  date.setUTCFullYear(Number(y));
  let us = date.getTime() * 1000 + Number((frac + '000000').slice(0, 6));
  if (off && off !== 'Z') {
    const sign = off.startsWith('-') ? -1 : 1;
    const digits = off.slice(1).replace(':', '');
    us -= sign * (Number(digits.slice(0, 2)) * 3600 + Number(digits.slice(2, 4) || 0) * 60) * 1e6;
  }
  return us;
}

/** Compares one expected scalar with Lathe's at the README's tolerance; returns a reason or null. */
export function diffValue(expected: unknown, actual: unknown): string | null {
  if (expected === null || expected === undefined) return actual === null || actual === undefined ? null : `expected null, got ${JSON.stringify(actual)}`;
  if (typeof expected === 'number') {
    const a = typeof actual === 'string' ? Number(actual) : actual;
    return typeof a === 'number' && closeEnough(expected, a) ? null : `expected ${expected}, got ${JSON.stringify(actual)}`;
  }
  if (typeof expected === 'boolean') return actual === expected || String(actual) === String(expected) ? null : `expected ${expected}, got ${JSON.stringify(actual)}`;
  if (typeof expected === 'string') {
    if (actual === expected) return null;
    const te = micros(expected);
    const ta = typeof actual === 'string' ? micros(actual) : null;
    if (te !== null && ta !== null) return Math.abs(te - ta) <= 1 ? null : `expected ${expected}, got ${actual} (${ta - te} µs apart)`;
    // Parquet references print numbers and booleans as DuckDB text ("1", "true").
    if (typeof actual === 'number' && /^-?\d/.test(expected)) return closeEnough(Number(expected), actual) ? null : `expected ${expected}, got ${actual}`;
    if (typeof actual === 'boolean') return String(actual) === expected ? null : `expected ${expected}, got ${actual}`;
    return `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
  }
  return JSON.stringify(expected) === JSON.stringify(actual) ? null : `expected ${JSON.stringify(expected)}, got ${JSON.stringify(actual)}`;
}

const EXACT_FIELDS = ['missing', 'distinct', 'outliers_iqr', 'outliers_z3', 'nan_count', 'posinf_count', 'neginf_count', 'empty_strings', 'whitespace_padded', 'length_min', 'length_max'];
const TOLERANT_FIELDS = ['mean', 'std', 'min', 'max', 'q25', 'q50', 'q75', 'numeric_share', 'std_seconds'];

/**
 * Every difference between an expected column (fixtures' JSON) and Lathe's profile of it:
 * name, type, counts exactly; statistics at the tolerance; top5, histogram, mixed-type facts.
 */
export function diffColumn(e: ExpectedColumn, a: ColumnProfile | undefined): string[] {
  if (!a) return [`${e.name}: missing from the profile`];
  const out: string[] = [];
  const at = (f: string, why: string | null) => why && out.push(`${e.name}.${f}: ${why}`);
  at('name', e.name === a.name ? null : `expected ${e.name}, got ${a.name}`);
  at('inferred_type', e.inferred_type === a.inferred_type ? null : `expected ${e.inferred_type}, got ${a.inferred_type}`);
  const rec = a as unknown as Record<string, unknown>;
  for (const f of EXACT_FIELDS) if (f in e) at(f, e[f] === rec[f] ? null : `expected ${JSON.stringify(e[f])}, got ${JSON.stringify(rec[f])}`);
  for (const f of TOLERANT_FIELDS) if (f in e) at(f, diffValue(e[f], rec[f]));
  if (Array.isArray(e.top5)) {
    const et = e.top5 as Array<[unknown, number]>;
    if (et.length !== a.top5.length) at('top5', `expected ${et.length} entries, got ${a.top5.length}`);
    else et.forEach(([v, n], i) => {
      const [av, an] = a.top5[i]!;
      at(`top5[${i}]`, n !== an ? `count ${an} instead of ${n}` : diffValue(v, av));
    });
  }
  const eh = e.histogram as { edges: number[]; counts: number[] } | undefined;
  if (eh) {
    if (!a.histogram) at('histogram', 'missing');
    else {
      at('histogram.counts', JSON.stringify(eh.counts) === JSON.stringify(a.histogram.counts) ? null : `expected ${JSON.stringify(eh.counts)}, got ${JSON.stringify(a.histogram.counts)}`);
      eh.edges.forEach((x, i) => at(`histogram.edges[${i}]`, diffValue(x, a.histogram!.edges[i])));
    }
  }
  if (e.type_counts) at('type_counts', JSON.stringify(e.type_counts) === JSON.stringify(a.type_counts) ? null : `expected ${JSON.stringify(e.type_counts)}, got ${JSON.stringify(a.type_counts)}`);
  if (e.non_numeric_examples) at('non_numeric_examples', JSON.stringify(e.non_numeric_examples) === JSON.stringify(a.non_numeric_examples) ? null : `expected ${JSON.stringify(e.non_numeric_examples)}, got ${JSON.stringify(a.non_numeric_examples)}`);
  return out;
}

/** All differences between an expected case and a profile (rows, column count, every column). */
export function diffProfile(expected: ExpectedCase, profile: DatasetProfile): string[] {
  const out: string[] = [];
  if (expected.rows !== profile.rows) out.push(`rows: expected ${expected.rows}, got ${profile.rows}`);
  const cols = expected.columns ?? [];
  if (cols.length !== profile.columns.length) out.push(`columns: expected ${cols.length}, got ${profile.columns.length}`);
  for (const e of cols) out.push(...diffColumn(e, profile.columns.find((c) => c.position === e.position)));
  return out;
}
