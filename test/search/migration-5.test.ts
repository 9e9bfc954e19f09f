import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { closeDatabase, openDatabase, type Db } from '../../src/main/core/store/database';
import { MIGRATIONS } from '../../src/main/core/store/migrations';
import { createCore, type Core } from '../../src/main/core/create-core';
import { tempHome } from '../helpers/temp-home';

/**
 * Migration 5 on a store written before it: blocks and the experiment key lists are built
 * from the existing rows; afterwards triggers keep the key lists as rows come and go.
 */

let t: ReturnType<typeof tempHome>;
let core: Core;

beforeAll(() => {
  t = tempHome('lathe-mig5-');
  const file = path.join(t.home, 'lathe.db');
  const old: Db = openDatabase(file, MIGRATIONS.filter((m) => m.version < 5));
  old.exec(`
    INSERT INTO experiments (experiment_id, name, artifact_location, creation_time, last_update_time) VALUES (0, 'Default', 'a', 1, 1), (1, 'old', 'a', 1, 1);
    INSERT INTO runs (id, run_id, experiment_id, name, status, start_time, artifact_uri) VALUES (1, 'r1', 1, 'one', 'FINISHED', 1, 'a'), (2, 'r2', 1, 'two', 'FINISHED', 2, 'a');
    INSERT INTO params VALUES (1, 'lr', '0.1'), (2, 'lr', '0.2'), (2, 'depth', '3');
    INSERT INTO tags VALUES (1, 'team', 'x');
    INSERT INTO metric_keys (id, key) VALUES (1, 'loss');
  `);
  const insert = old.prepare('INSERT INTO metrics (run, key_id, step, timestamp, is_nan, value) VALUES (?, 1, ?, ?, ?, ?)');
  old.transaction(() => {
    for (let s = 0; s < 1500; s++) insert.run(1, s, 1000 + s, s === 700 ? 1 : 0, s === 700 ? 0 : Math.sin(s));
  })();
  old.exec('INSERT INTO latest_metrics SELECT run, key_id, step, timestamp, is_nan, value FROM metrics WHERE step = 1499');
  closeDatabase(old);
  core = createCore({ home: t.home });
});
afterAll(() => {
  core?.dispose();
  t?.cleanup();
});

describe('migration 5 (search-indexes) on an existing store', () => {
  it('builds the block summaries from the history', () => {
    const levels = core.db.prepare('SELECT level, COUNT(*) AS blocks, SUM(n) AS n, SUM(nan_n) AS nans FROM metric_blocks GROUP BY level ORDER BY level').all();
    expect(levels).toEqual([
      { level: 1, blocks: 24, n: 1500, nans: 1 },
      { level: 2, blocks: 3, n: 1500, nans: 1 },
    ]);
    const chart = core.search.charts.chart({ runIds: ['r1'], key: 'loss', xAxis: 'step', buckets: 3 });
    expect(chart.series[0]).toMatchObject({ total: 1500, xFirst: 0, xLast: 1499 });
    expect(chart.series[0]!.buckets.map((b) => b.n)).toEqual([512, 512, 476]);
  });

  it('lists the keys already there, then follows inserts and deletes', () => {
    expect(core.search.runs.keys(['1'])).toEqual({ params: ['depth', 'lr'], metrics: ['loss'], tags: ['team'] });
    core.tracking.logBatch('r2', { tags: [{ key: 'team', value: 'y' }, { key: 'solo', value: '1' }], metrics: [{ key: 'acc', value: 1 }] });
    expect(core.search.runs.keys(['1'])).toEqual({ params: ['depth', 'lr'], metrics: ['acc', 'loss'], tags: ['solo', 'team'] });
    core.tracking.deleteTag('r2', 'solo');
    core.tracking.deleteTag('r2', 'team'); // r1 still has it
    expect(core.search.runs.keys(['1']).tags).toEqual(['team']);
    const exp = core.tracking.createExperiment('new');
    const run = core.tracking.createRun({ experimentId: exp.experimentId });
    core.tracking.logBatch(run.runId, { params: [{ key: 'lr', value: '1' }] });
    expect(core.search.runs.keys([exp.experimentId])).toEqual({ params: ['lr'], metrics: [], tags: ['mlflow.runName'] });
    expect(core.search.runs.keys().params).toEqual(['depth', 'lr']);
  });
});
