import type { IToken } from 'chevrotain';
import { LatheError } from '../../../shared/errors';
import { unquote } from '../search/filter-ast';
import { isStringToken, parseRawClauses, type RawClause } from '../search/filter-parser';

/**
 * MLflow's search filter grammar for registered models, model versions and logged models
 * (mlflow/utils/search_utils.py; ../shared/notes/mlflow-rest.md §3.6, §3.7), parsed by the
 * runs search's chevrotain grammar into clauses and evaluated in memory (registries hold
 * hundreds of entries, not millions).
 *
 * - Clauses are joined by `AND` (any case); there is no `OR` and no parentheses except around
 *   an `IN` list.
 * - An identifier is `name` / `attribute.name` / `attributes.name`, `tags.<k>` / `tag.<k>`,
 *   `params.<k>` / `param.<k>`, `metrics.<k>` / `metric.<k>`; keys may be quoted with
 *   backticks or double quotes (`` tag.`mlflow.prompt.is_prompt` ``).
 * - Comparators: `= != < <= > >=` for numbers; `= != LIKE ILIKE` and `IN (…)` / `NOT IN (…)`
 *   for strings. String values are single- or double-quoted.
 * Which identifiers and comparators are allowed is given per entity by a {@link FilterSpec}.
 */

export type Comparator = '=' | '!=' | '<' | '<=' | '>' | '>=' | 'LIKE' | 'ILIKE' | 'IN' | 'NOT IN';
export type FilterEntity = 'attribute' | 'tag' | 'param' | 'metric';

/** One `<identifier> <comparator> <value>` clause. */
export interface FilterClause {
  entity: FilterEntity;
  /** attribute name (canonical, after aliases) or tag/param/metric key */
  key: string;
  op: Comparator;
  /** a string, a number (numeric attributes and metrics), or a list for IN / NOT IN */
  value: string | number | string[];
}

/** What a search accepts: attributes with their type (and aliases), and which key kinds. */
export interface FilterSpec {
  /** e.g. "registered model", for error messages */
  what: string;
  attributes: Record<string, 'string' | 'number'>;
  /** alternative attribute names → canonical ones (`source_path` → `source`, …) */
  aliases?: Record<string, string>;
  /** string attributes that also take IN / NOT IN */
  inAttributes?: string[];
  entities: FilterEntity[];
}

const STRING_OPS: Comparator[] = ['=', '!=', 'LIKE', 'ILIKE'];
const NUMBER_OPS: Comparator[] = ['=', '!=', '<', '<=', '>', '>='];


function bad(spec: FilterSpec, message: string): LatheError {
  return new LatheError('INVALID_PARAMETER_VALUE', `Invalid ${spec.what} search filter: ${message}`, { field: 'filter' });
}



const PREFIXES: Record<string, FilterEntity> = {
  attribute: 'attribute',
  attributes: 'attribute',
  attr: 'attribute',
  tag: 'tag',
  tags: 'tag',
  param: 'param',
  params: 'param',
  parameter: 'param',
  parameters: 'param',
  metric: 'metric',
  metrics: 'metric',
};

function identifier(ident: string, spec: FilterSpec): { entity: FilterEntity; key: string } {
  const dot = ident.indexOf('.');
  const prefix = dot > 0 ? PREFIXES[ident.slice(0, dot).toLowerCase()] : undefined;
  let entity: FilterEntity = 'attribute';
  let key = ident;
  if (prefix) {
    entity = prefix;
    key = unquote(ident.slice(dot + 1));
  } else if (/^[`"]/.test(ident)) {
    key = unquote(ident);
  }
  if (entity === 'attribute') {
    const lower = key.toLowerCase();
    key = spec.aliases?.[lower] ?? lower;
    if (!(key in spec.attributes)) {
      throw bad(spec, `'${ident}' is not a valid attribute (${Object.keys(spec.attributes).join(', ')})`);
    }
  } else if (!spec.entities.includes(entity)) {
    throw bad(spec, `'${ident}': ${entity} keys cannot be searched here`);
  }
  if (key === '') throw bad(spec, `empty key in '${ident}'`);
  return { entity, key };
}

/**
 * Parses a filter string; empty or absent gives `[]`. The syntax is the runs search's
 * (chevrotain, search/filter-parser.ts); which fields and comparisons are allowed is `spec`'s.
 * @throws LatheError INVALID_PARAMETER_VALUE for anything outside the grammar or `spec`.
 */
export function parseSearchFilter(filter: string | undefined, spec: FilterSpec): FilterClause[] {
  if (!filter || filter.trim() === '') return [];
  return parseRawClauses(filter).map((raw) => toFilterClause(raw, spec));
}

function toFilterClause(raw: RawClause, spec: FilterSpec): FilterClause {
  const ident = raw.ident.image;
  const { entity, key } = identifier(ident, spec);
  const numeric = entity === 'metric' || (entity === 'attribute' && spec.attributes[key] === 'number');
  switch (raw.form) {
    case 'null':
      throw bad(spec, `IS NULL / IS NOT NULL is not supported for '${ident}'`);
    case 'in': {
      const op: Comparator = raw.negated ? 'NOT IN' : 'IN';
      if (numeric || (entity === 'attribute' && !spec.inAttributes?.includes(key))) throw bad(spec, `'${op}' is not supported for '${ident}'`);
      if (!raw.values.every(isStringToken)) throw bad(spec, `'${op}' list values must be quoted strings`);
      return { entity, key, op, value: raw.values.map((v) => unquote(v.image)) };
    }
    case 'like': {
      const op = raw.op!.image.toUpperCase() as Comparator;
      if (raw.negated) throw bad(spec, `'NOT ${op}' is not supported for '${ident}' (${STRING_OPS.join(' ')})`);
      if (numeric) throw bad(spec, `comparator '${op}' is not supported for '${ident}' (${NUMBER_OPS.join(' ')})`);
      return { entity, key, op, value: stringValue(raw.values[0]!, ident, spec) };
    }
    case 'compare': {
      const written = raw.op!.image;
      const op = (written === '<>' ? '!=' : written === '==' ? '=' : written) as Comparator;
      if (numeric) {
        if (!NUMBER_OPS.includes(op)) throw bad(spec, `comparator '${written}' is not supported for '${ident}' (${NUMBER_OPS.join(' ')})`);
        // A quoted number is taken too, as MLflow's registry search does ('version_number = "2"').
        const v = raw.values[0]!;
        const value = Number(unquote(v.image));
        if (unquote(v.image).trim() === '' || !Number.isFinite(value)) throw bad(spec, `'${ident}' must be compared with a number, got ${v.image}`);
        return { entity, key, op, value };
      }
      if (!STRING_OPS.includes(op)) throw bad(spec, `comparator '${written}' is not supported for '${ident}' (${STRING_OPS.join(' ')})`);
      return { entity, key, op, value: stringValue(raw.values[0]!, ident, spec) };
    }
  }
}

function stringValue(t: IToken, ident: string, spec: FilterSpec): string {
  if (!isStringToken(t)) throw bad(spec, `'${ident}' must be compared with a quoted string, got ${t.image}`);
  return unquote(t.image);
}

/** SQL LIKE as a regular expression: `%` any run, `_` one character. */
export function likeToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '[\\s\\S]*').replace(/_/g, '[\\s\\S]');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
}

/**
 * Whether a value satisfies a clause. A missing value (tag, param or metric the entity lacks)
 * matches nothing, as in SQL.
 */
export function clauseMatches(c: FilterClause, actual: string | number | undefined): boolean {
  if (actual === undefined) return false;
  const v = c.value;
  switch (c.op) {
    case '=': return actual === v || (typeof v === 'number' && Number(actual) === v);
    case '!=': return !(actual === v || (typeof v === 'number' && Number(actual) === v));
    case '<': return Number(actual) < (v as number);
    case '<=': return Number(actual) <= (v as number);
    case '>': return Number(actual) > (v as number);
    case '>=': return Number(actual) >= (v as number);
    case 'LIKE': return likeToRegExp(v as string, false).test(String(actual));
    case 'ILIKE': return likeToRegExp(v as string, true).test(String(actual));
    case 'IN': return (v as string[]).includes(String(actual));
    default: return !(v as string[]).includes(String(actual));
  }
}

/** One parsed `order_by` item. */
export interface OrderKey {
  entity: FilterEntity;
  key: string;
  desc: boolean;
}

/**
 * Parses `order_by` items such as `name`, `last_updated_timestamp DESC`, `metrics.acc ASC`.
 * @param allowed canonical attribute names that may be ordered by (with aliases from `spec`).
 * @param metrics whether `metrics.<k>` may be ordered by.
 * @throws LatheError INVALID_PARAMETER_VALUE for an unknown key or a duplicate.
 */
export function parseOrderBy(items: string[], spec: FilterSpec, allowed: string[], metrics = false): OrderKey[] {
  const seen = new Set<string>();
  return items.map((item) => {
    const m = /^\s*(.+?)(?:\s+(ASC|DESC))?\s*$/i.exec(item);
    if (!m) throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${item}'`, { field: 'order_by' });
    let parsed: { entity: FilterEntity; key: string };
    try {
      parsed = identifier(m[1]!.trim(), { ...spec, entities: metrics ? ['metric'] : [] });
    } catch {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid order by key '${m[1]}' specified. Valid keys are ${allowed.join(', ')}`, { field: 'order_by' });
    }
    if (parsed.entity === 'attribute' && !allowed.includes(parsed.key)) {
      throw new LatheError('INVALID_PARAMETER_VALUE', `Invalid order by key '${m[1]}' specified. Valid keys are ${allowed.join(', ')}`, { field: 'order_by' });
    }
    const id = `${parsed.entity}:${parsed.key}`;
    if (seen.has(id)) throw new LatheError('INVALID_PARAMETER_VALUE', `\`order_by\` contains duplicate fields: ${items.join(', ')}`, { field: 'order_by' });
    seen.add(id);
    return { ...parsed, desc: m[2]?.toUpperCase() === 'DESC' };
  });
}

/** Compares two sort values: numbers numerically, strings by code point; missing values last. */
export function compareValues(a: string | number | undefined, b: string | number | undefined): number {
  if (a === b) return 0;
  if (a === undefined) return 1;
  if (b === undefined) return -1;
  return a < b ? -1 : 1;
}
