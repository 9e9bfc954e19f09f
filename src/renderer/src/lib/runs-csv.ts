import type { Run } from '../../../shared/api/types';
import type { ColumnKind } from './search-fields';

/** One exported column: a fixed run field or a param, metric or tag key. */
export type CsvColumn = { kind: 'field'; name: 'run_id' | 'name' | 'experiment_id' | 'status' | 'user' | 'start_time' | 'end_time' } | { kind: ColumnKind; key: string };

/**
 * RFC 4180 quoting, plus a guard against spreadsheet formula injection: a text cell starting
 * with =, +, -, @, tab or CR is prefixed with a quote (numbers such as -0.5 are left alone,
 * since a spreadsheet reads them as numbers, not formulas).
 */
export function csvCell(value: string | number | null | undefined): string {
  if (value === null || value === undefined) return '';
  let s = typeof value === 'number' ? (Number.isNaN(value) ? 'NaN' : value === Infinity ? 'Infinity' : value === -Infinity ? '-Infinity' : String(value)) : value;
  if (typeof value === 'string' && /^[=+\-@\t\r]/.test(s) && !/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString());

function header(c: CsvColumn): string {
  if (c.kind === 'field') return c.name;
  return `${c.kind === 'param' ? 'params' : c.kind === 'metric' ? 'metrics' : 'tags'}.${c.key}`;
}

function value(run: Run, c: CsvColumn): string | number | null | undefined {
  if (c.kind === 'param') return run.params[c.key];
  if (c.kind === 'tag') return run.tags[c.key];
  if (c.kind === 'metric') return run.metrics.find((m) => m.key === c.key)?.value;
  const i = run.info;
  if (c.kind !== 'field') return undefined;
  switch (c.name) {
    case 'run_id': return i.runId;
    case 'name': return i.name;
    case 'experiment_id': return i.experimentId;
    case 'status': return i.status;
    case 'user': return i.userId;
    case 'start_time': return iso(i.startTime);
    case 'end_time': return iso(i.endTime);
  }
}

/** The runs as CSV text (CRLF line ends, a header row), one column per `columns` entry. */
export function runsToCsv(runs: readonly Run[], columns: readonly CsvColumn[]): string {
  const lines = [columns.map((c) => csvCell(header(c))).join(',')];
  for (const run of runs) lines.push(columns.map((c) => csvCell(value(run, c))).join(','));
  return `${lines.join('\r\n')}\r\n`;
}
