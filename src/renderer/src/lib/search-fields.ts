/**
 * Columns of the runs table as MLflow search fields, so the table can hand its sort order to
 * `runs.search` (order_by) and write filter clauses the server parses.
 */

export type ColumnKind = 'param' | 'metric' | 'tag';

const ENTITY: Record<ColumnKind, string> = { param: 'params', metric: 'metrics', tag: 'tags' };

/** A key the filter grammar reads unquoted: `[A-Za-z0-9_][A-Za-z0-9_.\-/:]*`; others go in backquotes. */
const PLAIN_KEY = /^[A-Za-z0-9_][A-Za-z0-9_.\-/:]*$/;

/** `metrics.val_loss`, `` params.`batch size` ``; a key holding a backquote goes in escaped double quotes. */
export function fieldName(kind: ColumnKind, key: string): string {
  if (PLAIN_KEY.test(key)) return `${ENTITY[kind]}.${key}`;
  if (!key.includes('`')) return `${ENTITY[kind]}.\`${key}\``;
  return `${ENTITY[kind]}."${key.replace(/["\\]/g, (c) => `\\${c}`)}"`;
}

/** The runs table's column ids: `param:<key>`, `metric:<key>`, `tag:<key>`, or a fixed column. */
export function columnId(kind: ColumnKind, key: string): string {
  return `${kind}:${key}`;
}

export function parseColumnId(id: string): { kind: ColumnKind; key: string } | null {
  const i = id.indexOf(':');
  if (i < 0) return null;
  const kind = id.slice(0, i);
  return kind === 'param' || kind === 'metric' || kind === 'tag' ? { kind, key: id.slice(i + 1) } : null;
}

/** The note MLflow's UI writes on a run, shown (and edited) as the Notes column. */
export const NOTE_TAG = 'mlflow.note.content';

/** Fixed columns that the server can sort by, and their MLflow attribute. */
const ATTRIBUTE_ORDER: Record<string, string> = {
  name: 'attributes.run_name',
  status: 'attributes.status',
  started: 'attributes.start_time',
  user: 'attributes.user_id',
  note: fieldName('tag', NOTE_TAG),
};

/** Whether a column id can be sorted by the server. */
export function isSortable(id: string): boolean {
  return id in ATTRIBUTE_ORDER || parseColumnId(id) !== null;
}

/** A table sort state as `runs.search` order_by items (`metrics.loss DESC`). */
export function orderByFor(sorting: ReadonlyArray<{ id: string; desc: boolean }>): string[] {
  return sorting.flatMap(({ id, desc }) => {
    const parsed = parseColumnId(id);
    const field = parsed ? fieldName(parsed.kind, parsed.key) : ATTRIBUTE_ORDER[id];
    return field ? [`${field} ${desc ? 'DESC' : 'ASC'}`] : [];
  });
}

/** A filter clause matching exactly these runs, for `runs.search`. */
export function runIdsFilter(runIds: readonly string[]): string {
  return `attributes.run_id IN (${runIds.map((id) => `'${id.replace(/'/g, "''")}'`).join(', ')})`;
}
