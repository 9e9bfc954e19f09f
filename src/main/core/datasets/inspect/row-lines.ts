import type { DatasetProfile } from '../../../../shared/api/dataset-types';
import type { DuckSession } from './duck';

/**
 * Physical lines of rows of table t (rowid, 0-based in file order), per the profile's
 * `row_lines`: first data line + row index + line breaks (LF, CRLF or lone CR) inside quoted
 * values of earlier rows + skipped records at or before it. Null for formats without lines.
 * @param textColumns identifiers of t's text columns (the only ones that can hold line breaks).
 */
export async function linesOfRows(duck: DuckSession, rowLines: DatasetProfile['row_lines'], textColumns: string[], rowids: number[]): Promise<Array<number | null>> {
  if (!rowLines) return rowids.map(() => null);
  return Promise.all(
    rowids.map(async (r) => {
      let line = rowLines.first + r;
      if (rowLines.multiline && textColumns.length) {
        const nl = textColumns.map((c) => {
          const lf = `replace(${c}, chr(13) || chr(10), chr(10))`;
          return `coalesce(length(${lf}) - length(replace(replace(${lf}, chr(10), ''), chr(13), '')), 0)`;
        });
        const row = (await duck.all(`SELECT coalesce(sum(${nl.join(' + ')}), 0)::BIGINT AS n FROM t WHERE rowid < ${r}`))[0];
        line += Number(row?.n ?? 0);
      }
      for (const s of rowLines.skipped) if (s <= line) line++;
      return line;
    }),
  );
}
