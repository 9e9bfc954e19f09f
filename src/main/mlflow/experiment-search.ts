import type { Experiment } from '../../shared/api/types';
import { MlflowError } from './http-reply';

/**
 * A small subset of MLflow's experiment-search filter and order_by grammar
 * (../shared/notes/mlflow-rest.md §3.1), evaluated in memory over the experiment list:
 * - clauses joined by `AND` (any case);
 * - `name` (also `attribute.name` / `attributes.name`) and `tags.<key>` / `tag.<key>` (key
 *   plain or in backticks/quotes) with `=`, `!=`, `LIKE`, `ILIKE` against a quoted string;
 * - `creation_time` / `last_update_time` with `= != < <= > >=` against an integer.
 * `order_by`: `name`, `experiment_id`, `creation_time`, `last_update_time`, each with an
 * optional `ASC`/`DESC`; the default is MLflow's `creation_time DESC, experiment_id ASC`.
 * Anything else is refused with 400 INVALID_PARAMETER_VALUE rather than silently ignored.
 */

type Clause =
  | { kind: 'text'; field: 'name' | `tag:${string}`; op: '=' | '!=' | 'LIKE' | 'ILIKE'; value: string }
  | { kind: 'time'; field: 'creation_time' | 'last_update_time'; op: '=' | '!=' | '<' | '<=' | '>' | '>='; value: number };

const TOKEN = /\s*(`[^`]*`|"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'|!=|<=|>=|=|<|>|[A-Za-z_]\w*(?:\.(?:\w+|`[^`]*`|"[^"]*"))*|-?\d+)/y;

function bad(message: string): MlflowError {
  return new MlflowError('INVALID_PARAMETER_VALUE', `Invalid experiment search filter: ${message}`);
}

function unquote(s: string): string {
  const q = s[0];
  if (q === '`') return s.slice(1, -1);
  if (q === '"' || q === "'") return s.slice(1, -1).replace(/\\(.)/g, '$1');
  return s;
}

function tokenize(filter: string): string[] {
  const out: string[] = [];
  TOKEN.lastIndex = 0;
  let pos = 0;
  while (pos < filter.length) {
    if (filter.slice(pos).trim() === '') break;
    TOKEN.lastIndex = pos;
    const m = TOKEN.exec(filter);
    if (!m) throw bad(`cannot parse at '${filter.slice(pos, pos + 20)}'`);
    out.push(m[1]!);
    pos = TOKEN.lastIndex;
  }
  return out;
}

/** Parses a filter string into AND-ed clauses. @throws MlflowError INVALID_PARAMETER_VALUE */
export function parseExperimentFilter(filter: string | undefined): Clause[] {
  if (!filter || filter.trim() === '') return [];
  const tokens = tokenize(filter);
  const clauses: Clause[] = [];
  let i = 0;
  while (i < tokens.length) {
    const [ident, rawOp, rawValue] = [tokens[i], tokens[i + 1], tokens[i + 2]];
    if (ident === undefined || rawOp === undefined || rawValue === undefined) throw bad(`incomplete clause in '${filter}'`);
    const op = rawOp.toUpperCase();
    const lower = ident.toLowerCase();
    const attr = lower.replace(/^attributes?\./, '');
    if (attr === 'name' || /^tags?\./.test(lower)) {
      if (!['=', '!=', 'LIKE', 'ILIKE'].includes(op)) throw bad(`comparator '${rawOp}' is not supported for '${ident}'`);
      if (!/^['"]/.test(rawValue)) throw bad(`'${ident}' must be compared with a quoted string`);
      const field = attr === 'name' ? 'name' : (`tag:${unquote(ident.slice(ident.indexOf('.') + 1))}` as const);
      clauses.push({ kind: 'text', field, op: op as '=' | '!=' | 'LIKE' | 'ILIKE', value: unquote(rawValue) });
    } else if (attr === 'creation_time' || attr === 'last_update_time') {
      if (!['=', '!=', '<', '<=', '>', '>='].includes(op)) throw bad(`comparator '${rawOp}' is not supported for '${ident}'`);
      const value = Number(rawValue);
      if (!Number.isSafeInteger(value)) throw bad(`'${ident}' must be compared with an integer`);
      clauses.push({ kind: 'time', field: attr, op: op as '=' | '!=' | '<' | '<=' | '>' | '>=', value });
    } else {
      throw bad(`'${ident}' is not a supported attribute (name, tags.<key>, creation_time, last_update_time)`);
    }
    i += 3;
    if (i < tokens.length) {
      if (tokens[i]!.toUpperCase() !== 'AND') throw bad(`expected AND, got '${tokens[i]}'`);
      i++;
      if (i >= tokens.length) throw bad('a filter must not end with AND');
    }
  }
  return clauses;
}

/** SQL LIKE as a regular expression: `%` any run, `_` one character. */
function likeToRegExp(pattern: string, ignoreCase: boolean): RegExp {
  const body = pattern.replace(/[.*+?^${}()|[\]\\]/g, '\\$&').replace(/%/g, '[\\s\\S]*').replace(/_/g, '[\\s\\S]');
  return new RegExp(`^${body}$`, ignoreCase ? 'i' : '');
}

function matches(e: Experiment, c: Clause): boolean {
  if (c.kind === 'time') {
    const v = c.field === 'creation_time' ? e.creationTime : e.lastUpdateTime;
    switch (c.op) {
      case '=': return v === c.value;
      case '!=': return v !== c.value;
      case '<': return v < c.value;
      case '<=': return v <= c.value;
      case '>': return v > c.value;
      default: return v >= c.value;
    }
  }
  const actual = c.field === 'name' ? e.name : e.tags[c.field.slice(4)];
  // A tag the experiment lacks matches no comparison (SQL semantics: NULL compares to nothing).
  if (actual === undefined) return false;
  switch (c.op) {
    case '=': return actual === c.value;
    case '!=': return actual !== c.value;
    case 'LIKE': return likeToRegExp(c.value, false).test(actual);
    default: return likeToRegExp(c.value, true).test(actual);
  }
}

const ORDER_KEYS = {
  name: (e: Experiment) => e.name,
  experiment_id: (e: Experiment) => Number(e.experimentId),
  creation_time: (e: Experiment) => e.creationTime,
  last_update_time: (e: Experiment) => e.lastUpdateTime,
} as const;

/**
 * Filters and orders experiments.
 * @throws MlflowError INVALID_PARAMETER_VALUE for an unsupported filter or order_by.
 */
export function searchExperiments(all: Experiment[], filter: string | undefined, orderBy: string[]): Experiment[] {
  const clauses = parseExperimentFilter(filter);
  const keys = (orderBy.length ? orderBy : ['creation_time DESC']).map((o) => {
    const m = /^\s*(?:attributes?\.)?(\w+)\s*(ASC|DESC)?\s*$/i.exec(o);
    const key = m?.[1]?.toLowerCase() as keyof typeof ORDER_KEYS | undefined;
    if (!m || !key || !(key in ORDER_KEYS)) throw new MlflowError('INVALID_PARAMETER_VALUE', `Invalid order_by clause '${o}' (name, experiment_id, creation_time or last_update_time, then ASC or DESC)`);
    return { get: ORDER_KEYS[key], desc: m[2]?.toUpperCase() === 'DESC' };
  });
  keys.push({ get: ORDER_KEYS.experiment_id, desc: false });
  return all
    .filter((e) => clauses.every((c) => matches(e, c)))
    .sort((a, b) => {
      for (const k of keys) {
        const x = k.get(a);
        const y = k.get(b);
        if (x !== y) return (x < y ? -1 : 1) * (k.desc ? -1 : 1);
      }
      return 0;
    });
}
