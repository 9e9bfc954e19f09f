import type { DatasetProfile, RuleResult, ValidationReport, ValidationRule } from '../../../../shared/api/dataset-types';
import { LatheError } from '../../../../shared/errors';
import { openProfiledSource } from '../inspect/profiled-table';
import { linesOfRows } from '../inspect/row-lines';
import { colId } from '../inspect/csv-loader';
import { kindOf } from '../inspect/column-sql';
import { describeRule, ruleQuery } from './rule-sql';

const EXAMPLES = 5;

/**
 * Checks `rules` against a file's data in DuckDB (the typed table its profile reads): each
 * rule gets the number of failing rows, the rows checked, and up to five failing rows with
 * their row number, physical line and value. Rules on a missing column fail.
 * @param file the file on disk; `profile` its (cached) profile.
 * @throws LatheError INVALID_PARAMETER_VALUE for a regex DuckDB (RE2) cannot compile; Error
 *   from DuckDB when the file cannot be read; AbortError when `signal` aborts.
 */
export async function validateFile(
  file: string,
  profile: DatasetProfile,
  rules: ValidationRule[],
  meta: { dataset: string; digest: string; file: string; tempDir: string; now: number; signal?: AbortSignal },
): Promise<ValidationReport> {
  const needsData = rules.some((r) => r.kind !== 'column_exists' && r.kind !== 'row_count');
  const src = needsData ? await openProfiledSource(file, profile, meta.tempDir, { materialize: true, signal: meta.signal }) : null;
  const results: RuleResult[] = [];
  try {
    const text = profile.columns.filter((c) => kindOf(c.duckdb_type) === 'string').map((c) => colId(c.position));
    for (const rule of rules) {
      const base = { rule, examples: [] as RuleResult['examples'] };
      if (rule.kind === 'row_count') {
        const failing = (rule.min !== undefined && profile.rows < rule.min) || (rule.max !== undefined && profile.rows > rule.max) ? 1 : 0;
        results.push({ ...base, passed: failing === 0, failing, checked: 1, message: `${profile.rows.toLocaleString('en-US')} rows; expected ${describeRule(rule).replace('row count in ', '')}` });
        continue;
      }
      const col = profile.columns.find((c) => c.name === rule.column);
      if (!col) {
        results.push({ ...base, passed: false, failing: 1, checked: 0, message: `No column named '${rule.column}' (columns: ${profile.columns.slice(0, 12).map((c) => c.name).join(', ')}${profile.columns.length > 12 ? ', …' : ''})` });
        continue;
      }
      if (rule.kind === 'column_exists') {
        const ok = !rule.type || rule.type === col.inferred_type;
        results.push({ ...base, passed: ok, failing: ok ? 0 : 1, checked: 1, message: ok ? `${col.name} is ${col.inferred_type}` : `${col.name} is ${col.inferred_type}, not ${rule.type}` });
        continue;
      }
      const q = ruleQuery(rule, colId(col.position), col)!;
      const c = colId(col.position);
      const [counts] = await src!.duck.all(`SELECT count(*) FILTER (WHERE ${q.failing}) AS failing, count(*) AS checked FROM t`);
      const failing = Number(counts?.failing ?? 0);
      const rows = failing ? await src!.duck.all(`SELECT rowid AS r, ${c}::VARCHAR AS v FROM t WHERE ${q.failing} ORDER BY rowid LIMIT ${EXAMPLES}`) : [];
      const lines = await linesOfRows(src!.duck, profile.row_lines, text, rows.map((r) => Number(r.r)));
      const examples = rows.map((r, i) => ({ row: Number(r.r) + 1, line: lines[i] ?? null, value: r.v === null || r.v === undefined ? null : String(r.v) }));
      results.push({
        rule,
        passed: failing === 0,
        failing,
        checked: Number(counts?.checked ?? 0),
        examples,
        message: failing === 0 ? `${describeRule(rule)}: all ${Number(counts?.checked ?? 0).toLocaleString('en-US')} rows pass` : `${describeRule(rule)}: ${failing.toLocaleString('en-US')} row${failing === 1 ? '' : 's'} fail`,
      });
    }
  } catch (err) {
    const msg = err instanceof Error ? err.message : String(err);
    if (/regexp|RE2|invalid perl operator|missing \)/i.test(msg)) throw new LatheError('INVALID_PARAMETER_VALUE', `A rule's regex does not compile in DuckDB (RE2 syntax): ${msg.split('\n')[0]}`, { field: 'rules' });
    throw err;
  } finally {
    src?.close();
  }
  return { dataset: meta.dataset, digest: meta.digest, file: meta.file, passed: results.every((r) => r.passed), results, checkedAt: meta.now };
}

