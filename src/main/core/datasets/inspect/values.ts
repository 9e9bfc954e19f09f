import type { ProfileValue } from '../../../../shared/api/dataset-types';

const MAX_SAFE = BigInt(Number.MAX_SAFE_INTEGER);

/**
 * An exact integer given as decimal text: a JSON number when |v| ≤ 2^53−1, else the string
 * (JS numbers would round 208310224003697457 to …470).
 */
export function exactInteger(text: string | null | undefined): number | string | null {
  if (text === null || text === undefined) return null;
  const b = BigInt(text);
  return b <= MAX_SAFE && b >= -MAX_SAFE ? Number(b) : b.toString();
}

/** A DuckDB double's text ('inf', 'nan', '1.5') as a profile value. */
export function doubleFromText(text: string): number | string {
  const t = text.toLowerCase();
  if (t === 'nan' || t === '-nan') return 'NaN';
  if (t === 'inf' || t === 'infinity') return 'Infinity';
  if (t === '-inf' || t === '-infinity') return '-Infinity';
  return Number(text);
}

/** A double from DuckDB's JSON rows: numbers pass, 'NaN'/'Infinity' strings stay strings, null stays null. */
export function toNumber(v: unknown): number | null {
  if (v === null || v === undefined) return null;
  if (typeof v === 'number') return v;
  const n = Number(v);
  return Number.isNaN(n) && v !== 'NaN' ? null : n;
}

/** A count (BIGINT/HUGEINT text or number) as a JS number. */
export function toCount(v: unknown): number {
  if (v === null || v === undefined) return 0;
  return Number(v);
}

/**
 * Epoch microseconds (decimal text) as ISO 8601: `YYYY-MM-DDTHH:MM:SS[.ffffff]`, with
 * `+00:00` for time-zone-aware values (Lathe reads them in UTC); `date` gives `YYYY-MM-DD`
 * when the time is midnight. Years 0001–9999.
 */
export function isoFromMicros(us: string | number | bigint, opts: { tz?: boolean; date?: boolean } = {}): string {
  const total = BigInt(us);
  let ms = total / 1000n;
  let micros = total % 1000n;
  if (micros < 0n) {
    micros += 1000n;
    ms -= 1n;
  }
  const iso = new Date(Number(ms)).toISOString(); // 'YYYY-MM-DDTHH:MM:SS.mmmZ'
  const base = iso.slice(0, 19);
  const frac = `${iso.slice(20, 23)}${micros.toString().padStart(3, '0')}`.replace(/0+$/, '');
  if (opts.date && base.endsWith('T00:00:00') && frac === '') return base.slice(0, 10);
  return `${base}${frac ? `.${frac}` : ''}${opts.tz ? '+00:00' : ''}`;
}

/** DuckDB's timestamp text ('2024-03-30 22:30:00+00', '2024-01-01') as ISO 8601. */
export function isoFromDuckText(text: string, tz: boolean): string {
  let s = text.replace(' ', 'T');
  if (tz) s = s.replace(/([+-]\d{2})$/, '$1:00');
  return s;
}

/** A top-values entry's text as the profile value of its column kind. */
export function topValue(text: string, kind: string, duckType: string): ProfileValue {
  switch (kind) {
    case 'integer':
      return exactInteger(text);
    case 'float':
      return doubleFromText(text);
    case 'decimal':
      return text;
    case 'boolean':
      return text === 'true';
    case 'temporal':
      return /TIME ZONE|TIMESTAMPTZ/i.test(duckType) ? isoFromDuckText(text, true) : isoFromDuckText(text, false);
    default:
      return text;
  }
}

/** Python's json.dumps spacing (", " and ": ") for a compact JSON text, so list values read like the fixtures'. */
export function pythonJson(text: string): string {
  try {
    return JSON.stringify(JSON.parse(text)).replace(/("(?:[^"\\]|\\.)*")|([,:])/g, (_m, str: string | undefined, sep: string | undefined) => (str ? str : `${sep} `));
  } catch {
    return text;
  }
}
