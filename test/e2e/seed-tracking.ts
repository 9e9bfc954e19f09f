import { createCore, type Core } from '../../src/main/core/create-core';

/**
 * Seeds a data directory straight through the core (not over HTTP), so a thousand runs or a
 * million metric points take seconds. Call before `lathe serve` opens the same home.
 * synchronous=OFF only for the seeding: durability is not what these fixtures test.
 */
function withCore<T>(home: string, fn: (core: Core) => T): T {
  const core = createCore({ home });
  core.db.pragma('synchronous = OFF');
  try {
    return fn(core);
  } finally {
    core.dispose();
  }
}

const LRS = ['0.1', '0.03', '0.01', '0.003', '0.001'];
const OPTIMIZERS = ['adam', 'sgd', 'adamw'];
const BATCH = ['32', '64', '128', '256'];
const T0 = 1_767_225_600_000; // 2026-01-01

/** A deterministic pseudo-random stream (mulberry32), so screenshots and assertions are stable. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export interface SeededTable {
  experimentId: string;
  runIds: string[];
  /** Metric keys of the one run that has thousands of them. */
  manyKeys: number;
}

/**
 * `n` runs of a sweep (lr × optimizer × batch size, seeds), each with 5 params, a 30-step
 * history of train/loss, val/loss and val/accuracy, varied statuses, a few notes; plus one run
 * with `manyKeys` extra metric keys (experiments with thousands of keys).
 */
export function seedRunsTable(home: string, n = 1000, manyKeys = 3000): SeededTable {
  return withCore(home, (core) => {
    const exp = core.tracking.createExperiment('sweep-1k');
    const rand = rng(42);
    const runIds: string[] = [];
    core.db.transaction(() => {
      for (let i = 0; i < n; i++) {
        const lr = LRS[i % LRS.length]!;
        const opt = OPTIMIZERS[Math.floor(i / LRS.length) % OPTIMIZERS.length]!;
        const bs = BATCH[Math.floor(i / 15) % BATCH.length]!;
        const start = T0 + i * 60_000;
        const { runId } = core.tracking.createRun({ experimentId: exp.experimentId, name: `run-${String(i).padStart(4, '0')}`, startTime: start, userId: 'ann' });
        runIds.push(runId);
        const quality = (opt === 'adamw' ? 0.15 : opt === 'adam' ? 0.1 : 0) + (lr === '0.003' || lr === '0.01' ? 0.1 : 0);
        const metrics = [];
        for (let s = 0; s < 30; s++) {
          const ts = start + s * 10_000;
          const decay = Math.exp(-s / 8);
          metrics.push(
            { key: 'train/loss', value: 0.3 + 2 * decay * (1 - quality) + rand() * 0.05, step: s, timestamp: ts },
            { key: 'val/loss', value: 0.4 + 2 * decay * (1 - quality) + rand() * 0.08, step: s, timestamp: ts },
            { key: 'val/accuracy', value: 0.45 + quality + 0.25 * (1 - decay) + rand() * 0.02, step: s, timestamp: ts },
          );
        }
        core.tracking.logBatch(runId, {
          params: [
            { key: 'lr', value: lr },
            { key: 'optimizer', value: opt },
            { key: 'batch_size', value: bs },
            { key: 'seed', value: String(i) },
            { key: 'dropout', value: String((i % 3) / 10) },
          ],
          tags: i % 50 === 0 ? [{ key: 'mlflow.note.content', value: `checked by ann (#${i})` }, { key: 'team', value: 'vision' }] : [],
          metrics,
        });
        const status = i % 17 === 0 ? 'FAILED' : i % 29 === 0 ? 'KILLED' : i >= n - 3 ? 'RUNNING' : 'FINISHED';
        if (status !== 'RUNNING') core.tracking.updateRun({ runId, status, endTime: start + 300_000 + (i % 7) * 31_000 });
      }
    })();
    if (manyKeys > 0) {
      const { runId } = core.tracking.createRun({ experimentId: exp.experimentId, name: 'many-keys', startTime: T0 + n * 60_000 });
      runIds.push(runId);
      for (let b = 0; b < manyKeys; b += 1000) {
        const count = Math.min(1000, manyKeys - b);
        core.tracking.logBatch(runId, { metrics: Array.from({ length: count }, (_, j) => ({ key: `layer_${String(b + j).padStart(4, '0')}/grad_norm`, value: rand(), step: 0, timestamp: T0 })) });
      }
      core.tracking.updateRun({ runId, status: 'FINISHED', endTime: T0 + n * 60_000 + 1000 });
    }
    return { experimentId: exp.experimentId, runIds, manyKeys };
  });
}

export interface SeededCompare {
  experimentId: string;
  runIds: string[];
  keys: string[];
}

/**
 * `runs` runs × `keys` metric keys × `steps` steps (the 10 × 10 × 10,000), noisy
 * learning curves with a few spikes, params that differ (lr, optimizer, warmup), and
 * `system/…` GPU series every 10 steps.
 */
export function seedCompare(home: string, runs = 10, keys = 10, steps = 10_000): SeededCompare {
  return withCore(home, (core) => {
    const exp = core.tracking.createExperiment('compare-10x10');
    const rand = rng(7);
    const names = Array.from({ length: keys }, (_, k) => (k === 0 ? 'train/loss' : k === 1 ? 'val/loss' : k === 2 ? 'val/accuracy' : `metric_${String(k).padStart(2, '0')}`));
    const runIds: string[] = [];
    for (let r = 0; r < runs; r++) {
      const start = T0 + r * 3_600_000;
      const { runId } = core.tracking.createRun({ experimentId: exp.experimentId, name: `lr${LRS[r % LRS.length]}-${OPTIMIZERS[r % 2]}-${r}`, startTime: start });
      runIds.push(runId);
      core.tracking.logBatch(runId, {
        params: [
          { key: 'lr', value: LRS[r % LRS.length]! },
          { key: 'optimizer', value: OPTIMIZERS[r % 2]! },
          { key: 'warmup_steps', value: String(500 * (r % 3)) },
          { key: 'epochs', value: '10' },
          { key: 'model', value: 'resnet50' },
        ],
      });
      const rate = 1500 + r * 400;
      const batch: Array<{ key: string; value: number; step: number; timestamp: number }> = [];
      const flush = () => {
        core.tracking.logBatch(runId, { metrics: batch.splice(0) });
      };
      for (let s = 0; s < steps; s++) {
        const ts = start + s * (900 + r * 40);
        for (let k = 0; k < keys; k++) {
          const base = Math.exp(-s / rate) * (1 + k * 0.1) + 0.05 * r;
          const spike = rand() < 0.0005 ? 3 : 0;
          const v = k === 2 ? 1 - base * 0.6 + (rand() - 0.5) * 0.04 : base + (rand() - 0.5) * 0.08 + spike;
          batch.push({ key: names[k]!, value: v, step: s, timestamp: ts });
        }
        if (s % 10 === 0) {
          batch.push({ key: 'system/gpu_0_utilization_percentage', value: 70 + 25 * rand(), step: s, timestamp: ts });
          batch.push({ key: 'system/gpu_0_memory_usage_megabytes', value: 30_000 + r * 2000 + 500 * rand(), step: s, timestamp: ts });
        }
        if (batch.length >= 990) flush();
      }
      if (batch.length) flush();
      core.tracking.updateRun({ runId, status: 'FINISHED', endTime: start + steps * (900 + r * 40) });
    }
    return { experimentId: exp.experimentId, runIds, keys: names };
  });
}
