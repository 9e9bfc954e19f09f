import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedGrammarStore, type Seeded } from './seed';

/** Run search beyond the filter: order_by, view types, experiments, paging, columns, keys. */

let s: Seeded;
beforeAll(() => {
  s = seedGrammarStore();
});
afterAll(() => s?.close());

const ordered = (orderBy: string[], extra: Record<string, unknown> = {}) =>
  s.core.search.runs.search({ experimentIds: [s.experimentId], orderBy, ...extra }).runs.map((r) => r.info.name);

describe('order_by', () => {
  it.each([
    [[], ['beta_2', 'beta-1', 'alpha-2', 'alpha-1']],
    [['metrics.val_loss ASC'], ['alpha-1', 'alpha-2', 'beta-1', 'beta_2']],
    [['metrics.val_loss DESC'], ['beta-1', 'alpha-2', 'alpha-1', 'beta_2']],
    [['metrics.acc'], ['beta-1', 'alpha-1', 'alpha-2', 'beta_2']],
    [['metrics.acc desc'], ['alpha-1', 'beta-1', 'alpha-2', 'beta_2']],
    [['params.lr DESC'], ['beta-1', 'alpha-1', 'alpha-2', 'beta_2']],
    [['attributes.start_time ASC'], ['alpha-1', 'alpha-2', 'beta-1', 'beta_2']],
    [['start_time'], ['alpha-1', 'alpha-2', 'beta-1', 'beta_2']],
    [['tags.group', 'attributes.run_name DESC'], ['alpha-1', 'alpha-2', 'beta_2', 'beta-1']],
    [['attributes.end_time DESC'], ['beta_2', 'alpha-2', 'alpha-1', 'beta-1']],
    [['metrics.`val loss` DESC', 'run_name'], ['alpha-1', 'alpha-2', 'beta-1', 'beta_2']],
    [['', 'attributes.run_name'], ['alpha-1', 'alpha-2', 'beta-1', 'beta_2']],
  ])('%j', (orderBy, expected) => {
    expect(ordered(orderBy)).toEqual(expected);
  });

  it.each([
    ['metrics.x DOWN', 11, 'expected ASC or DESC'],
    ['metrics.x ASC DESC', 15, 'expected nothing after'],
    ['foo', 1, "unknown identifier 'foo'"],
    ['ASC', 1, 'expected a field'],
  ])('bad order_by %s → position %i', (item, position, reason) => {
    expect(() => ordered([item])).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', message: expect.stringMatching(new RegExp(`^Invalid order_by at position ${position} .*${reason}`)) }));
  });
});

describe('scope: experiments and view types', () => {
  const search = (q: Record<string, unknown>) => s.core.search.runs.search({ filter: "params.lr = '0.1'", ...q }).runs.map((r) => r.info.name).sort();

  it('searches the experiments given; none given is nothing, absent is all', () => {
    expect(search({ experimentIds: [s.experimentId, s.otherExperimentId] })).toEqual(['alpha-1', 'beta-1', 'other']);
    expect(search({ experimentIds: [s.otherExperimentId] })).toEqual(['other']);
    expect(search({ experimentIds: [] })).toEqual([]);
    expect(search({ experimentIds: ['nope', '999'] })).toEqual([]);
    expect(search({})).toEqual(['alpha-1', 'beta-1', 'other']);
  });

  it('ACTIVE_ONLY by default; DELETED_ONLY and ALL as asked', () => {
    expect(search({ experimentIds: [s.experimentId], viewType: 'DELETED_ONLY' })).toEqual(['gamma']);
    expect(search({ experimentIds: [s.experimentId], viewType: 'ALL' })).toEqual(['alpha-1', 'beta-1', 'gamma']);
  });
});

describe('paging', () => {
  it('walks every run once with page tokens, with the total', () => {
    const seen: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = s.core.search.runs.search({ experimentIds: [s.experimentId], maxResults: 3, pageToken: token, withTotal: true });
      expect(page.total).toBe(4);
      seen.push(...page.runs.map((r) => r.info.name));
      token = page.nextPageToken ?? undefined;
      pages++;
    } while (token);
    expect(pages).toBe(2);
    expect(seen).toEqual(['beta_2', 'beta-1', 'alpha-2', 'alpha-1']);
    expect(s.core.search.runs.search({ experimentIds: [s.experimentId], offset: 3 }).runs.map((r) => r.info.name)).toEqual(['alpha-1']);
  });

  it('refuses a bad token or page size', () => {
    expect(() => s.core.search.runs.search({ pageToken: 'garbage!' })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('Invalid page token') }));
    expect(() => s.core.search.runs.search({ pageToken: Buffer.from('{"offset": -1}').toString('base64') })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(() => s.core.search.runs.search({ maxResults: 50_001 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining('max_results') }));
    expect(() => s.core.search.runs.search({ maxResults: 0 })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
  });
});

describe('columns and keys', () => {
  it('returns only the asked params, metrics and tags; all of them by default', () => {
    const [run] = s.core.search.runs.search({ experimentIds: [s.experimentId], filter: "attributes.run_name = 'alpha-1'", columns: { params: ['lr', 'nope'], metrics: ['val_loss'], tags: [] } }).runs;
    expect(run!.params).toEqual({ lr: '0.1' });
    expect(run!.metrics).toEqual([{ key: 'val_loss', value: 0.3, step: 1, timestamp: 2 }]);
    expect(run!.tags).toEqual({});
    const [full] = s.core.search.runs.search({ experimentIds: [s.experimentId], filter: "attributes.run_name = 'alpha-1'" }).runs;
    expect(full).toEqual(s.core.tracking.getRun(s.ids['alpha-1']!));
  });

  it('keeps NaN and ±Infinity latest values', () => {
    const runs = s.core.search.runs.search({ experimentIds: [s.experimentId], columns: { metrics: ['acc'], params: [], tags: [] } }).runs;
    const acc = Object.fromEntries(runs.map((r) => [r.info.name, r.metrics[0]?.value]));
    expect(acc['alpha-2']).toBeNaN();
    expect(acc['beta-1']).toBe(Number.NEGATIVE_INFINITY);
  });

  it('sends doubles, steps and timestamps through the JSON aggregation unchanged', () => {
    // (-0 is not kept: SQLite stores an integral REAL as an integer.)
    const values = [0.1 + 0.2, 1 / 3, 1e-300, 5e-324, 2 ** 53 - 1, 1.7976931348623157e308, -1e-7, 123456789.12345679];
    const exp = s.core.tracking.createExperiment('precise');
    const { runId } = s.core.tracking.createRun({ experimentId: exp.experimentId, name: 'precise' });
    s.core.tracking.logBatch(runId, { metrics: values.map((value, i) => ({ key: `k${i}`, value, step: 2 ** 53 - 1 - i, timestamp: 2 ** 52 + i })) });
    const [run] = s.core.search.runs.search({ experimentIds: [exp.experimentId] }).runs;
    expect(run!.metrics).toEqual(s.core.tracking.getRun(runId).metrics);
    expect(run!.metrics.map((m) => m.value)).toEqual(values);
  });

  it('lists distinct keys per experiment, sorted', () => {
    const k = s.core.search.runs.keys([s.experimentId]);
    expect(k.params).toEqual(['batch size', 'lr', 'opt']);
    expect(k.metrics).toEqual(['a.b', 'acc', 'val loss', 'val_loss']);
    expect(k.tags).toEqual(['group', 'mlflow.runName', 'team.name']);
    expect(s.core.search.runs.keys([s.otherExperimentId])).toEqual({ params: ['lr'], metrics: ['val_loss'], tags: ['group', 'mlflow.runName'] });
    expect(s.core.search.runs.keys([])).toEqual({ params: [], metrics: [], tags: [] });
    expect(s.core.search.runs.keys().params).toEqual(['batch size', 'lr', 'opt']);
  });
});
