import { LatheError } from '../../../shared/errors';

/**
 * The typed syntax tree of MLflow's run-search filter grammar
 * (../shared/notes/mlflow-rest.md §3.2) and the rules that say which comparisons each kind of
 * field takes. Built by filter-parser.ts, turned into SQL by filter-sql.ts.
 *
 * Fields:
 * - `metrics.<key>` (also `metric.`): the run's latest value of the key, compared as a number.
 * - `params.<key>` (also `param.`, `parameter.`, `parameters.`) and `tags.<key>` (also `tag.`):
 *   strings.
 * - `attributes.<name>` (also `attribute.`, `attr.`, `run.`, or the bare name): `run_id`,
 *   `run_name` (also `` `run name` ``), `status`, `user_id`, `artifact_uri`, `experiment_id`
 *   (strings); `start_time` (also `created`, `Created`) and `end_time` (ms since the epoch,
 *   numbers).
 * - `datasets.<name|digest|context>`: recognised and refused with a clear message (Lathe does
 *   not search run inputs yet).
 * Keys are plain (`metrics.val_loss`, dots and `/ - :` allowed inside) or quoted with
 * backquotes or double quotes (`` metrics.`val loss` ``, `tags."a b"`).
 */

export type Entity = 'metric' | 'param' | 'tag' | 'attribute';
export type CompareOp = '=' | '!=' | '<' | '<=' | '>' | '>=';

/** A field reference with where it was written (0-based offset into the filter). */
export interface FieldRef {
  entity: Entity;
  /** Metric/param/tag key, or the canonical attribute name (e.g. `start_time` for `created`). */
  key: string;
  /** The identifier as written. */
  text: string;
  offset: number;
}

export type Clause =
  | { kind: 'compare'; field: FieldRef; op: CompareOp; value: string | number }
  | { kind: 'like'; field: FieldRef; op: 'LIKE' | 'ILIKE'; negated: boolean; pattern: string }
  | { kind: 'in'; field: FieldRef; negated: boolean; values: string[] }
  | { kind: 'null'; field: FieldRef; negated: boolean };

/** A parsed filter: clauses joined by AND (MLflow has no OR). Empty matches everything. */
export interface Filter {
  clauses: Clause[];
}

/** Attribute name → runs column and value kind. */
export const ATTRIBUTES: Record<string, { column: string; kind: 'string' | 'number' }> = {
  run_id: { column: 'run_id', kind: 'string' },
  run_name: { column: 'name', kind: 'string' },
  status: { column: 'status', kind: 'string' },
  user_id: { column: 'user_id', kind: 'string' },
  artifact_uri: { column: 'artifact_uri', kind: 'string' },
  experiment_id: { column: 'experiment_id', kind: 'string' },
  start_time: { column: 'start_time', kind: 'number' },
  end_time: { column: 'end_time', kind: 'number' },
};

/** Other spellings MLflow accepts for attributes. */
const ATTRIBUTE_ALIASES: Record<string, string> = {
  created: 'start_time',
  'run name': 'run_name',
};

const ENTITY_PREFIXES: Record<string, Entity | 'dataset'> = {
  metric: 'metric',
  metrics: 'metric',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  tag: 'tag',
  tags: 'tag',
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  run: 'attribute',
  dataset: 'dataset',
  datasets: 'dataset',
};

const VALID_ATTRIBUTE_LIST = Object.keys(ATTRIBUTES).join(', ');

/**
 * An INVALID_PARAMETER_VALUE error that names where in the filter (1-based position) and
 * near which text the problem is, e.g. "Invalid filter at position 11 near '<<< 1': …".
 * `details` carries `{ filter, position, token }` for UIs that underline the spot.
 */
export function filterError(source: string, offset: number, token: string, reason: string, what = 'filter'): LatheError {
  const atEnd = offset >= source.length;
  const near = atEnd ? 'at the end' : `near '${source.slice(offset, offset + 24).trimEnd()}${source.length > offset + 24 ? '…' : ''}'`;
  return new LatheError('INVALID_PARAMETER_VALUE', `Invalid ${what} at position ${offset + 1} ${near}: ${reason}`, {
    field: what === 'filter' ? 'filter' : 'order_by',
    [what === 'filter' ? 'filter' : 'orderBy']: source,
    position: offset + 1,
    token,
  });
}

/** Strips the quotes of a quoted key or string and undoes `\x` and doubled-quote escapes. */
export function unquote(s: string): string {
  const q = s[0];
  if (q !== '`' && q !== '"' && q !== "'") return s;
  const body = s.slice(1, -1);
  if (q === '`') return body;
  return body.replace(new RegExp(`${q}${q}`, 'g'), q).replace(/\\(.)/g, '$1');
}

/**
 * Resolves an identifier token (`metrics.loss`, `` tags.`a b` ``, `status`) to a field.
 * @throws LatheError INVALID_PARAMETER_VALUE (unknown prefix or attribute, datasets.*).
 */
export function resolveField(source: string, text: string, offset: number, what = 'filter'): FieldRef {
  const dot = text.indexOf('.');
  if (dot < 0) {
    const attr = ATTRIBUTE_ALIASES[text.toLowerCase()] ?? text.toLowerCase();
    if (ATTRIBUTES[attr]) return { entity: 'attribute', key: attr, text, offset };
    throw filterError(
      source,
      offset,
      text,
      `unknown identifier '${text}'. Write 'metrics.<key>', 'params.<key>', 'tags.<key>' or 'attributes.<name>' (attributes: ${VALID_ATTRIBUTE_LIST})`,
      what,
    );
  }
  const prefix = text.slice(0, dot).toLowerCase();
  const key = unquote(text.slice(dot + 1));
  const entity = ENTITY_PREFIXES[prefix];
  if (!entity) {
    throw filterError(source, offset, text, `unknown entity '${text.slice(0, dot)}' in '${text}'; use metrics., params., tags. or attributes.`, what);
  }
  if (key === '') throw filterError(source, offset, text, `'${text}' names no key`, what);
  if (entity === 'dataset') {
    throw filterError(source, offset, text, `'${text}': searching by dataset inputs (datasets.name, datasets.digest, datasets.context) is not supported by Lathe`, what);
  }
  if (entity === 'attribute') {
    const attr = ATTRIBUTE_ALIASES[key.toLowerCase()] ?? key.toLowerCase();
    if (!ATTRIBUTES[attr]) throw filterError(source, offset, text, `invalid attribute '${key}'; valid attributes are ${VALID_ATTRIBUTE_LIST} (and created, an alias of start_time)`, what);
    return { entity, key: attr, text, offset };
  }
  return { entity, key, text, offset };
}
