/**
 * Reading single nvidia-smi values. Every way the driver says "no reading" becomes null, never 0:
 * `[N/A]`, `[Not Supported]`, `[Unknown Error]`, `[Requested functionality has been deprecated]`
 * (any bracketed token), a bare `N/A`, an empty value, `ERR!`, and `-` (dmon/pmon's "no sample").
 * Source: ../shared/notes/gpu.md §1(a) and the fixtures in test/fixtures/nvidia-smi/.
 */

/** True when `raw` is one of the driver's "no value" markers. */
export function isMissing(raw: string | null | undefined): boolean {
  if (raw == null) return true;
  const v = raw.trim();
  if (v === '' || v === '-' || v === 'ERR!') return true;
  if (/^\[.*\]$/.test(v)) return true;
  return /^N\/A$/i.test(v) || /^Unknown Error$/i.test(v) || /^Not Supported$/i.test(v);
}

/** The value as text, or null when it is a missing marker. Trims surrounding blanks and `\r`. */
export function text(raw: string | null | undefined): string | null {
  if (isMissing(raw)) return null;
  return raw!.trim();
}

const NUMBER_WITH_UNIT = /^(-?\d+(?:\.\d+)?)\s*(?:[A-Za-z%]+(?:\/s)?)?$/;

/**
 * A number, with or without a unit after it (`433.78 W`, `81559 MiB`, `7 %`, `36 C`, `0 us`,
 * `16x`); null for missing markers and for anything that is not a number (hex, words).
 */
export function num(raw: string | null | undefined): number | null {
  const v = text(raw);
  if (v === null) return null;
  const m = NUMBER_WITH_UNIT.exec(v);
  if (!m) return null;
  const n = Number(m[1]);
  return Number.isFinite(n) ? n : null;
}

/** An integer (index, pid); null when missing or not an integer. */
export function int(raw: string | null | undefined): number | null {
  const n = num(raw);
  return n !== null && Number.isInteger(n) ? n : null;
}

/** Enabled/Disabled, Yes/No, On/Off → boolean; null otherwise. */
export function flag(raw: string | null | undefined): boolean | null {
  const v = text(raw)?.toLowerCase();
  if (v === 'enabled' || v === 'yes' || v === 'on') return true;
  if (v === 'disabled' || v === 'no' || v === 'off') return false;
  return null;
}

/** Splits a CSV header cell into field name and unit: `memory.used [MiB]` → {field, unit: 'MiB'}. */
export function splitHeaderCell(cell: string): { field: string; unit: string | null } {
  const m = /^\s*([^[\]]+?)\s*(?:\[([^\]]*)\])?\s*$/.exec(cell);
  if (!m) return { field: cell.trim(), unit: null };
  return { field: m[1]!, unit: m[2] ?? null };
}
