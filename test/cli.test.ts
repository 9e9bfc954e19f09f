import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core/create-core';
import { tempHome } from './helpers/temp-home';
import { latheCli } from './helpers/cli';

let home: string;
let cleanup: () => void;
let runA: string;
let runB: string;

const lathe = (...args: string[]) => latheCli(home, args);

beforeAll(() => {
  const t = tempHome();
  home = t.home;
  cleanup = t.cleanup;
  const core = createCore({ home, now: () => 1_700_000_000_000 });
  const vision = core.tracking.createExperiment('vision');
  const nlp = core.tracking.createExperiment('nlp');
  runA = core.tracking.createRun({ experimentId: vision.experimentId, name: 'resnet-a', startTime: 1_700_000_000_000 }).runId;
  runB = core.tracking.createRun({ experimentId: nlp.experimentId, name: 'bert-b', startTime: 1_700_000_100_000 }).runId;
  core.tracking.logBatch(runA, {
    params: [{ key: 'lr', value: '0.01' }],
    tags: [{ key: 'owner', value: 'ada' }],
    metrics: [
      { key: 'acc', value: 0.9, step: 1, timestamp: 1_700_000_001_000 },
      { key: 'acc', value: 0.93, step: 2, timestamp: 1_700_000_002_000 },
      { key: 'loss', value: 'NaN', step: 2, timestamp: 1_700_000_002_000 },
    ],
  });
  core.tracking.updateRun({ runId: runA, status: 'FINISHED', endTime: 1_700_000_065_000 });
  core.dispose();
});
afterAll(() => cleanup());

describe('lathe CLI', () => {
  it('experiments ls prints a table and --json the experiment list', async () => {
    const table = await lathe('experiments', 'ls');
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/vision/);
    expect(table.stdout).toMatch(/nlp/);
    const json = JSON.parse((await lathe('experiments', 'ls', '--json')).stdout);
    expect(json.map((e: { name: string }) => e.name)).toEqual(['Default', 'vision', 'nlp']);
    expect(json[1]).toMatchObject({ experimentId: '1', name: 'vision', runCount: 1, lifecycleStage: 'active' });
  });

  it('runs ls lists newest first and filters by experiment name', async () => {
    const all = JSON.parse((await lathe('runs', 'ls', '--json')).stdout);
    expect(all.total).toBe(2);
    expect(all.runs.map((r: { info: { name: string } }) => r.info.name)).toEqual(['bert-b', 'resnet-a']);
    const vision = JSON.parse((await lathe('runs', 'ls', '--experiment', 'vision', '--json')).stdout);
    expect(vision.runs).toHaveLength(1);
    expect(vision.runs[0]).toMatchObject({ info: { runId: runA, status: 'FINISHED', startTime: 1_700_000_000_000, endTime: 1_700_000_065_000 }, params: { lr: '0.01' } });
    const table = await lathe('runs', 'ls', '--experiment', 'vision');
    expect(table.stdout).toContain(runA);
    expect(table.stdout).toContain('1m 05s');
    expect(table.stdout).not.toContain(runB);
  });

  it('runs show prints params, tags and latest metrics; --json writes NaN as "NaN"', async () => {
    const text = await lathe('runs', 'show', runA);
    expect(text.stdout).toContain('resnet-a');
    expect(text.stdout).toContain('FINISHED');
    expect(text.stdout).toMatch(/acc\s*│?\s*0\.93/);
    const json = JSON.parse((await lathe('runs', 'show', runA, '--json')).stdout);
    expect(json.info.runId).toBe(runA);
    expect(json.params).toEqual({ lr: '0.01' });
    expect(json.tags).toMatchObject({ owner: 'ada', 'mlflow.runName': 'resnet-a' });
    expect(json.metrics).toEqual([
      { key: 'acc', value: 0.93, step: 2, timestamp: 1_700_000_002_000 },
      { key: 'loss', value: 'NaN', step: 2, timestamp: 1_700_000_002_000 },
    ]);
  });

  it('bad input gets a clear message and a non-zero exit', async () => {
    const missing = await lathe('runs', 'show', 'deadbeef');
    expect(missing.code).toBe(2);
    expect(missing.stderr).toContain('Run with id=deadbeef not found');
    const noExp = await lathe('runs', 'ls', '--experiment', 'nope');
    expect(noExp.code).toBe(2);
    expect(noExp.stderr).toContain("Could not find experiment with name 'nope'");
    const badLimit = await lathe('runs', 'ls', '--limit', 'many');
    expect(badLimit.code).not.toBe(0);
    expect(badLimit.stderr).toContain('expected an integer 1–1000');
    const badPort = await lathe('serve', '--port', '99999');
    expect(badPort.code).not.toBe(0);
    expect(badPort.stderr).toContain('expected a port number');
  });
});
