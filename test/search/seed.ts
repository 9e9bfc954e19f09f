import { createCore, type Core } from '../../src/main/core/create-core';
import { tempHome } from '../helpers/temp-home';

/**
 * A small store for the filter-grammar tables: experiment `grammar` with five runs (one
 * deleted) and experiment `other` with one, covering quoting, keys with spaces and dots,
 * NaN/±Infinity, missing keys and the attributes.
 *
 * | run     | status   | start | lr   | opt  | batch size | group | team.name | val_loss | acc  | val loss | a.b |
 * |---------|----------|-------|------|------|------------|-------|-----------|----------|------|----------|-----|
 * | alpha-1 | FINISHED | 1000  | 0.1  | adam | 32         | a     | ml        | 0.3      | 0.9  | 1        | 5   |
 * | alpha-2 | FAILED   | 2000  | 0.01 | sgd  |            | b     |           | 0.6      | NaN  |          |     |
 * | beta-1  | RUNNING  | 3000  | 0.1  | Adam |            |       |           | Infinity | -Inf |          |     |
 * | beta_2  | FINISHED | 4000  |      |      |            | it's  | 50% off   |          |      |          |     |
 * | gamma   | (deleted)| 5000  | 0.1  |      |            | a     |           | 0.1      |      |          |     |
 * | other   | FINISHED | 6000  | 0.1  |      |            | a     |           | 0.2      |      |          |     |  (experiment "other")
 */
export interface Seeded {
  core: Core;
  experimentId: string;
  otherExperimentId: string;
  ids: Record<string, string>;
  close(): void;
}

export function seedGrammarStore(): Seeded {
  const t = tempHome('lathe-search-');
  const core = createCore({ home: t.home });
  const exp = core.tracking.createExperiment('grammar');
  const other = core.tracking.createExperiment('other');
  const ids: Record<string, string> = {};
  const run = (name: string, start: number, experimentId = exp.experimentId) => {
    const info = core.tracking.createRun({ experimentId, name, startTime: start, userId: name.startsWith('alpha') ? 'ann' : 'bob' });
    ids[name] = info.runId;
    return info.runId;
  };
  const a1 = run('alpha-1', 1000);
  core.tracking.logBatch(a1, {
    params: [{ key: 'lr', value: '0.1' }, { key: 'opt', value: 'adam' }, { key: 'batch size', value: '32' }],
    tags: [{ key: 'group', value: 'a' }, { key: 'team.name', value: 'ml' }],
    metrics: [
      { key: 'val_loss', value: 0.9, step: 0, timestamp: 1 },
      { key: 'val_loss', value: 0.3, step: 1, timestamp: 2 },
      { key: 'acc', value: 0.9, step: 1, timestamp: 2 },
      { key: 'val loss', value: 1, step: 1, timestamp: 2 },
      { key: 'a.b', value: 5, step: 1, timestamp: 2 },
    ],
  });
  core.tracking.updateRun({ runId: a1, status: 'FINISHED', endTime: 1500 });
  const a2 = run('alpha-2', 2000);
  core.tracking.logBatch(a2, {
    params: [{ key: 'lr', value: '0.01' }, { key: 'opt', value: 'sgd' }],
    tags: [{ key: 'group', value: 'b' }],
    metrics: [{ key: 'val_loss', value: 0.6, step: 1, timestamp: 2 }, { key: 'acc', value: 'NaN', step: 1, timestamp: 2 }],
  });
  core.tracking.updateRun({ runId: a2, status: 'FAILED', endTime: 2500 });
  const b1 = run('beta-1', 3000);
  core.tracking.logBatch(b1, {
    params: [{ key: 'lr', value: '0.1' }, { key: 'opt', value: 'Adam' }],
    metrics: [{ key: 'val_loss', value: 'Infinity', step: 1, timestamp: 2 }, { key: 'acc', value: '-Infinity', step: 1, timestamp: 2 }],
  });
  const b2 = run('beta_2', 4000);
  core.tracking.logBatch(b2, { tags: [{ key: 'group', value: "it's" }, { key: 'team.name', value: '50% off' }] });
  core.tracking.updateRun({ runId: b2, status: 'FINISHED', endTime: 4500 });
  const g = run('gamma', 5000);
  core.tracking.logBatch(g, { params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'group', value: 'a' }], metrics: [{ key: 'val_loss', value: 0.1, step: 0, timestamp: 1 }] });
  core.tracking.setRunLifecycle(g, 'deleted');
  const o = run('other', 6000, other.experimentId);
  core.tracking.logBatch(o, { params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'group', value: 'a' }], metrics: [{ key: 'val_loss', value: 0.2, step: 0, timestamp: 1 }] });
  core.tracking.updateRun({ runId: o, status: 'FINISHED', endTime: 6500 });
  return {
    core,
    experimentId: exp.experimentId,
    otherExperimentId: other.experimentId,
    ids,
    close() {
      core.dispose();
      t.cleanup();
    },
  };
}
