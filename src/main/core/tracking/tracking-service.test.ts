import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import Database from 'better-sqlite3';
import { createCore, type Core } from '../create-core';
import { MIGRATIONS } from '../store/migrations';
import { tempHome } from '../../../../test/helpers/temp-home';
import type { ChangeEvent } from '../../../shared/api/types';

let core: Core;
let cleanup: () => void;
let clock = 1_700_000_000_000;

beforeEach(() => {
  const t = tempHome();
  cleanup = t.cleanup;
  clock = 1_700_000_000_000;
  core = createCore({ home: t.home, now: () => clock });
});
afterEach(() => {
  core.dispose();
  cleanup();
});

function newRun(name = 'r1') {
  const exp = core.tracking.createExperiment(`exp-${name}`);
  return core.tracking.createRun({ experimentId: exp.experimentId, name });
}

describe('store', () => {
  it('opens the file in WAL mode with foreign keys on and all migrations applied', () => {
    expect(core.db.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(core.db.pragma('foreign_keys', { simple: true })).toBe(1);
    expect(core.db.pragma('user_version', { simple: true })).toBe(Math.max(...MIGRATIONS.map((m) => m.version)));
    const applied = core.db.prepare('SELECT version FROM schema_migrations ORDER BY version').all().map((r) => (r as { version: number }).version);
    expect(applied).toEqual(MIGRATIONS.map((m) => m.version).sort((a, b) => a - b));
    const tables = core.db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").all().map((r) => (r as { name: string }).name);
    expect(tables).toEqual(expect.arrayContaining(['experiments', 'runs', 'params', 'tags', 'metrics', 'latest_metrics', 'metric_keys']));
  });

  it('creates the Default experiment with id 0, once', () => {
    const exps = core.tracking.listExperiments();
    expect(exps[0]).toMatchObject({ experimentId: '0', name: 'Default', lifecycleStage: 'active' });
    const again = createCore({ home: core.home });
    expect(again.tracking.listExperiments().filter((e) => e.name === 'Default')).toHaveLength(1);
    again.dispose();
  });
});

describe('experiments', () => {
  it('creates, gets by id and by name, and counts runs', () => {
    const e = core.tracking.createExperiment('mnist', { team: 'vision' });
    expect(e).toMatchObject({ experimentId: '1', name: 'mnist', artifactLocation: 'mlflow-artifacts:/1', tags: { team: 'vision' }, runCount: 0 });
    core.tracking.createRun({ experimentId: e.experimentId });
    expect(core.tracking.getExperimentByName('mnist').runCount).toBe(1);
    expect(core.tracking.getExperiment('1').name).toBe('mnist');
  });

  it('refuses a duplicate or empty name and an unknown id with MLflow codes', () => {
    core.tracking.createExperiment('dup');
    expect(() => core.tracking.createExperiment('dup')).toThrow(expect.objectContaining({ code: 'RESOURCE_ALREADY_EXISTS', status: 400 }));
    expect(() => core.tracking.createExperiment('  ')).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(() => core.tracking.getExperiment('42')).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST', status: 404 }));
    expect(() => core.tracking.getExperiment('1abc')).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
    expect(() => core.tracking.getExperimentByName('nope')).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
  });
});

describe('runs', () => {
  it('creates a RUNNING run with a 32-hex id, an artifact URI and the mlflow.runName tag', () => {
    const info = newRun('baseline');
    expect(info.runId).toMatch(/^[0-9a-f]{32}$/);
    expect(info).toMatchObject({ name: 'baseline', status: 'RUNNING', startTime: clock, endTime: null, artifactUri: `mlflow-artifacts:/1/${info.runId}/artifacts` });
    expect(core.tracking.getRun(info.runId).tags['mlflow.runName']).toBe('baseline');
  });

  it('gives unnamed runs a readable random name', () => {
    const exp = core.tracking.createExperiment('e');
    const info = core.tracking.createRun({ experimentId: exp.experimentId });
    expect(info.name).toMatch(/^[a-z]+-[a-z]+-\d{1,3}$/);
  });

  it('ending a run sets its end time; renaming updates the tag', () => {
    const info = newRun();
    clock += 5000;
    const ended = core.tracking.updateRun({ runId: info.runId, status: 'FINISHED', name: 'renamed' });
    expect(ended).toMatchObject({ status: 'FINISHED', endTime: clock, name: 'renamed' });
    expect(core.tracking.getRun(info.runId).tags['mlflow.runName']).toBe('renamed');
  });

  it('lists newest first with params, tags and latest metrics, filtered and paged', () => {
    const exp = core.tracking.createExperiment('list');
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      clock += 1000;
      const r = core.tracking.createRun({ experimentId: exp.experimentId, name: `r${i}` });
      core.tracking.logBatch(r.runId, { params: [{ key: 'i', value: String(i) }], metrics: [{ key: 'acc', value: i / 10, step: 1 }] });
      ids.push(r.runId);
    }
    newRun('other');
    const page = core.tracking.listRuns({ experimentId: exp.experimentId, limit: 2, offset: 1 });
    expect(page.total).toBe(5);
    expect(page.runs.map((r) => r.info.name)).toEqual(['r3', 'r2']);
    expect(page.runs[0]!.params).toEqual({ i: '3' });
    expect(page.runs[0]!.metrics).toEqual([{ key: 'acc', value: 0.3, step: 1, timestamp: expect.any(Number) }]);
    expect(core.tracking.listRuns().total).toBe(6);
  });

  it('refuses unknown runs and experiments', () => {
    expect(() => core.tracking.getRun('0'.repeat(32))).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
    expect(() => core.tracking.createRun({ experimentId: '99' })).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
  });
});

describe('params (immutable, MLflow semantics)', () => {
  it('accepts the same value again but refuses a changed value, keeping the first', () => {
    const { runId } = newRun();
    core.tracking.logBatch(runId, { params: [{ key: 'lr', value: '0.01' }] });
    core.tracking.logBatch(runId, { params: [{ key: 'lr', value: '0.01' }] });
    expect(() => core.tracking.logBatch(runId, { params: [{ key: 'lr', value: '0.1' }] })).toThrow(
      expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE', message: expect.stringContaining("Changing param values is not allowed. Param with key='lr'") }),
    );
    expect(core.tracking.getRun(runId).params).toEqual({ lr: '0.01' });
  });

  it('refuses a batch with one key twice with different values, atomically', () => {
    const { runId } = newRun();
    expect(() =>
      core.tracking.logBatch(runId, { params: [{ key: 'a', value: '1' }, { key: 'a', value: '2' }], metrics: [{ key: 'm', value: 1 }] }),
    ).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    const run = core.tracking.getRun(runId);
    expect(run.params).toEqual({});
    expect(run.metrics).toEqual([]);
  });

  it('a changed param anywhere in a batch rolls back the whole batch', () => {
    const { runId } = newRun();
    core.tracking.logBatch(runId, { params: [{ key: 'lr', value: '1' }] });
    expect(() => core.tracking.logBatch(runId, { metrics: [{ key: 'loss', value: 1 }], tags: [{ key: 't', value: 'x' }], params: [{ key: 'lr', value: '2' }] })).toThrow();
    const run = core.tracking.getRun(runId);
    expect(run.metrics).toEqual([]);
    expect(run.tags.t).toBeUndefined();
  });

  it('truncates long param and tag values like MLflow (6000 / 8000 characters); missing param value is ""', () => {
    const { runId } = newRun();
    core.tracking.logBatch(runId, { params: [{ key: 'long', value: 'x'.repeat(6001) }, { key: 'empty', value: undefined }], tags: [{ key: 't', value: 'y'.repeat(8001) }] });
    const run = core.tracking.getRun(runId);
    expect(run.params.long).toHaveLength(6000);
    expect(run.params.empty).toBe('');
    expect(run.tags.t).toHaveLength(8000);
  });
});

describe('metrics', () => {
  it('stores NaN and ±Infinity faithfully in history and latest', () => {
    const { runId } = newRun();
    core.tracking.logBatch(runId, {
      metrics: [
        { key: 'nan', value: 'NaN', step: 0, timestamp: 1 },
        { key: 'pinf', value: 'Infinity', step: 0, timestamp: 1 },
        { key: 'ninf', value: Number.NEGATIVE_INFINITY, step: 0, timestamp: 1 },
        { key: 'str', value: '2.5', step: '3', timestamp: '1700000000123' },
      ],
    });
    const latest = Object.fromEntries(core.tracking.getRun(runId).metrics.map((m) => [m.key, m]));
    expect(latest.nan!.value).toBeNaN();
    expect(latest.pinf!.value).toBe(Number.POSITIVE_INFINITY);
    expect(latest.ninf!.value).toBe(Number.NEGATIVE_INFINITY);
    expect(latest.str).toEqual({ key: 'str', value: 2.5, step: 3, timestamp: 1_700_000_000_123 });
    expect(core.tracking.getMetricHistory(runId, 'pinf')[0]!.value).toBe(Number.POSITIVE_INFINITY);
  });

  it('stores an identical point once (NaN included), and keeps distinct values at one step', () => {
    const { runId } = newRun();
    const p = { key: 'loss', value: 'NaN', step: 1, timestamp: 10 };
    core.tracking.logBatch(runId, { metrics: [p, p] });
    core.tracking.logBatch(runId, { metrics: [p, { key: 'loss', value: 0.5, step: 1, timestamp: 10 }, { key: 'loss', value: 0.5, step: 1, timestamp: 10 }] });
    const h = core.tracking.getMetricHistory(runId, 'loss');
    expect(h).toHaveLength(2);
  });

  it('latest is the highest (step, timestamp, value), whatever the logging order', () => {
    const { runId } = newRun();
    core.tracking.logBatch(runId, {
      metrics: [
        { key: 'm', value: 5, step: 10, timestamp: 100 },
        { key: 'm', value: 9, step: 3, timestamp: 500 },
        { key: 'm', value: 1, step: 10, timestamp: 200 },
        { key: 'm', value: 0, step: 10, timestamp: 150 },
      ],
    });
    expect(core.tracking.getRun(runId).metrics[0]).toMatchObject({ value: 1, step: 10, timestamp: 200 });
    core.tracking.logBatch(runId, { metrics: [{ key: 'm', value: 7, step: 10, timestamp: 200 }] });
    expect(core.tracking.getRun(runId).metrics[0]).toMatchObject({ value: 7 });
    core.tracking.logBatch(runId, { metrics: [{ key: 'm', value: 3, step: 10, timestamp: 200 }] });
    expect(core.tracking.getRun(runId).metrics[0]).toMatchObject({ value: 7 });
  });

  it('defaults step to 0 and timestamp to now; negative steps are allowed', () => {
    const { runId } = newRun();
    core.tracking.logBatch(runId, { metrics: [{ key: 'a', value: 1 }, { key: 'b', value: 2, step: -5 }] });
    const h = core.tracking.getMetricHistory(runId, 'a');
    expect(h[0]).toEqual({ key: 'a', value: 1, step: 0, timestamp: clock });
    expect(core.tracking.getMetricHistory(runId, 'b')[0]!.step).toBe(-5);
  });

  it('refuses bad keys and values with INVALID_PARAMETER_VALUE and stores nothing', () => {
    const { runId } = newRun();
    for (const bad of [{ key: 'bad@key', value: 1 }, { key: '../x', value: 1 }, { key: '/abs', value: 1 }, { key: 'a//b', value: 1 }, { key: 'k'.repeat(251), value: 1 }, { key: 'ok', value: 'abc' }, { key: 'ok', value: undefined }, { key: 'ok', value: 1, timestamp: 'soon' }]) {
      expect(() => core.tracking.logBatch(runId, { metrics: [{ key: 'good', value: 1 }, bad] }), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    }
    expect(core.tracking.getMetricHistory(runId, 'good')).toEqual([]);
    core.tracking.logBatch(runId, { metrics: [{ key: 'ok: with space/and.dots-_', value: 1 }] });
  });

  it("enforces MLflow's batch limits: 1000 metrics, 100 params, 100 tags, 1000 in total", () => {
    const { runId } = newRun();
    const metrics = (n: number) => Array.from({ length: n }, (_, i) => ({ key: 'm', value: i, step: i, timestamp: 1 }));
    const kv = (n: number) => Array.from({ length: n }, (_, i) => ({ key: `k${i}`, value: 'v' }));
    expect(core.tracking.logBatch(runId, { metrics: metrics(1000) }).metrics).toBe(1000);
    expect(() => core.tracking.logBatch(runId, { metrics: metrics(1001) })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(() => core.tracking.logBatch(runId, { params: kv(101) })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(() => core.tracking.logBatch(runId, { tags: kv(101) })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(() => core.tracking.logBatch(runId, { metrics: metrics(901), params: kv(100) })).toThrow(expect.objectContaining({ message: expect.stringContaining('1000 total') }));
    expect(core.tracking.logBatch(runId, { metrics: metrics(900), params: kv(100) })).toEqual({ metrics: 900, params: 100, tags: 0 });
  });

  it('reduces a long series to first/min/max/last per bucket, keeping every spike', () => {
    const { runId } = newRun();
    const n = 20_000;
    for (let start = 0; start < n; start += 1000) {
      core.tracking.logBatch(runId, {
        metrics: Array.from({ length: 1000 }, (_, j) => {
          const step = start + j;
          return { key: 'loss', value: step === 12_345 ? 1e6 : step === 777 ? -1e6 : Math.sin(step / 100), step, timestamp: 1000 + step };
        }),
      });
    }
    const s = core.tracking.getMetricSeries(runId, 'loss', 100);
    expect(s.total).toBe(n);
    expect(s.reduced).toBe(true);
    expect(s.points.length).toBeLessThanOrEqual(400);
    expect(s.points.length).toBeGreaterThanOrEqual(200);
    const values = s.points.map((p) => p[1]);
    expect(Math.max(...values)).toBe(1e6);
    expect(Math.min(...values)).toBe(-1e6);
    expect(s.points[0]![0]).toBe(0);
    expect(s.points.at(-1)![0]).toBe(n - 1);
    const steps = s.points.map((p) => p[0]);
    expect([...steps].sort((a, b) => a - b)).toEqual(steps);
    // Short series come back whole.
    const short = core.tracking.getMetricSeries(runId, 'loss', 10_000);
    expect(short).toMatchObject({ reduced: false, total: n });
    expect(short.points).toHaveLength(n);
    expect(core.tracking.getMetricSeries(runId, 'nokey').points).toEqual([]);
  });
});

describe('change events', () => {
  it('publishes after each committed write, not after a refused one', () => {
    const seen: ChangeEvent[] = [];
    core.bus.subscribe((e) => seen.push(e));
    const { runId } = newRun();
    core.tracking.logBatch(runId, { metrics: [{ key: 'm', value: 1 }] });
    expect(() => core.tracking.logBatch(runId, { metrics: [{ key: 'bad@', value: 1 }] })).toThrow();
    expect(seen.map((e) => e.kind)).toEqual(['experiment', 'run', 'metrics']);
    expect(seen[2]).toMatchObject({ kind: 'metrics', runId });
  });
});

describe('durability', () => {
  it('a committed batch is in the file before logBatch returns (read by a second connection)', () => {
    const { runId } = newRun();
    core.tracking.logBatch(runId, { metrics: [{ key: 'm', value: 42, step: 7, timestamp: 1 }] });
    const other = new Database(core.paths.db, { readonly: true });
    const row = other.prepare('SELECT value, step FROM metrics').get();
    other.close();
    expect(row).toEqual({ value: 42, step: 7 });
  });
});

describe('for the MLflow API: lifecycle, tag deletion, history pages', () => {
  it('soft-deletes and restores a run; a deleted run refuses logging', () => {
    const info = newRun();
    expect(core.tracking.setRunLifecycle(info.runId, 'deleted').lifecycleStage).toBe('deleted');
    expect(() => core.tracking.logBatch(info.runId, { params: [{ key: 'a', value: '1' }] })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(core.tracking.setRunLifecycle(info.runId, 'active').lifecycleStage).toBe('active');
    expect(() => core.tracking.setRunLifecycle('0'.repeat(32), 'deleted')).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
  });

  it('deletes a tag; an unknown tag is RESOURCE_DOES_NOT_EXIST', () => {
    const info = newRun();
    core.tracking.logBatch(info.runId, { tags: [{ key: 't', value: 'v' }] });
    core.tracking.deleteTag(info.runId, 't');
    expect(core.tracking.getRun(info.runId).tags.t).toBeUndefined();
    expect(() => core.tracking.deleteTag(info.runId, 't')).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST' }));
  });

});
