import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGrammarStore, type Seeded } from './seed';

/**
 * The hot queries read indexes (migration 5, 'search-indexes'), checked with EXPLAIN QUERY
 * PLAN: no full scan of metrics, params, tags, latest_metrics or metric_blocks.
 */

let s: Seeded;
beforeAll(() => {
  s = seedGrammarStore();
});
afterAll(() => s?.close());

/** A full scan of a big table, by name or by the aliases the queries give them (r runs, oN order joins, m/k/f/l history and blocks). */
const FULL_SCAN = /^SCAN (metrics|params|tags|latest_metrics|metric_blocks|runs|r|o\d+|m|k|f|l)\b/;

describe('run search plans', () => {
  it.each([
    [
      'runs table: filtered by a param, sorted by a metric',
      { filter: "params.lr = '0.1'", orderBy: ['metrics.val_loss DESC'] },
      ['USING INDEX runs_experiment_stage_start', 'USING COVERING INDEX params_key_value (key=? AND value=?)', 'SEARCH o0 USING PRIMARY KEY (run=? AND key_id=?)'],
    ],
    ['metric filter', { filter: 'metrics.val_loss < 0.5' }, ['USING COVERING INDEX latest_metrics_key_value (key_id=? AND is_nan=? AND value<?)']],
    ['tag LIKE with a prefix', { filter: "tags.group LIKE 'a%'" }, ['USING COVERING INDEX tags_key_value (key=?']],
    ['metric IS NULL, param IN, sorted by a param', { filter: "params.opt IN ('a', 'b') AND metrics.acc IS NULL", orderBy: ['params.lr'] }, ['params_key_value (key=? AND value=?)', 'latest_metrics_key_value (key_id=?)', 'SEARCH o0 USING PRIMARY KEY (run=? AND key=?)']],
    ['default order', {}, ['SEARCH r USING INDEX runs_experiment_stage_start (experiment_id=? AND lifecycle_stage=?)']],
  ])('%s', (_name, q, expected) => {
    const plan = s.core.search.runs.explain({ experimentIds: [s.experimentId], ...q });
    expect(plan.filter((l) => FULL_SCAN.test(l))).toEqual([]);
    for (const e of expected) expect(plan.some((l) => l.includes(e)), `${e} in\n${plan.join('\n')}`).toBe(true);
  });
});

describe('chart plans', () => {
  it('read block summaries and history by primary-key ranges only', () => {
    const plans = s.core.search.charts.plans();
    for (const [name, plan] of Object.entries(plans)) {
      expect(plan.filter((l) => FULL_SCAN.test(l)), name).toEqual([]);
    }
    expect(plans.stepBlocks).toContain('SEARCH metric_blocks USING PRIMARY KEY (run=? AND key_id=? AND level=? AND block>? AND block<?)');
    expect(plans.stepRaw).toContain('SEARCH metrics USING PRIMARY KEY (run=? AND key_id=? AND step>? AND step<?)');
    expect(plans.time).toContain('SEARCH m USING PRIMARY KEY (run=? AND key_id=? AND step>? AND step<?)');
  });
});
