import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';

/**
 * The routes beyond the recordings' happy path: experiment lifecycle and tags, run inputs and
 * outputs, logged models, 2.x log-model, artifact delete, and what a per-run token may do with
 * them (../shared/notes/mlflow-rest.md §3.1, §3.3, §3.5, §3.6, §3.7).
 */

let srv: MlflowTestServer;
const T = '/api/2.0/mlflow';
const A = '/api/2.0/mlflow-artifacts/artifacts';

type J = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
const json = (res: { json: unknown }): J => res.json as J;
const code = (res: { json: unknown }): string | undefined => (res.json as { error_code?: string } | undefined)?.error_code;

beforeAll(async () => {
  srv = await startMlflowTestServer();
});
afterAll(async () => {
  await srv?.close();
});

async function newRun(expName: string): Promise<{ exp: string; run: string }> {
  const exp = json(await srv.request(`${T}/experiments/create`, { body: { name: expName } })).experiment_id as string;
  const run = json(await srv.request(`${T}/runs/create`, { body: { experiment_id: exp } })).run.info.run_id as string;
  return { exp, run };
}

describe('experiments: rename, delete and restore (with their runs), tags', () => {
  it('follows MLflow, with RESOURCE_ALREADY_EXISTS for a taken name', async () => {
    const { exp, run } = await newRun('lifecycle');
    await srv.request(`${T}/experiments/create`, { body: { name: 'taken' } });
    const taken = await srv.request(`${T}/experiments/update`, { body: { experiment_id: exp, new_name: 'taken' } });
    expect([taken.status, code(taken)]).toEqual([400, 'RESOURCE_ALREADY_EXISTS']);
    expect((await srv.request(`${T}/experiments/update`, { body: { experiment_id: exp, new_name: 'renamed' } })).status).toBe(200);
    expect(srv.core.tracking.getExperiment(exp).name).toBe('renamed');
    expect((await srv.request(`${T}/experiments/update`, { body: { experiment_id: '4242', new_name: 'x' } })).status).toBe(404);

    expect((await srv.request(`${T}/experiments/set-experiment-tag`, { body: { experiment_id: exp, key: 'k', value: 'v' } })).status).toBe(200);
    const long = await srv.request(`${T}/experiments/set-experiment-tag`, { body: { experiment_id: exp, key: 'k', value: 'x'.repeat(5001) } });
    expect([long.status, code(long)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect(srv.core.tracking.getExperiment(exp).tags).toEqual({ k: 'v' });
    expect((await srv.request(`${T}/experiments/delete-experiment-tag`, { body: { experiment_id: exp, key: 'k' } })).status).toBe(200);
    expect((await srv.request(`${T}/experiments/delete-experiment-tag`, { body: { experiment_id: exp, key: 'k' } })).status).toBe(404);

    expect((await srv.request(`${T}/experiments/delete`, { body: { experiment_id: exp } })).status).toBe(200);
    expect(srv.core.tracking.getRunInfo(run).lifecycleStage).toBe('deleted');
    const logged = await srv.request(`${T}/runs/log-metric`, { body: { run_id: run, key: 'k', value: 1, timestamp: 1 } });
    expect([logged.status, code(logged)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const renameDeleted = await srv.request(`${T}/experiments/update`, { body: { experiment_id: exp, new_name: 'again' } });
    expect([renameDeleted.status, code(renameDeleted)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await srv.request(`${T}/experiments/restore`, { body: { experiment_id: exp } })).status).toBe(200);
    expect(srv.core.tracking.getRunInfo(run).lifecycleStage).toBe('active');
    const dflt = await srv.request(`${T}/experiments/delete`, { body: { experiment_id: '0' } });
    expect([dflt.status, code(dflt)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });
});

describe('run inputs and outputs', () => {
  it('log-inputs stores datasets once and runs/get returns them; bad input is 400', async () => {
    const { run } = await newRun('inputs');
    const dataset = { name: 'iris', digest: 'abc123', source_type: 'local', source: '{"uri": "/data/iris.csv"}', schema: '{"mlflow_colspec": []}' };
    const body = { run_id: run, datasets: [{ dataset, tags: [{ key: 'mlflow.data.context', value: 'training' }] }] };
    expect((await srv.request(`${T}/runs/log-inputs`, { body })).status).toBe(200);
    expect((await srv.request(`${T}/runs/log-inputs`, { body })).status).toBe(200);
    const got = json(await srv.request(`${T}/runs/get`, { query: { run_id: run } })).run;
    expect(got.inputs).toEqual({ dataset_inputs: [{ tags: [{ key: 'mlflow.data.context', value: 'training' }], dataset }] });
    expect(got.outputs).toEqual({});
    const missing = await srv.request(`${T}/runs/log-inputs`, { body: { run_id: run, datasets: [{ dataset: { name: 'x' } }] } });
    expect([missing.status, code(missing)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    expect((await srv.request(`${T}/runs/log-inputs`, { body: { run_id: 'f'.repeat(32), datasets: [] } })).status).toBe(404);
    // The typed core API the datasets feature uses.
    expect(srv.core.runInputs.getInputs(run).datasetInputs[0]!.dataset).toMatchObject({ name: 'iris', sourceType: 'local' });
  });

  it('runs/log-model (2.x) appends to mlflow.log-model.history', async () => {
    const { run } = await newRun('log-model');
    const model = { artifact_path: 'model', flavors: { python_function: {} }, run_id: run, utc_time_created: '2025-01-01 00:00:00.000000', model_uuid: 'u1' };
    for (const uuid of ['u1', 'u2']) {
      const res = await srv.request(`${T}/runs/log-model`, { body: { run_id: run, model_json: JSON.stringify({ ...model, model_uuid: uuid }) } });
      expect(res.status, res.text).toBe(200);
    }
    const history = JSON.parse(srv.core.tracking.getRun(run).tags['mlflow.log-model.history']!) as Array<{ model_uuid: string }>;
    expect(history.map((h) => h.model_uuid)).toEqual(['u1', 'u2']);
    const bad = await srv.request(`${T}/runs/log-model`, { body: { run_id: run, model_json: '{"flavors": {}}' } });
    expect([bad.status, code(bad)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
  });
});

describe('logged models (MLflow 3)', () => {
  it('create, tags, params, metrics via log-batch (NaN kept), search, finalize, artifacts, delete', async () => {
    const { exp, run } = await newRun('logged');
    const created = json(await srv.request(`${T}/logged-models`, { body: { experiment_id: exp, name: 'net', source_run_id: run, params: [{ key: 'lr', value: '0.1' }], tags: [{ key: 'b', value: '2' }, { key: 'a', value: '1' }] } })).model;
    const id = created.info.model_id as string;
    expect(id).toMatch(/^m-[0-9a-f]{32}$/);
    expect(created.info).toMatchObject({ status: 'LOGGED_MODEL_PENDING', model_type: '', artifact_uri: `mlflow-artifacts:/${exp}/models/${id}/artifacts`, tags: [{ key: 'a', value: '1' }, { key: 'b', value: '2' }] });
    const metric = { key: 'acc', value: 'NaN', timestamp: 5, step: 1, model_id: id };
    for (let i = 0; i < 2; i++) expect((await srv.request(`${T}/runs/log-batch`, { body: { run_id: run, metrics: [metric] } })).status).toBe(200);
    expect((await srv.request(`${T}/logged-models/${id}/params`, { body: { params: [{ key: 'epochs', value: '3' }] } })).status).toBe(200);
    expect((await srv.request(`${T}/logged-models/${id}/tags`, { method: 'PATCH', body: { tags: [{ key: 'c', value: '3' }] } })).status).toBe(200);
    expect((await srv.request(`${T}/logged-models/${id}/tags/a`, { method: 'DELETE', body: {} })).status).toBe(200);
    expect((await srv.request(`${T}/runs/outputs`, { body: { run_id: run, models: [{ model_id: id, step: 1 }] } })).status).toBe(200);
    expect(json(await srv.request(`${T}/runs/get`, { query: { run_id: run } })).run.outputs).toEqual({ model_outputs: [{ model_id: id, step: 1 }] });

    const got = json(await srv.request(`${T}/logged-models/${id}`)).model;
    expect(got.data).toEqual({ params: [{ key: 'epochs', value: '3' }, { key: 'lr', value: '0.1' }], metrics: [{ key: 'acc', value: 'NaN', timestamp: 5, step: 1, model_id: id, run_id: run }] });
    expect(got.info.tags.map((t: { key: string }) => t.key)).toEqual(['b', 'c']);

    expect((await srv.request(`${A}/${exp}/models/${id}/artifacts/MLmodel`, { method: 'PUT', raw: 'flavors: {}' })).status).toBe(200);
    const dir = json(await srv.request(`${T}/logged-models/${id}/artifacts/directories`));
    expect(dir).toEqual({ root_uri: got.info.artifact_uri, files: [{ path: 'MLmodel', is_dir: false, file_size: 11 }] });

    const search = async (body: J) => json(await srv.request(`${T}/logged-models/search`, { body: { experiment_ids: [exp], ...body } }));
    expect((await search({ filter: "name = 'net'" })).models).toHaveLength(1);
    expect(await search({ filter: "name = 'other'" })).toEqual({});
    expect((await search({ filter: "params.lr = '0.1' AND tags.b = '2' AND status = 'LOGGED_MODEL_PENDING'" })).models).toHaveLength(1);
    const bad = await srv.request(`${T}/logged-models/search`, { body: { experiment_ids: [exp], filter: 'nonsense ~ 1' } });
    expect([bad.status, code(bad)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);

    const wrong = await srv.request(`${T}/logged-models/${id}`, { method: 'PATCH', body: { model_id: id, status: 'LOGGED_MODEL_PENDING' } });
    expect([wrong.status, code(wrong)]).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    const ready = json(await srv.request(`${T}/logged-models/${id}`, { method: 'PATCH', body: { model_id: id, status: 'LOGGED_MODEL_READY' } })).model;
    expect(ready.info.status).toBe('LOGGED_MODEL_READY');

    expect((await srv.request(`${T}/logged-models/${id}`, { method: 'DELETE', body: {} })).status).toBe(200);
    const gone = await srv.request(`${T}/logged-models/${id}`);
    expect([gone.status, code(gone)]).toEqual([404, 'RESOURCE_DOES_NOT_EXIST']);
    expect(await search({})).toEqual({});
    expect((await srv.request(`${T}/logged-models`, { body: { experiment_id: '4242' } })).status).toBe(404);
  });
});

describe('artifact delete', () => {
  it('removes a file or a folder, is idempotent, never follows links out of the root', async () => {
    const { exp, run } = await newRun('art-delete');
    const prefix = `${A}/${exp}/${run}/artifacts`;
    await srv.request(`${prefix}/keep.txt`, { method: 'PUT', raw: 'k' });
    await srv.request(`${prefix}/dir/a.txt`, { method: 'PUT', raw: 'a' });
    expect((await srv.request(`${prefix}/dir`, { method: 'DELETE' })).status).toBe(200);
    expect((await srv.request(`${prefix}/dir`, { method: 'DELETE' })).status).toBe(200);
    expect((await srv.core.artifacts.list(run)).map((f) => f.path)).toEqual(['keep.txt']);

    const outside = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-outside-'));
    fs.writeFileSync(path.join(outside, 'secret.txt'), 'secret');
    const runDir = path.join(srv.core.paths.artifacts, exp, run, 'artifacts');
    fs.symlinkSync(outside, path.join(runDir, 'link'));
    expect((await srv.request(`${prefix}/link/secret.txt`, { method: 'DELETE' })).status).toBe(400);
    expect((await srv.request(`${prefix}/link`, { method: 'DELETE' })).status).toBe(200);
    expect(fs.readFileSync(path.join(outside, 'secret.txt'), 'utf8')).toBe('secret');
    fs.rmSync(outside, { recursive: true, force: true });
    for (const p of ['..%2F..%2Fx', '%2Fetc%2Fpasswd', '1/%2e%2e/%2e%2e/x']) {
      const res = await srv.request(`${A}/${p}`, { method: 'DELETE' });
      expect([res.status, code(res)], p).toEqual([400, 'INVALID_PARAMETER_VALUE']);
    }
  });
});

describe('per-run tokens and logged models / the registry', () => {
  it('may log a model from their run, upload its artifacts, finalize and register it; nothing else', async () => {
    const own = await newRun('tok');
    const other = srv.core.tracking.createRun({ experimentId: own.exp, name: 'other' }).runId;
    const token = srv.core.runTokens.issue(own.run);
    const as = (p: string, opts: Parameters<MlflowTestServer['request']>[1] = {}) => srv.request(p, { ...opts, token });

    const created = await as(`${T}/logged-models`, { body: { experiment_id: own.exp, name: 'm', source_run_id: own.run } });
    expect(created.status, created.text).toBe(200);
    const id = json(created).model.info.model_id as string;
    expect((await as(`${A}/${own.exp}/models/${id}/artifacts/MLmodel`, { method: 'PUT', raw: 'x' })).status).toBe(200);
    expect((await as(`${T}/logged-models/${id}`, { method: 'PATCH', body: { status: 'LOGGED_MODEL_READY' } })).status).toBe(200);
    expect((await as(`${T}/runs/outputs`, { body: { run_id: own.run, models: [{ model_id: id, step: 0 }] } })).status).toBe(200);
    expect((await as(`${T}/registered-models/create`, { body: { name: 'tok-model' } })).status).toBe(200);
    const mv = await as(`${T}/model-versions/create`, { body: { name: 'tok-model', source: `models:/${id}`, run_id: own.run, model_id: id } });
    expect(mv.status, mv.text).toBe(200);
    expect((await as(`${T}/logged-models/${id}/tags`, { method: 'PATCH', body: { tags: [{ key: 'mlflow.modelVersions', value: '[]' }] } })).status).toBe(200);

    const foreign = srv.core.loggedModels.create({ experimentId: own.exp, name: 'f', sourceRunId: other });
    const denied = [
      await as(`${T}/logged-models`, { body: { experiment_id: own.exp, name: 'x', source_run_id: other } }),
      await as(`${T}/logged-models`, { body: { experiment_id: own.exp, name: 'x' } }),
      await as(`${T}/logged-models/${foreign.modelId}`, { method: 'PATCH', body: { status: 'LOGGED_MODEL_READY' } }),
      await as(`${A}/${own.exp}/models/${foreign.modelId}/artifacts/MLmodel`, { method: 'PUT', raw: 'x' }),
      await as(`${A}/${own.exp}/${other}/artifacts/x.txt`, { method: 'DELETE' }),
      await as(`${T}/model-versions/create`, { body: { name: 'tok-model', source: `models:/${foreign.modelId}` } }),
      await as(`${T}/model-versions/create`, { body: { name: 'tok-model', source: 'mlflow-artifacts:/x', run_id: other } }),
      await as(`${T}/registered-models/delete`, { method: 'DELETE', body: { name: 'tok-model' } }),
      await as(`${T}/registered-models/alias`, { body: { name: 'tok-model', alias: 'prod', version: '1' } }),
      await as(`${T}/model-versions/transition-stage`, { body: { name: 'tok-model', version: '1', stage: 'Production', archive_existing_versions: false } }),
      await as(`${T}/experiments/update`, { body: { experiment_id: own.exp, new_name: 'stolen' } }),
      await as(`${T}/experiments/delete`, { body: { experiment_id: own.exp } }),
      await as(`${T}/experiments/set-experiment-tag`, { body: { experiment_id: own.exp, key: 'k', value: 'v' } }),
    ];
    expect(denied.map((r) => [r.status, code(r)])).toEqual(denied.map(() => [403, 'PERMISSION_DENIED']));
    expect(srv.core.loggedModels.get(foreign.modelId).status).toBe('LOGGED_MODEL_PENDING');
    expect(srv.core.registry.getRegisteredModel('tok-model').latestVersions).toHaveLength(1);
  });
});
