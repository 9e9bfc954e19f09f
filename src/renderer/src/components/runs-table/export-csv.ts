import { call } from '../../api/client';
import { saveBlob } from '../../lib/download';
import { runsToCsv, type CsvColumn } from '../../lib/runs-csv';
import { NOTE_TAG } from '../../lib/search-fields';
import type { Run } from '../../../../shared/api/types';
import type { RunsQuery } from './use-runs-search';
import { MAX_PAGE } from './use-runs-search';

/**
 * Downloads every run matching the table's query (not only the loaded rows) as CSV, with the
 * table's columns. Pages of 50,000 runs, each carrying only those columns.
 * @returns the number of runs written.
 */
export async function exportRunsCsv(q: RunsQuery, choice: { params: string[]; metrics: string[]; tags: string[] }, fileStem: string): Promise<number> {
  const runs: Run[] = [];
  let pageToken: string | undefined;
  do {
    const page = await call((c) =>
      c.runs.search({ experimentIds: q.experimentIds, filter: q.filter || undefined, orderBy: q.orderBy, viewType: q.viewType, columns: q.columns, limit: MAX_PAGE, pageToken }),
    );
    runs.push(...page.runs);
    pageToken = page.nextPageToken ?? undefined;
  } while (pageToken);
  const columns: CsvColumn[] = [
    { kind: 'field', name: 'run_id' },
    { kind: 'field', name: 'name' },
    { kind: 'field', name: 'experiment_id' },
    { kind: 'field', name: 'status' },
    { kind: 'field', name: 'user' },
    { kind: 'field', name: 'start_time' },
    { kind: 'field', name: 'end_time' },
    ...choice.metrics.map((key) => ({ kind: 'metric' as const, key })),
    ...choice.params.map((key) => ({ kind: 'param' as const, key })),
    ...choice.tags.map((key) => ({ kind: 'tag' as const, key })),
    { kind: 'tag', key: NOTE_TAG },
  ];
  saveBlob(new Blob([runsToCsv(runs, columns)], { type: 'text/csv;charset=utf-8' }), `${fileStem}.csv`);
  return runs.length;
}
