import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestServer, waitForEnd, type TestServer } from '../helpers/lathe-test-server';

const IMAGE = process.env.LATHE_TEST_IMAGE ?? 'lathe/python-sklearn:bookworm';

let t: TestServer;
let work: string;
let code: string;

const READER = `
import os, sys, hashlib
root = os.environ["LATHE_DATASET_TRAIN_SET"]
print("root", root)
data = open(os.path.join(root, "train.csv"), "rb").read()
print("sha256", hashlib.sha256(data).hexdigest())
print("lines", data.count(b"\\n"))
try:
    open(os.path.join(root, "written-by-run.txt"), "w").write("x")
    print("WRITE SUCCEEDED")
except OSError as e:
    print("write refused:", type(e).__name__)
extra = os.environ.get("LATHE_DATASET_EXTRA")
if extra:
    print("extra", sorted(os.listdir(extra)))
`;

beforeAll(async () => {
  t = await startTestServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-lineage-'));
  code = path.join(work, 'code');
  fs.mkdirSync(code);
  fs.writeFileSync(path.join(code, 'read_data.py'), READER);
  fs.mkdirSync(path.join(work, 'train'));
  fs.writeFileSync(path.join(work, 'train', 'train.csv'), 'x,y\n1,0\n2,1\n3,0\n');
  fs.mkdirSync(path.join(work, 'extra', 'sub'), { recursive: true });
  fs.writeFileSync(path.join(work, 'extra', 'a.csv'), 'a\n1\n');
  fs.writeFileSync(path.join(work, 'extra', 'sub', 'b.csv'), 'b\n2\n');
  await t.core.datasets.add({ path: path.join(work, 'train', 'train.csv'), name: 'train-set' });
  await t.core.datasets.add({ path: path.join(work, 'extra'), name: 'extra', mode: 'import' });
}, 60_000);
afterAll(async () => {
  await t?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

async function logOf(runId: string): Promise<string> {
  let text = '';
  for await (const c of await t.client.runs.logs({ runId, offset: 0 })) text += c.text;
  return text;
}

describe('datasets as run inputs', () => {
  it('a container sees the versions read-only at /data/NAME and the lineage shows on both sides', async () => {
    const images = await t.client.runtimes.images();
    expect(images.some((i) => i.ref === IMAGE), `image ${IMAGE} is missing: scripts/build-image.sh`).toBe(true);
    const started = await t.client.runs.start({ image: IMAGE, command: ['python3', 'read_data.py'], workdir: code, datasets: ['train-set', 'extra'], name: 'reads-data' });
    const run = await waitForEnd(t.client, started.runId);
    const log = await logOf(started.runId);
    expect(run.info.status, log).toBe('FINISHED');
    expect(log).toContain('root /data/train-set');
    expect(log).toMatch(/sha256 [0-9a-f]{64}/);
    expect(log).toContain('lines 4');
    expect(log).toContain('write refused: OSError');
    expect(log).not.toContain('WRITE SUCCEEDED');
    expect(log).toContain("extra ['a.csv', 'sub']");
    // The container's view of the file is the registered bytes.
    const recorded = t.core.datasets.files('train-set')[0]!.sha256;
    expect(log).toContain(`sha256 ${recorded}`);

    // Lineage: the run's inputs, and the version's runs.
    const inputs = await t.client.datasets.runInputs({ runId: started.runId });
    expect(inputs.map((i) => [i.name, i.mountPath, i.mode])).toEqual([
      ['train-set', '/data/train-set', 'track'],
      ['extra', '/data/extra', 'import'],
    ]);
    const versions = await t.client.datasets.versions({ name: 'train-set' });
    expect(versions[0]!.usedBy.map((u) => u.runId)).toEqual([started.runId]);
    // MLflow's log-inputs shape, and the MLflow API's own record of the run's inputs.
    const mlflow = await t.client.datasets.mlflowInputs({ runId: started.runId });
    expect(mlflow[0]).toMatchObject({
      tags: [{ key: 'mlflow.data.context', value: 'training' }],
      dataset: { name: 'train-set', digest: versions[0]!.digest.slice(0, 32), source_type: 'local', source: JSON.stringify({ uri: path.join(work, 'train', 'train.csv') }) },
    });
    const mlflowRecord = t.core.runInputs.getInputs(started.runId);
    expect(mlflowRecord.datasetInputs.map((d) => d.dataset.name).sort()).toEqual(['extra', 'train-set']);
    // The container could not leave a file behind.
    expect(fs.existsSync(path.join(work, 'train', 'written-by-run.txt'))).toBe(false);
    // The engine really got read-only binds.
    const exec = await t.client.runs.execution({ runId: started.runId });
    expect(exec?.exitCode).toBe(0);
  }, 180_000);

  it('the process runtime gets host paths in LATHE_DATASET_<NAME>', async () => {
    const started = await t.client.runs.start({ runtime: 'process', command: ['python3', 'read_data.py'], workdir: code, datasets: ['train-set@' + (await t.client.datasets.versions({ name: 'train-set' }))[0]!.digest.slice(0, 8)] });
    const run = await waitForEnd(t.client, started.runId);
    const log = await logOf(started.runId);
    expect(run.info.status, log).toBe('FINISHED');
    expect(log).toMatch(/root \/.*datasets\/views\/\d+-[0-9a-f]{12}/);
    expect(log).toContain('lines 4');
    const inputs = await t.client.datasets.runInputs({ runId: started.runId });
    expect(inputs[0]!.mountPath).toMatch(/views\/\d+-[0-9a-f]{12}$/);
  }, 120_000);

  it('refuses a run whose datasets fail their rules (with the report), creating no run', async () => {
    t.core.datasets.setRules('train-set', [{ kind: 'range', column: 'x', max: 2 }]);
    const before = (await t.client.runs.list({})).total;
    const err = await t.client.runs.start({ runtime: 'process', command: ['true'], workdir: code, datasets: ['train-set'], requireValid: true }).catch((e: unknown) => e);
    expect(err).toMatchObject({ message: expect.stringMatching(/fails its validation rules/) });
    const details = (err as { data?: { validation?: Array<{ passed: boolean; results: Array<{ failing: number }> }> } }).data;
    expect(details?.validation?.[0]).toMatchObject({ passed: false, results: [{ failing: 1 }] });
    expect((await t.client.runs.list({})).total).toBe(before);
    // Without --require-valid the same run starts.
    const ok = await t.client.runs.start({ runtime: 'process', command: ['true'], workdir: code, datasets: ['train-set'] });
    expect((await waitForEnd(t.client, ok.runId)).info.status).toBe('FINISHED');
    t.core.datasets.setRules('train-set', []);
  }, 120_000);

  it('refuses a run when tracked data changed since registration', async () => {
    fs.writeFileSync(path.join(work, 'train', 'train.csv'), 'x,y\n1,0\n2,1\n3,0\n4,1\n');
    await expect(t.client.runs.start({ runtime: 'process', command: ['true'], workdir: code, datasets: ['train-set'] })).rejects.toMatchObject({ message: expect.stringMatching(/now has digest/) });
    await expect(t.client.runs.start({ runtime: 'process', command: ['true'], workdir: code, datasets: ['no-such-dataset'] })).rejects.toMatchObject({ message: expect.stringMatching(/No dataset named/) });
  }, 60_000);
});
