#!/usr/bin/env node
/**
 * Fills a running `lathe serve` with demo experiments and runs (for screenshots, demos and
 * trying the UI by hand). Talks to the typed API over HTTP like any other client.
 *
 *   node scripts/seed-demo.mjs --url http://127.0.0.1:7860 --token <token> [--live]
 *   LATHE_URL=… LATHE_TOKEN=… node scripts/seed-demo.mjs
 *   LATHE_HOME=/tmp/home node scripts/seed-demo.mjs --url …   (token read from $LATHE_HOME/token)
 *
 * --live keeps one run RUNNING and logs a point a second to it until interrupted.
 * Running it twice adds a second set of runs to the same experiments.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values: args } = parseArgs({
  options: {
    url: { type: 'string' },
    token: { type: 'string' },
    live: { type: 'boolean', default: false },
    help: { type: 'boolean', short: 'h', default: false },
  },
});
if (args.help) {
  console.log('usage: node scripts/seed-demo.mjs --url http://127.0.0.1:PORT [--token TOKEN] [--live]');
  process.exit(0);
}

const baseUrl = (args.url ?? process.env.LATHE_URL ?? 'http://127.0.0.1:7860').replace(/\/?(\?.*)?$/, '');
// The URL `lathe serve` prints carries the token; accept it pasted whole.
const tokenInUrl = (() => {
  try {
    return new URL(args.url ?? process.env.LATHE_URL ?? '').searchParams.get('token');
  } catch {
    return null;
  }
})();
const token =
  args.token ??
  process.env.LATHE_TOKEN ??
  tokenInUrl ??
  (process.env.LATHE_HOME ? readFileSync(join(process.env.LATHE_HOME, 'token'), 'utf8').trim() : undefined);
if (!token) {
  console.error('seed-demo: no token: pass --token, set LATHE_TOKEN, or set LATHE_HOME');
  process.exit(2);
}

async function rpc(path, input) {
  const res = await fetch(`${baseUrl}/rpc/${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', authorization: `Bearer ${token}` },
    body: JSON.stringify({ json: input }),
  });
  const body = await res.json().catch(() => ({}));
  if (!res.ok) throw new Error(`${path}: HTTP ${res.status} ${JSON.stringify(body.json ?? body)}`);
  return body.json;
}

async function experiment(name) {
  try {
    return await rpc('experiments/create', { name });
  } catch (err) {
    if (!String(err).includes('RESOURCE_ALREADY_EXISTS')) throw err;
    return rpc('experiments/getByName', { name });
  }
}

/** A deterministic pseudo-random source, so screenshots look the same run after run. */
function rng(seed) {
  let s = seed >>> 0;
  return () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32);
}

/** A plausible training curve: loss falls, accuracy rises, both with noise. */
function curves({ steps, planned = steps, lr, seed, t0, stepMs, diverge }) {
  const r = rng(seed);
  const metrics = [];
  for (let step = 1; step <= steps; step++) {
    const t = t0 + step * stepMs;
    const progress = 1 - Math.exp((-step * lr * 40) / planned);
    let loss = 2.3 * (1 - 0.93 * progress) + (r() - 0.5) * 0.12 * (1 - progress * 0.7);
    if (diverge && step > diverge) loss = step === diverge + 1 ? Number.POSITIVE_INFINITY : Number.NaN;
    metrics.push({ key: 'train/loss', value: Number.isFinite(loss) ? loss : String(loss), step, timestamp: t });
    if (step % 10 === 0) {
      metrics.push({ key: 'val/loss', value: diverge && step > diverge ? 'NaN' : 2.35 * (1 - 0.9 * progress) + r() * 0.05, step, timestamp: t });
      metrics.push({ key: 'val/accuracy', value: Math.min(0.995, 0.1 + 0.88 * progress + (r() - 0.5) * 0.02), step, timestamp: t });
    }
    // Cosine decay to 1% of the initial rate over the planned steps.
    metrics.push({ key: 'lr', value: lr * (0.01 + 0.99 * 0.5 * (1 + Math.cos((Math.PI * step) / planned))), step, timestamp: t });
  }
  return metrics;
}

async function logMetrics(runId, metrics) {
  // logBatch takes up to 1,000 metrics at a time (MLflow's limit).
  for (let i = 0; i < metrics.length; i += 1000) await rpc('runs/logBatch', { runId, metrics: metrics.slice(i, i + 1000) });
}

async function seedRun(exp, spec) {
  const now = Date.now();
  const startTime = now - spec.agoMs;
  const run = await rpc('runs/create', {
    experimentId: exp.experimentId,
    name: spec.name,
    startTime,
    tags: [{ key: 'mlflow.user', value: 'demo' }, ...(spec.tags ?? [])],
  });
  await rpc('runs/logBatch', {
    runId: run.runId,
    params: Object.entries(spec.params).map(([key, value]) => ({ key, value: String(value) })),
  });
  const stepMs = Math.max(1, Math.floor((spec.durationMs ?? spec.agoMs) / spec.steps));
  await logMetrics(run.runId, curves({ steps: spec.steps, planned: spec.planned, lr: spec.params.lr, seed: spec.seed, t0: startTime, stepMs, diverge: spec.diverge }));
  if (spec.status !== 'RUNNING') {
    await rpc('runs/update', { runId: run.runId, status: spec.status, endTime: startTime + (spec.durationMs ?? spec.agoMs) });
  } else {
    await rpc('runs/update', { runId: run.runId, status: 'RUNNING' });
  }
  console.log(`  ${spec.status.padEnd(8)} ${spec.name} (${run.runId})`);
  return run;
}

const H = 3_600_000;
const M = 60_000;

console.log(`seeding ${baseUrl}`);
const mnist = await experiment('mnist-cnn');
const cifar = await experiment('cifar10-resnet18');
await experiment('bert-finetune-sst2'); // left empty on purpose: shows the empty state

const common = { optimizer: 'adamw', weight_decay: 0.01, epochs: 10 };
console.log(`experiment ${mnist.name}`);
await seedRun(mnist, { name: 'lr-0.001', status: 'FINISHED', agoMs: 5 * H, durationMs: 42 * M, steps: 600, seed: 1, params: { ...common, lr: 0.001, batch_size: 64 } });
await seedRun(mnist, { name: 'lr-0.01', status: 'FINISHED', agoMs: 4 * H, durationMs: 38 * M, steps: 600, seed: 2, params: { ...common, lr: 0.01, batch_size: 64 } });
await seedRun(mnist, {
  name: 'lr-0.3-diverged',
  status: 'FAILED',
  agoMs: 3 * H,
  durationMs: 7 * M,
  steps: 120,
  seed: 3,
  diverge: 90,
  params: { ...common, lr: 0.3, batch_size: 64 },
  tags: [{ key: 'note', value: 'loss went to inf at step 91, then NaN' }],
});
await seedRun(mnist, { name: 'bs-256-killed', status: 'KILLED', agoMs: 2 * H, durationMs: 12 * M, steps: 200, seed: 4, params: { ...common, lr: 0.005, batch_size: 256 } });
console.log(`experiment ${cifar.name}`);
await seedRun(cifar, {
  name: 'resnet18-long',
  status: 'FINISHED',
  agoMs: 26 * H,
  durationMs: 9 * H,
  steps: 20000,
  seed: 5,
  params: { ...common, lr: 0.05, batch_size: 128, model: 'resnet18', augment: 'randaugment' },
  tags: [{ key: 'mlflow.source.name', value: 'train_cifar.py' }],
});
const live = await seedRun(cifar, {
  name: 'resnet18-sweep-3',
  status: 'RUNNING',
  agoMs: 35 * M,
  steps: 300,
  planned: 1000,
  seed: 6,
  params: { ...common, lr: 0.02, batch_size: 128, model: 'resnet18' },
});
await rpc('runs/create', { experimentId: cifar.experimentId, name: 'resnet18-sweep-4' }).then((r) =>
  rpc('runs/update', { runId: r.runId, status: 'SCHEDULED' }).then(() => console.log(`  SCHEDULED resnet18-sweep-4 (${r.runId})`)),
);

if (args.live) {
  console.log(`live: logging to ${live.runId} every second (Ctrl-C to stop)`);
  // The same curve the run was seeded with, continued where the seed stopped.
  const rest = curves({ steps: 1000, planned: 1000, lr: 0.02, seed: 6, t0: 0, stepMs: 0 }).filter((m) => m.step > 300);
  for (let step = 301; step <= 1000; step++) {
    const timestamp = Date.now();
    const metrics = rest.filter((m) => m.step === step).map((m) => ({ ...m, timestamp }));
    await rpc('runs/logBatch', { runId: live.runId, metrics });
    await new Promise((res) => setTimeout(res, 1000));
  }
  await rpc('runs/update', { runId: live.runId, status: 'FINISHED' });
}
