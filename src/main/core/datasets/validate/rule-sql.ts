import type { ColumnProfile, ValidationRule } from '../../../../shared/api/dataset-types';
import { lit } from '../inspect/duck';
import { kindOf } from '../inspect/column-sql';

/** SQL for a rule over table t: a predicate selecting failing rows (NULLs never fail, except not_null). */
export interface RuleQuery {
  /** Rows of t that fail the rule. */
  failing: string;
}

function typedLiteral(value: string | number | boolean, col: ColumnProfile): string {
  const kind = kindOf(col.duckdb_type);
  if (kind === 'nested' || kind === 'mixed') return lit(String(value));
  return `TRY_CAST(${lit(String(value))} AS ${col.duckdb_type})`;
}

/**
 * The failing-row predicate of a column rule on column `c` of type `col`:
 * - not_null: c IS NULL;
 * - range: c < min or c > max, bounds cast to the column's type (inclusive bounds);
 * - allowed_values: c not in the values (cast to the column's type; text for nested/mixed);
 * - regex: the whole value (as text) does not match the RE2 pattern (DuckDB regexp_full_match);
 * - unique: c's value occurs more than once.
 * column_exists and row_count need no row query (null).
 */
export function ruleQuery(rule: ValidationRule, c: string, col: ColumnProfile): RuleQuery | null {
  const asText = kindOf(col.duckdb_type) === 'nested' || kindOf(col.duckdb_type) === 'mixed' ? `${c}::VARCHAR` : c;
  switch (rule.kind) {
    case 'not_null':
      return { failing: `${c} IS NULL` };
    case 'range': {
      const parts: string[] = [];
      if (rule.min !== undefined) parts.push(`${c} < ${typedLiteral(rule.min, col)}`);
      if (rule.max !== undefined) parts.push(`${c} > ${typedLiteral(rule.max, col)}`);
      return { failing: `${c} IS NOT NULL AND (${parts.join(' OR ')})` };
    }
    case 'allowed_values':
      return { failing: `${c} IS NOT NULL AND ${asText} NOT IN (${rule.values.map((v) => typedLiteral(v, col)).join(', ')})` };
    case 'regex':
      return { failing: `${c} IS NOT NULL AND NOT regexp_full_match(${c}::VARCHAR, ${lit(rule.pattern)})` };
    case 'unique':
      return { failing: `${c} IS NOT NULL AND ${c} IN (SELECT ${c} FROM t WHERE ${c} IS NOT NULL GROUP BY ${c} HAVING count(*) > 1)` };
    default:
      return null;
  }
}

/** A short human description of a rule ("price in [0, 100]"). */
export function describeRule(rule: ValidationRule): string {
  switch (rule.kind) {
    case 'column_exists':
      return `column ${rule.column} exists${rule.type ? ` with type ${rule.type}` : ''}`;
    case 'not_null':
      return `${rule.column} is never missing`;
    case 'range':
      return `${rule.column} in [${rule.min ?? '−∞'}, ${rule.max ?? '+∞'}]`;
    case 'allowed_values':
      return `${rule.column} in {${rule.values.slice(0, 8).join(', ')}${rule.values.length > 8 ? ', …' : ''}}`;
    case 'regex':
      return `${rule.column} matches /${rule.pattern}/`;
    case 'unique':
      return `${rule.column} is unique`;
    case 'row_count':
      return `row count in [${rule.min ?? 0}, ${rule.max ?? '∞'}]`;
  }
}
