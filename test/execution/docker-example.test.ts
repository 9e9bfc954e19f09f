import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForEnd, type TestServer } from '../helpers/lathe-test-server';

const IMAGE = process.env.LATHE_TEST_IMAGE ?? 'lathe/python-sklearn:bookworm';
const EXAMPLE = path.resolve(__dirname, '../../examples/sklearn-breast-cancer');

let t: TestServer;
beforeAll(async () => {
  t = await startTestServer();
  const images = await t.client.runtimes.images();
  if (!images.some((i) => i.ref === IMAGE)) throw new Error(`image ${IMAGE} is missing: run scripts/build-image.sh (.ci/run does)`);
  expect(t.server.bridge, 'the tracking API must listen on the Docker bridge').not.toBeNull();
}, 60_000);
afterAll(async () => t?.close());

async function logOf(runId: string): Promise<string> {
  let text = '';
  for await (const c of await t.client.runs.logs({ runId, offset: 0 })) text += c.text;
  return text;
}

describe('the example trains in a Docker container, tracked end to end', () => {
  it('finishes with the metrics it printed, per-epoch steps, params, tags and a downloadable model', async () => {
    const started = await t.client.runs.start({
      image: IMAGE,
      command: ['python3', 'train.py'],
      workdir: EXAMPLE,
      experimentName: 'breast-cancer',
      name: 'sgd-baseline',
      params: { epochs: '12' },
      env: { WANDB_API_KEY: 'super-secret', EXTRA: 'visible' },
    });
    expect(started.status).toBe('RUNNING');
    const run = await waitForEnd(t.client, started.runId);
    const log = await logOf(started.runId);
    expect(run.info.status, log).toBe('FINISHED');
    const exec = await t.client.runs.execution({ runId: started.runId });
    expect(exec).toMatchObject({ runtime: 'docker', image: IMAGE, exitCode: 0, command: ['python3', 'train.py'], env: { WANDB_API_KEY: '****', EXTRA: 'visible' } });
    expect(exec!.imageDigest).toMatch(/^sha256:[0-9a-f]{64}$/);
    expect(exec!.deviceRequests).toBeNull();

    // Final accuracy equals what the script printed, and is plausible.
    const printed = Number(log.match(/^final accuracy (\S+)/m)?.[1]);
    const latest = Object.fromEntries(run.metrics.map((m) => [m.key, m.value]));
    expect(latest.accuracy).toBeCloseTo(printed, 6);
    expect(latest.accuracy).toBeGreaterThanOrEqual(0.9);
    expect(latest.accuracy).toBeLessThanOrEqual(1);
    for (const k of ['precision', 'recall', 'f1', 'roc_auc']) expect(latest[k]).toBeGreaterThan(0.8);
    const history = t.core.tracking.getMetricHistory(started.runId, 'val_accuracy');
    expect(history.map((p) => p.step)).toEqual(Array.from({ length: 12 }, (_, i) => i + 1));
    expect(log.match(/^epoch /gm)).toHaveLength(12);

    expect(run.params).toMatchObject({ epochs: '12', seed: '42', model: 'SGDClassifier(log_loss)' });
    expect(run.tags).toMatchObject({ dataset: 'sklearn.datasets.load_breast_cancer', 'lathe.runtime': 'docker', 'lathe.image': IMAGE, 'lathe.command': 'python3 train.py', 'mlflow.runName': 'sgd-baseline' });
    expect(run.tags['lathe.image.digest']).toBe(exec!.imageDigest);
    expect(JSON.parse(run.tags['lathe.env']!)).toEqual({ WANDB_API_KEY: '****', EXTRA: 'visible' });
    expect(run.tags['lathe.version']).toBeTruthy();

    // The model artifact downloads through the MLflow artifacts API.
    const artifactPath = run.info.artifactUri.replace('mlflow-artifacts:/', '');
    const res = await fetch(new URL(`api/2.0/mlflow-artifacts/artifacts/${artifactPath}/model.pkl`, t.server.main.url), { headers: { authorization: `Bearer ${t.token}` } });
    expect(res.status).toBe(200);
    const bytes = Buffer.from(await res.arrayBuffer());
    expect(bytes.length).toBeGreaterThan(500);
    expect(bytes[0]).toBe(0x80); // pickle protocol marker
    // The container is removed once its end is recorded; the run token no longer works.
    // (Removal follows the recorded end: poll rather than read right after the status changed.)
    await expect.poll(() => t.core.docker.docker.listContainers({ all: true, filters: { label: [`lathe.run_id=${started.runId}`] } }), { timeout: 15_000 }).toEqual([]);
  }, 180_000);

  it('a crashing script ends FAILED with its exit code, its logs and the metrics logged so far', async () => {
    const started = await t.client.runs.start({ image: IMAGE, command: ['python3', 'train.py'], workdir: EXAMPLE, params: { epochs: '10', fail_at_epoch: '4' } });
    const run = await waitForEnd(t.client, started.runId);
    expect(run.info.status).toBe('FAILED');
    const exec = await t.client.runs.execution({ runId: started.runId });
    expect(exec!.exitCode).toBe(1);
    expect(exec!.statusMessage).toBe('Exited with code 1.');
    const log = await logOf(started.runId);
    expect(log).toContain('RuntimeError: failing on purpose at epoch 4');
    expect(t.core.tracking.getMetricHistory(started.runId, 'val_loss').map((p) => p.step)).toEqual([1, 2, 3]);
  }, 120_000);
});
