import type { ColumnProfile, Finding } from '../../../../shared/api/dataset-types';
import { inferredTypeOf } from './column-sql';
import { lit, type DuckSession } from './duck';

function shown(d: string): string {
  return d === '\t' ? '\\t' : d;
}

/**
 * What DuckDB's own auto-detection (`sniff_csv` with no options) would have made of the file,
 * compared with what Lathe found: a different delimiter or column count, renamed duplicate
 * columns, other types, or a failure. Lathe reports the difference; it never adopts DuckDB's
 * guess. Returns no finding when both agree.
 */
export async function compareWithDuckAuto(duck: DuckSession, file: string, ours: { delimiter: string; columns: ColumnProfile[] }): Promise<Finding | null> {
  let sniff: { Delimiter: string; Columns: Array<{ name: string; type: string }> } | undefined;
  try {
    sniff = (await duck.all(`SELECT Delimiter, Columns FROM sniff_csv(${lit(file)})`))[0] as typeof sniff;
  } catch (err) {
    const first = (err instanceof Error ? err.message : String(err)).split('\n')[0]!;
    return {
      kind: 'duckdb_autodetect',
      severity: 'info',
      message: `DuckDB's auto-detection fails on this file (${first.slice(0, 200)}); Lathe read it with delimiter '${shown(ours.delimiter)}' and ${ours.columns.length} columns.`,
    };
  }
  if (!sniff) return null;
  const diffs: string[] = [];
  if (sniff.Delimiter !== ours.delimiter) diffs.push(`delimiter '${shown(sniff.Delimiter)}' instead of '${shown(ours.delimiter)}'`);
  if (sniff.Columns.length !== ours.columns.length) diffs.push(`${sniff.Columns.length} column${sniff.Columns.length === 1 ? '' : 's'} instead of ${ours.columns.length}`);
  else {
    sniff.Columns.forEach((c, i) => {
      const mine = ours.columns[i]!;
      if (c.name !== mine.name) diffs.push(`column ${i + 1} named '${c.name}' instead of '${mine.name}'`);
      const theirs = inferredTypeOf(c.type);
      if (mine.inferred_type !== 'empty' && theirs !== mine.inferred_type) diffs.push(`${mine.name} typed ${c.type} (${theirs}) instead of ${mine.inferred_type}`);
    });
  }
  if (!diffs.length) return null;
  return { kind: 'duckdb_autodetect', severity: 'info', message: `DuckDB's auto-detection would read this file differently: ${diffs.join('; ')}.`, details: { differences: diffs } };
}
