import { describe, expect, it } from 'vitest';
import { clauseMatches, parseOrderBy, parseSearchFilter, type FilterSpec } from './search-filter';

const SPEC: FilterSpec = {
  what: 'test',
  attributes: { name: 'string', run_id: 'string', version_number: 'number' },
  aliases: { version: 'version_number' },
  inAttributes: ['run_id'],
  entities: ['tag', 'metric'],
};

describe('search filter grammar', () => {
  it('parses AND-ed clauses with quoted keys, IN lists, numbers and aliases', () => {
    expect(parseSearchFilter(`name = 'a' and tag.\`mlflow.prompt.is_prompt\` != "true" AND run_id NOT IN ('x', "y") AND metrics.acc >= 0.5 AND version < 3`, SPEC)).toEqual([
      { entity: 'attribute', key: 'name', op: '=', value: 'a' },
      { entity: 'tag', key: 'mlflow.prompt.is_prompt', op: '!=', value: 'true' },
      { entity: 'attribute', key: 'run_id', op: 'NOT IN', value: ['x', 'y'] },
      { entity: 'metric', key: 'acc', op: '>=', value: 0.5 },
      { entity: 'attribute', key: 'version_number', op: '<', value: 3 },
    ]);
    expect(parseSearchFilter('  ', SPEC)).toEqual([]);
    expect(parseSearchFilter("attributes.name LIKE 'it\\'s%'", SPEC)[0]!.value).toBe("it's%");
  });

  it('refuses what the spec does not allow, with INVALID_PARAMETER_VALUE', () => {
    for (const f of ["params.x = '1'", "source = 'x'", "name IN ('a')", "name < 'a'", "metrics.acc = 'x'", "name = 'a' OR name = 'b'", "name = 'a' AND", "name = a", "name <<< 'a'"]) {
      expect(() => parseSearchFilter(f, SPEC), f).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    }
  });

  it('syntax errors name the position (the runs search parser); quoted numbers are taken for numeric fields', () => {
    expect(() => parseSearchFilter("name <<< 'a'", SPEC)).toThrow("Invalid test search filter: comparator '<<<' is not supported for 'name' (= != LIKE ILIKE)");
    expect(() => parseSearchFilter("name = 'a' name = 'b'", SPEC)).toThrow("Invalid filter at position 12 near 'name = 'b'': expected AND between clauses (MLflow filters join clauses with AND only)");
    expect(() => parseSearchFilter("name = 'a' OR name = 'b'", SPEC)).toThrow(/position 12 .*OR is not supported/);
    expect(() => parseSearchFilter('tags.t IS NULL', SPEC)).toThrow("Invalid test search filter: IS NULL / IS NOT NULL is not supported for 'tags.t'");
    expect(() => parseSearchFilter("name NOT LIKE 'a%'", SPEC)).toThrow(/'NOT LIKE' is not supported/);
    expect(parseSearchFilter(`version_number = "2" AND name <> 'x'`, SPEC)).toEqual([
      { entity: 'attribute', key: 'version_number', op: '=', value: 2 },
      { entity: 'attribute', key: 'name', op: '!=', value: 'x' },
    ]);
  });

  it('matches like SQL: LIKE is case-sensitive, ILIKE not, a missing value matches nothing', () => {
    const c = (f: string) => parseSearchFilter(f, SPEC)[0]!;
    expect(clauseMatches(c("name LIKE 'ab_%'"), 'abcd')).toBe(true);
    expect(clauseMatches(c("name LIKE 'AB%'"), 'abcd')).toBe(false);
    expect(clauseMatches(c("name ILIKE 'AB%'"), 'abcd')).toBe(true);
    expect(clauseMatches(c("tags.t != 'x'"), undefined)).toBe(false);
    expect(clauseMatches(c('version_number = 2'), 2)).toBe(true);
    expect(clauseMatches(c("run_id IN ('a', 'b')"), 'b')).toBe(true);
  });

  it('parses order_by with direction and refuses unknown or repeated keys', () => {
    expect(parseOrderBy(['name DESC', 'version'], SPEC, ['name', 'version_number'])).toEqual([
      { entity: 'attribute', key: 'name', desc: true },
      { entity: 'attribute', key: 'version_number', desc: false },
    ]);
    expect(() => parseOrderBy(['run_id'], SPEC, ['name'])).toThrow(/Invalid order by key/);
    expect(() => parseOrderBy(['name', 'name DESC'], SPEC, ['name'])).toThrow(/duplicate/);
  });
});
