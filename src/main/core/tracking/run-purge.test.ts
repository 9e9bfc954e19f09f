import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createCore, type Core } from '../create-core';
import { tempHome } from '../../../../test/helpers/temp-home';
import type { ChangeEvent } from '../../../shared/api/types';

let core: Core;
let cleanup: () => void;

beforeEach(() => {
  const t = tempHome();
  cleanup = t.cleanup;
  core = createCore({ home: t.home });
});
afterEach(() => {
  core.dispose();
  cleanup();
});

/** A run with 20,000 metric points (a few MiB of history), params, tags and files on disk. */
function bigRun(experimentId: string, name: string): string {
  const { runId } = core.tracking.createRun({ experimentId, name });
  core.tracking.logBatch(runId, { params: [{ key: `only_${name}`, value: '1' }, { key: 'lr', value: '0.1' }], tags: [{ key: `tag_${name}`, value: 'x' }] });
  for (let b = 0; b < 20; b++) {
    core.tracking.logBatch(runId, {
      metrics: Array.from({ length: 1000 }, (_, i) => ({ key: 'loss', value: Math.random(), step: b * 1000 + i, timestamp: 1_700_000_000_000 + b * 1000 + i })),
    });
  }
  const info = core.tracking.getRunInfo(runId);
  const artifactDir = path.join(core.paths.artifacts, info.experimentId, runId, 'artifacts');
  fs.mkdirSync(artifactDir, { recursive: true });
  fs.writeFileSync(path.join(artifactDir, 'model.bin'), Buffer.alloc(100_000, 1));
  fs.mkdirSync(core.paths.logs, { recursive: true });
  fs.writeFileSync(path.join(core.paths.logs, `${runId}.log`), 'hello\n');
  fs.mkdirSync(path.join(core.paths.snapshots, runId, 'files'), { recursive: true });
  fs.writeFileSync(path.join(core.paths.snapshots, runId, 'files', 'train.py'), 'print(1)\n');
  return runId;
}

const count = (sql: string, ...args: unknown[]) => (core.db.prepare(sql).pluck().get(...args) as number);

describe('purgeRuns', () => {
  it('refuses runs that are not deleted first, and unknown runs, removing nothing', () => {
    const exp = core.tracking.createExperiment('e');
    const a = bigRun(exp.experimentId, 'a');
    expect(() => core.tracking.purgeRuns([a], core.paths)).toThrow(expect.objectContaining({ code: 'RESOURCE_CONFLICT', status: 409 }));
    core.tracking.setRunLifecycle(a, 'deleted');
    expect(() => core.tracking.purgeRuns([a, 'nope'], core.paths)).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
    expect(count('SELECT COUNT(*) FROM runs WHERE run_id = ?', a)).toBe(1);
    expect(fs.existsSync(path.join(core.paths.logs, `${a}.log`))).toBe(true);
  });

  it('refuses a run Lathe is still executing with 409 RESOURCE_CONFLICT, removing nothing', () => {
    const exp = core.tracking.createExperiment('e');
    const a = bigRun(exp.experimentId, 'a');
    const row = count('SELECT id FROM runs WHERE run_id = ?', a);
    core.db
      .prepare("INSERT INTO run_executions (run, runtime, spec, log_path, created_at, started_at) VALUES (?, 'process', '{}', ?, 1, 1)")
      .run(row, path.join(core.paths.logs, `${a}.log`));
    core.tracking.setRunLifecycle(a, 'deleted');
    expect(() => core.tracking.purgeRuns([a], core.paths)).toThrow(
      expect.objectContaining({ code: 'RESOURCE_CONFLICT', status: 409, message: `Run ${a} is still running: stop it before deleting it permanently` }),
    );
    expect(count('SELECT COUNT(*) FROM runs WHERE run_id = ?', a)).toBe(1);
  });

  it('removes the rows, the key index entries and the files, keeps other runs, and shrinks lathe.db', () => {
    const exp = core.tracking.createExperiment('e');
    const a = bigRun(exp.experimentId, 'a');
    const b = bigRun(exp.experimentId, 'b');
    const keep = bigRun(exp.experimentId, 'keep');
    core.tracking.setRunLifecycle(a, 'deleted');
    core.tracking.setRunLifecycle(b, 'deleted');
    core.db.pragma('wal_checkpoint(TRUNCATE)');
    const events: ChangeEvent[] = [];
    core.bus.subscribe((e) => events.push(e));
    const sizeBefore = fs.statSync(core.paths.db).size;

    const res = core.tracking.purgeRuns([a, b], core.paths);

    expect(res.purged).toEqual([a, b]);
    expect(res.fileBytes).toBeGreaterThanOrEqual(200_000);
    for (const id of [a, b]) {
      expect(count('SELECT COUNT(*) FROM runs WHERE run_id = ?', id)).toBe(0);
      expect(fs.existsSync(path.join(core.paths.artifacts, exp.experimentId, id))).toBe(false);
      expect(fs.existsSync(path.join(core.paths.logs, `${id}.log`))).toBe(false);
      expect(fs.existsSync(path.join(core.paths.snapshots, id))).toBe(false);
    }
    // No orphans anywhere.
    for (const table of ['params', 'tags', 'metrics', 'latest_metrics', 'metric_blocks']) {
      expect(count(`SELECT COUNT(*) FROM ${table} WHERE run NOT IN (SELECT id FROM runs)`)).toBe(0);
    }
    // The run-only keys left the column picker's index; shared ones stayed.
    const keys = core.search.runs.keys([exp.experimentId]);
    expect(keys.params).toEqual(['lr', 'only_keep']);
    expect(keys.tags).not.toContain('tag_a');
    // The survivor is whole.
    expect(count('SELECT COUNT(*) FROM metrics m JOIN runs r ON r.id = m.run WHERE r.run_id = ?', keep)).toBe(20_000);
    expect(core.search.charts.chart({ runIds: [keep], key: 'loss', xAxis: 'step', buckets: 10 }).series[0]!.total).toBe(20_000);
    // The space came back to the file system, not only to SQLite's free list.
    expect(core.db.pragma('freelist_count', { simple: true })).toBe(0);
    expect(fs.statSync(core.paths.db).size).toBeLessThan(sizeBefore * 0.5);
    expect(res.dbBytesAfter).toBeLessThan(res.dbBytesBefore);
    expect(events.filter((e) => e.kind === 'run').map((e) => e.runId)).toEqual([a, b]);

    // Later purges use incremental vacuum (auto_vacuum switched on by the first).
    expect(core.db.pragma('auto_vacuum', { simple: true })).toBe(2);
    core.tracking.setRunLifecycle(keep, 'deleted');
    const before2 = fs.statSync(core.paths.db).size;
    core.tracking.purgeRuns([keep], core.paths);
    expect(fs.statSync(core.paths.db).size).toBeLessThan(before2 * 0.5);
    expect(count('SELECT COUNT(*) FROM metrics')).toBe(0);
  });
});
