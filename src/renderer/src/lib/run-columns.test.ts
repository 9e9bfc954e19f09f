import { describe, expect, it } from 'vitest';
import type { Run } from '../../../shared/api/types';
import { pickMetricColumns, pickParamColumns } from './run-columns';

function run(keys: string[]): Run {
  return {
    info: { runId: 'r', experimentId: '1', name: 'r', status: 'FINISHED', userId: '', startTime: 1, endTime: 2, lifecycleStage: 'active', artifactUri: '' },
    params: {},
    tags: {},
    metrics: keys.map((key) => ({ key, value: 1, step: 0, timestamp: 0 })),
  };
}

describe('pickMetricColumns', () => {
  it('prefers keys most runs have, user metrics before system ones, shown in name order', () => {
    const runs = [run(['loss', 'acc', 'system/gpu0', 'rare']), run(['loss', 'acc', 'system/gpu0']), run(['loss', 'f1'])];
    expect(pickMetricColumns(runs, 3)).toEqual(['acc', 'f1', 'loss']);
    expect(pickMetricColumns(runs, 5)).toEqual(['acc', 'f1', 'loss', 'rare', 'system/gpu0']);
    expect(pickMetricColumns([])).toEqual([]);
  });
});

describe('pickParamColumns', () => {
  it('prefers params most runs have, in name order', () => {
    const withParams = (params: Record<string, string>): Run => ({ ...run([]), params });
    expect(pickParamColumns([withParams({ lr: '1', z: '1' }), withParams({ lr: '2', bs: '3' }), withParams({ bs: '1' })], 2)).toEqual(['bs', 'lr']);
  });
});
