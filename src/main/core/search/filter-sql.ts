import { ATTRIBUTES, type Clause, type CompareOp, type FieldRef, type Filter } from './filter-ast';

/**
 * Compiles a parsed filter into a SQL condition over the `runs` table aliased `r`, with every
 * value bound as a parameter. The only text spliced into the SQL comes from fixed tables in
 * this file (column names, comparators); keys, strings and numbers are always `?` parameters.
 *
 * Semantics (MLflow's SQL store):
 * - a clause on a metric, param or tag matches only runs that have that key, so `!=` and
 *   `NOT IN` leave out runs without it; `IS NULL` matches runs without it;
 * - metrics compare the run's latest value; a NaN latest value matches only `!=`;
 * - `LIKE` is case-sensitive (compiled to GLOB), `ILIKE` is not (ASCII letters);
 * - string attributes compare as text (`experiment_id` too); `end_time` of a running run is NULL.
 * Each clause is an `r.id IN (subquery)` that the indexes of migration 5 answer without
 * scanning history: latest_metrics (key_id, is_nan, value), params/tags (key, value).
 */
export interface SqlCondition {
  /** A boolean SQL expression; `1` for an empty filter. */
  sql: string;
  params: Array<string | number>;
}

/** Fixed comparator spellings (never user text). */
const SQL_OPS: Record<CompareOp, string> = { '=': '=', '!=': '!=', '<': '<', '<=': '<=', '>': '>', '>=': '>=' };

/** SQL LIKE pattern → GLOB pattern: `%` → `*`, `_` → `?`, GLOB's own wildcards made literal. */
export function likeToGlob(pattern: string): string {
  let out = '';
  for (const ch of pattern) {
    if (ch === '%') out += '*';
    else if (ch === '_') out += '?';
    else if (ch === '*' || ch === '?' || ch === '[') out += `[${ch}]`;
    else out += ch;
  }
  return out;
}

const METRIC_KEY_ID = '(SELECT id FROM metric_keys WHERE key = ?)';

/** The text-valued column expression of a string attribute. */
function attributeColumn(field: FieldRef): string {
  const a = ATTRIBUTES[field.key]!;
  return a.column === 'experiment_id' ? 'CAST(r.experiment_id AS TEXT)' : `r.${a.column}`;
}

/** `value <op> …` for strings: =, !=, (NOT) LIKE/ILIKE, (NOT) IN, against column `col`. */
function stringTest(col: string, c: Clause, params: Array<string | number>): string {
  switch (c.kind) {
    case 'compare':
      params.push(c.value as string);
      return `${col} ${SQL_OPS[c.op]} ?`;
    case 'like':
      params.push(c.op === 'LIKE' ? likeToGlob(c.pattern) : c.pattern);
      return `${c.negated ? 'NOT ' : ''}(${col} ${c.op === 'LIKE' ? 'GLOB' : 'LIKE'} ?)`;
    case 'in':
      params.push(...c.values);
      return `${col} ${c.negated ? 'NOT IN' : 'IN'} (${c.values.map(() => '?').join(', ')})`;
    default:
      throw new Error(`unreachable: ${c.kind}`);
  }
}

function clauseSql(c: Clause, params: Array<string | number>): string {
  const f = c.field;
  if (f.entity === 'attribute') {
    const a = ATTRIBUTES[f.key]!;
    if (c.kind === 'null') return `r.${a.column} IS ${c.negated ? 'NOT ' : ''}NULL`;
    if (a.kind === 'number') {
      const cmp = c as Extract<Clause, { kind: 'compare' }>;
      params.push(cmp.value as number);
      return `r.${a.column} ${SQL_OPS[cmp.op]} ?`;
    }
    return stringTest(attributeColumn(f), c, params);
  }
  if (f.entity === 'metric') {
    params.push(f.key);
    if (c.kind === 'null') return `r.id ${c.negated ? 'IN' : 'NOT IN'} (SELECT run FROM latest_metrics WHERE key_id = ${METRIC_KEY_ID})`;
    const cmp = c as Extract<Clause, { kind: 'compare' }>;
    params.push(cmp.value as number);
    const test = cmp.op === '!=' ? '(is_nan = 1 OR value != ?)' : `is_nan = 0 AND value ${SQL_OPS[cmp.op]} ?`;
    return `r.id IN (SELECT run FROM latest_metrics WHERE key_id = ${METRIC_KEY_ID} AND ${test})`;
  }
  const table = f.entity === 'param' ? 'params' : 'tags';
  params.push(f.key);
  if (c.kind === 'null') return `r.id ${c.negated ? 'IN' : 'NOT IN'} (SELECT run FROM ${table} WHERE key = ?)`;
  return `r.id IN (SELECT run FROM ${table} WHERE key = ? AND ${stringTest('value', c, params)})`;
}

/** The SQL condition for a parsed filter (see the module comment). */
export function compileFilter(filter: Filter): SqlCondition {
  const params: Array<string | number> = [];
  const parts = filter.clauses.map((c) => clauseSql(c, params));
  return { sql: parts.length ? parts.join(' AND ') : '1', params };
}
