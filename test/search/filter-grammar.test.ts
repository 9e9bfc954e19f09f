import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseFilter } from '../../src/main/core/search/filter-parser';
import { compileFilter, likeToGlob } from '../../src/main/core/search/filter-sql';
import { seedGrammarStore, type Seeded } from './seed';

/**
 * MLflow's run-search filter grammar: a table of filters and the runs each selects on the
 * seeded store (see seed.ts for its contents), then a table of bad filters and the position
 * and reason each error names.
 */

let s: Seeded;
beforeAll(() => {
  s = seedGrammarStore();
});
afterAll(() => s?.close());

function names(filter: string): string[] {
  const res = s.core.search.runs.search({ experimentIds: [s.experimentId], filter, maxResults: 100 });
  return res.runs.map((r) => r.info.name).sort();
}

const ALL = ['alpha-1', 'alpha-2', 'beta-1', 'beta_2'];

const CASES: Array<[string, string[]]> = [
  ['', ALL],
  ['   ', ALL],
  // metrics: numbers, the latest value, NaN and ±Infinity
  ['metrics.val_loss < 0.5', ['alpha-1']],
  ['metrics.val_loss > 0.5', ['alpha-2', 'beta-1']],
  ['metrics.val_loss >= 0.3', ['alpha-1', 'alpha-2', 'beta-1']],
  ['metrics.val_loss <= 0.6', ['alpha-1', 'alpha-2']],
  ['metrics.val_loss = 0.3', ['alpha-1']],
  ['metrics.val_loss == 0.3', ['alpha-1']],
  ['metrics.val_loss != 0.3', ['alpha-2', 'beta-1']],
  ['metrics.val_loss = 0.9', []],
  ['metrics.val_loss < 1e10', ['alpha-1', 'alpha-2']],
  ['metrics.val_loss > -.5', ['alpha-1', 'alpha-2', 'beta-1']],
  ['metrics.acc != 0.9', ['alpha-2', 'beta-1']],
  ['metrics.acc > -1', ['alpha-1']],
  ['metrics.acc < 0', ['beta-1']],
  ['metric.acc >= +0.9', ['alpha-1']],
  ['metrics.val_loss IS NULL', ['beta_2']],
  ['metrics.acc is not null', ['alpha-1', 'alpha-2', 'beta-1']],
  ['metrics.nope IS NULL', ALL],
  ['metrics.nope > 0', []],
  // keys with spaces and dots: backquoted, double-quoted, or plain with dots
  ['metrics.`val loss` = 1', ['alpha-1']],
  ['metrics."val loss" >= 1', ['alpha-1']],
  ['metrics.a.b = 5', ['alpha-1']],
  ['metrics.`a.b` = 5', ['alpha-1']],
  ['params.`batch size` = \'32\'', ['alpha-1']],
  ['tags.`team.name` = \'ml\'', ['alpha-1']],
  ['tags.team.name = \'ml\'', ['alpha-1']],
  // params: strings, = != LIKE ILIKE IN NOT IN, IS NULL
  ["params.lr = '0.1'", ['alpha-1', 'beta-1']],
  ['params.lr = "0.1"', ['alpha-1', 'beta-1']],
  ["param.lr != '0.1'", ['alpha-2']],
  ["parameters.lr <> '0.1'", ['alpha-2']],
  ["params.opt LIKE 'a%'", ['alpha-1']],
  ["params.opt LIKE '_dam'", ['alpha-1', 'beta-1']],
  ["params.opt LIKE 'ada_'", ['alpha-1']],
  ["params.opt LIKE 'a*'", []],
  ["params.opt ILIKE 'a%'", ['alpha-1', 'beta-1']],
  ["params.opt NOT LIKE 'a%'", ['alpha-2', 'beta-1']],
  ["params.opt NOT ILIKE 'A%'", ['alpha-2']],
  ["params.opt IN ('adam', 'sgd')", ['alpha-1', 'alpha-2']],
  ["params.opt NOT IN ('adam')", ['alpha-2', 'beta-1']],
  ["params.lr LIKE '%'", ['alpha-1', 'alpha-2', 'beta-1']],
  ['params.lr IS NULL', ['beta_2']],
  // tags: quoting and escapes
  ["tags.group = 'it''s'", ['beta_2']],
  ['tags.group = "it\'s"', ['beta_2']],
  ["tags.group = 'it\\'s'", ['beta_2']],
  ["tags.group = 'A'", []],
  ["tags.\"team.name\" LIKE '50%'", ['beta_2']],
  ['tags.group IS NULL', ['beta-1']],
  ["tag.group IN ('a', 'b')", ['alpha-1', 'alpha-2']],
  ['tags.group IS NOT NULL AND params.lr IS NULL', ['beta_2']],
  // attributes: prefixed, aliased or bare
  ["attributes.status = 'FINISHED'", ['alpha-1', 'beta_2']],
  ["status != 'FINISHED'", ['alpha-2', 'beta-1']],
  ["run.status IN ('RUNNING', 'FAILED')", ['alpha-2', 'beta-1']],
  ["attr.status = 'FINISHED'", ['alpha-1', 'beta_2']],
  ["attributes.run_name LIKE 'alpha-%'", ['alpha-1', 'alpha-2']],
  ["run_name LIKE 'beta_%'", ['beta-1', 'beta_2']],
  ["attributes.run_name ILIKE 'ALPHA%'", ['alpha-1', 'alpha-2']],
  ["attributes.`run name` = 'beta-1'", ['beta-1']],
  ['attributes.start_time >= 2000 AND attributes.start_time < 4000', ['alpha-2', 'beta-1']],
  ['created > 3000', ['beta_2']],
  ['attributes.Created <= 1000', ['alpha-1']],
  ['attributes.end_time IS NULL', ['beta-1']],
  ['attributes.end_time > 2000', ['alpha-2', 'beta_2']],
  ["attributes.user_id = 'ann'", ['alpha-1', 'alpha-2']],
  ["attributes.artifact_uri LIKE 'mlflow-artifacts:/%'", ALL],
  // several clauses, keywords in any case
  ["params.lr = '0.1' AND metrics.val_loss < 1 AND tags.group = 'a'", ['alpha-1']],
  ["PARAMS.lr = '0.1' and Metrics.val_loss < 1", ['alpha-1']],
];

describe('filters select the expected runs', () => {
  it.each(CASES)('%s', (filter, expected) => {
    expect(names(filter)).toEqual(expected);
  });

  it('run_id IN and experiment_id compare against the ids', () => {
    expect(names(`attributes.run_id IN ('${s.ids['alpha-1']}', '${s.ids['beta-1']}')`)).toEqual(['alpha-1', 'beta-1']);
    expect(names(`attributes.run_id NOT IN ('${s.ids['alpha-1']}')`)).toEqual(['alpha-2', 'beta-1', 'beta_2']);
    expect(names(`attributes.experiment_id = '${s.experimentId}'`)).toEqual(ALL);
  });
});

describe('SQL with bound parameters', () => {
  it('puts every key and value in parameters, never in the SQL text', () => {
    const evil = "x'; DROP TABLE runs; --";
    const c = compileFilter(parseFilter(`params.\`${evil.replace(/`/g, '')}\` = '${evil.replace(/'/g, "''")}' AND metrics.m > 1 AND tags.t LIKE '%${evil.replace(/'/g, "''")}'`));
    expect(c.sql).not.toContain('DROP');
    expect(c.params).toEqual(expect.arrayContaining([evil, 'm', 1]));
    expect(names(`params.lr = '${evil.replace(/'/g, "''")}'`)).toEqual([]);
    expect(s.core.db.prepare('SELECT COUNT(*) AS n FROM runs').get()).toEqual({ n: 6 });
  });

  it('turns LIKE into a case-sensitive GLOB with its own wildcards escaped', () => {
    expect(likeToGlob('a%b_c*d?e[f')).toBe('a*b?c[*]d[?]e[[]f');
  });
});

const ERRORS: Array<[string, number, string]> = [
  ['metrics.x <<< 1', 11, "invalid comparator '<<<'"],
  ['metrics.x > 1 AND AND metrics.y > 2', 19, 'expected a field'],
  ['metrics.x > 1 OR metrics.y > 2', 15, 'OR is not supported'],
  ['metrics.x = 1 metrics.y = 2', 15, 'expected AND between clauses'],
  ['params.lr = 0.1', 13, 'quote the value'],
  ["metrics.x > 'a'", 13, 'is a number'],
  ["tags.x = 'open", 10, 'unterminated string'],
  ['metrics.`open = 1', 8, 'unterminated backquoted key'],
  ['metrics. = 1', 8, 'expected a key after the dot'],
  ["foo.bar = 'x'", 1, "unknown entity 'foo'"],
  ["attributes.color = 'red'", 1, "invalid attribute 'color'"],
  ["color = 'red'", 1, "unknown identifier 'color'"],
  ['metrics.x > 1 AND', 18, 'ends after AND'],
  ['metrics.x', 10, 'expected a comparator'],
  ["params.x IN ('a', 'b'", 22, "expected ',' or ')'"],
  ['params.x IN ()', 14, 'expected a quoted value'],
  ["params.x NOT = 'a'", 14, 'expected LIKE, ILIKE or IN after NOT'],
  ["datasets.name = 'x'", 1, 'not supported by Lathe'],
  ["metrics.x LIKE 'a%'", 11, 'is a number'],
  ["params.a < 'x'", 10, 'holds strings'],
  ['status IS NULL', 1, 'never NULL'],
  ['metrics.x IS 1', 14, 'expected NULL'],
  ["= 'x'", 1, 'expected a field'],
  ['metrics.x > 1 ; DROP TABLE runs', 15, "unexpected character ';'"],
];

describe('bad filters name the position and the token', () => {
  it.each(ERRORS)('%s → position %i', (filter, position, reason) => {
    let err: { code?: string; message?: string; details?: Record<string, unknown> } | undefined;
    try {
      s.core.search.runs.search({ experimentIds: [s.experimentId], filter });
    } catch (e) {
      err = e as typeof err;
    }
    expect(err?.code).toBe('INVALID_PARAMETER_VALUE');
    expect(err?.message).toMatch(new RegExp(`^Invalid filter at position ${position} (near '|at the end)`));
    expect(err?.message).toContain(reason);
    expect(err?.details).toMatchObject({ position, filter });
  });
});
