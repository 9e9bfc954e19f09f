import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';
import { TRAFFIC, createReplayer, firstKeyOfTruncated, isSummarisedBytes, isTruncated, shapeOf, type Exchange } from './traffic-replay';

/**
 * Replays, in order, every request the real mlflow 3.5.1 client sent
 * (test/fixtures/mlflow/real-client-3.5.1-traffic.jsonl: experiments, runs, logging, history,
 * artifacts, the MLflow 3 logged-model flow and the model registry), with the real server's
 * generated ids (experiment ids, run ids, logged model ids) mapped to Lathe's, and expects the
 * same status and a response with the same keys.
 */

/**
 * Routes whose handler another part of issue #4 provides (runs/search, in
 * src/main/mlflow/runs-search-handler.ts). Their requests are left out of the replay while this
 * list names them; empty it once the handler is registered in mlflow-routes.ts, and the replay
 * covers all 262 requests.
 */
const AWAITING_OTHER_HANDLERS: string[] = [];

const REPLAYED = TRAFFIC.filter((x) => !AWAITING_OTHER_HANDLERS.includes(x.path));

let srv: MlflowTestServer;
let runIds: Map<string, string>;
let expIds: Map<string, string>;
let modelIds: Map<string, string>;
const results: Array<{ x: Exchange; status: number; json: unknown; body: Buffer }> = [];

beforeAll(async () => {
  srv = await startMlflowTestServer();
  const replayer = createReplayer(srv);
  ({ runIds, expIds, modelIds } = replayer);
  for (const x of REPLAYED) {
    const res = await replayer.replay(x);
    results.push({ x, status: res.status, json: res.json, body: res.body });
  }
}, 120_000);
afterAll(async () => {
  await srv?.close();
});

describe('the real client’s requests, replayed', () => {
  it('covers the whole recording except the routes awaiting another handler', () => {
    const routes = new Set(REPLAYED.map((x) => `${x.method} ${x.path.replace(/\/artifacts\/.+$/, '/artifacts/<path>')}`));
    for (const r of [
      'GET /api/2.0/mlflow/experiments/get-by-name',
      'POST /api/2.0/mlflow/experiments/create',
      'GET /api/2.0/mlflow/experiments/get',
      'POST /api/2.0/mlflow/experiments/search',
      'POST /api/2.0/mlflow/runs/create',
      'POST /api/2.0/mlflow/runs/log-parameter',
      'POST /api/2.0/mlflow/runs/log-metric',
      'POST /api/2.0/mlflow/runs/log-batch',
      'POST /api/2.0/mlflow/runs/set-tag',
      'GET /api/2.0/mlflow/runs/get',
      'GET /api/2.0/mlflow/metrics/get-history',
      'PUT /api/2.0/mlflow-artifacts/artifacts/<path>',
      'GET /api/2.0/mlflow-artifacts/artifacts',
      'GET /api/2.0/mlflow-artifacts/artifacts/<path>',
      'POST /api/2.0/mlflow/runs/update',
      'POST /api/2.0/mlflow/experiments/set-experiment-tag',
      'POST /api/2.0/mlflow/experiments/update',
      'POST /api/2.0/mlflow/experiments/delete',
      'POST /api/2.0/mlflow/experiments/restore',
      'POST /api/2.0/mlflow/logged-models',
      'POST /api/2.0/mlflow/runs/outputs',
      'PATCH /api/2.0/mlflow/logged-models/m-8d81d924aa3b44b69c1342cd7b921adf/tags',
      'POST /api/2.0/mlflow/registered-models/create',
      'POST /api/2.0/mlflow/model-versions/create',
      'GET /api/2.0/mlflow/registered-models/alias',
      'DELETE /api/2.0/mlflow/registered-models/alias',
      'POST /api/2.0/mlflow/model-versions/transition-stage',
      'GET /api/2.0/mlflow/model-versions/get-download-uri',
    ]) {
      expect(routes.has(r), r).toBe(true);
    }
    expect(TRAFFIC).toHaveLength(262);
    const awaiting = TRAFFIC.filter((x) => AWAITING_OTHER_HANDLERS.includes(x.path)).length;
    expect(REPLAYED).toHaveLength(262 - awaiting);
    expect(awaiting).toBe(AWAITING_OTHER_HANDLERS.length ? 11 : 0);
  });

  if (AWAITING_OTHER_HANDLERS.length) it.todo(`replay the requests to ${AWAITING_OTHER_HANDLERS.join(', ')} once their handler is registered`);

  it('answers each with the real status', () => {
    const wrong = results.filter((r) => r.status !== r.x.status).map((r) => `#${r.x.seq} ${r.x.method} ${r.x.path}: ${r.x.status} expected, got ${r.status} ${r.body.toString().slice(0, 200)}`);
    expect(wrong).toEqual([]);
  });

  it('answers each with a body of the same shape (same keys; error codes equal)', () => {
    const wrong: string[] = [];
    for (const { x, json, body } of results) {
      const real = x.resp_body;
      if (isSummarisedBytes(real)) {
        if (body.length !== real._binary_or_text_size) wrong.push(`#${x.seq}: ${body.length} bytes, expected ${real._binary_or_text_size}`);
        continue;
      }
      if (x.method === 'GET' && x.path.startsWith('/api/2.0/mlflow-artifacts/artifacts/')) {
        // A small JSON artifact the recorder showed parsed.
        if (JSON.stringify(JSON.parse(body.toString())) !== JSON.stringify(real)) wrong.push(`#${x.seq}: artifact bytes differ`);
        continue;
      }
      if (isTruncated(real)) {
        const key = firstKeyOfTruncated(real._truncated);
        if (!json || typeof json !== 'object' || !(key! in json)) wrong.push(`#${x.seq}: expected a '${key}' field`);
        continue;
      }
      const realShape = JSON.stringify(shapeOf(real));
      if (JSON.stringify(shapeOf(json)) !== realShape) {
        wrong.push(`#${x.seq} ${x.path}: shape ${JSON.stringify(shapeOf(json))} != real ${realShape}`);
      }
      const code = (real as { error_code?: string } | null)?.error_code;
      if (code && (json as { error_code?: string }).error_code !== code) wrong.push(`#${x.seq}: error_code ${(json as { error_code?: string }).error_code} != ${code}`);
    }
    expect(wrong).toEqual([]);
  });

  it('stored what the client logged: params, NaN/±Infinity, history order, tags, artifacts', async () => {
    const parent = [...runIds.values()][0]!;
    const get = await srv.request('/api/2.0/mlflow/runs/get', { query: { run_id: parent, run_uuid: parent } });
    const run = (get.json as { run: { data: { metrics: Array<{ key: string; value: unknown }>; params: unknown[]; tags: Array<{ key: string; value: string }> } } }).run;
    const metric = (k: string) => run.data.metrics.find((m) => m.key === k)?.value;
    expect(metric('nan_metric')).toBe('NaN');
    expect(metric('inf_metric')).toBe('Infinity');
    expect(metric('neg_inf_metric')).toBe('-Infinity');
    expect(metric('async_metric')).toBe(49);
    expect(run.data.params).toEqual(
      expect.arrayContaining([
        { key: 'lr', value: '0.01' },
        { key: 'layers', value: '[64, 32]' },
      ]),
    );
    expect(run.data.tags).toEqual(expect.arrayContaining([{ key: 'owner', value: 'smoke' }]));
    // The real server's order: timestamp first (the explicitly old point comes first).
    const hist = await srv.request('/api/2.0/mlflow/metrics/get-history', { query: { run_id: parent, metric_key: 'loss', max_results: 25000 } });
    expect(hist.json).toEqual(TRAFFIC.find((x) => x.seq === 81)!.resp_body);
    const batch = [...runIds.values()][2]!;
    const all = await srv.request('/api/2.0/mlflow/metrics/get-history', { query: { run_id: batch, metric_key: 'batch_metric' } });
    expect((all.json as { metrics: unknown[] }).metrics).toHaveLength(2500);
    const info = srv.core.tracking.getRun(batch);
    expect(Object.keys(info.params)).toHaveLength(151);
    expect(info.params.long_param).toHaveLength(6000);
    expect(info.tags.long_tag).toHaveLength(8000);
    expect(info.tags.t0).toBeUndefined();
    expect(info.info).toMatchObject({ name: 'batch-renamed-0f0ac755', status: 'FAILED' });
    const big = await srv.request(`/api/2.0/mlflow-artifacts/artifacts/${expIds.get('1')}/${parent}/artifacts/large/big.bin`);
    expect(big.headers['content-length']).toBe('5242880');
    expect(big.body).toHaveLength(5242880);
  });

  it('pages metric history with next_page_token until the end', async () => {
    const batch = [...runIds.values()][2]!;
    const seen: number[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const res = await srv.request('/api/2.0/mlflow/metrics/get-history', { query: { run_id: batch, metric_key: 'batch_metric', max_results: 1000, page_token: token } });
      const page = res.json as { metrics?: Array<{ step: number }>; next_page_token?: string };
      seen.push(...(page.metrics ?? []).map((m) => m.step));
      token = page.next_page_token;
      pages++;
    } while (token);
    expect(pages).toBe(3);
    expect(seen).toEqual(Array.from({ length: 2500 }, (_, i) => i));
  });
});

describe('what the MLflow 3 model flow and the registry left behind', () => {
  it('a READY logged model with the re-logged metric, its registration tag, artifacts and the run output', async () => {
    const [realModel, model] = [...modelIds.entries()][0]!;
    expect(realModel).toBe('m-8d81d924aa3b44b69c1342cd7b921adf');
    const m = srv.core.loggedModels.get(model);
    expect(m).toMatchObject({ status: 'LOGGED_MODEL_READY', name: 'model', params: { n: '5' } });
    expect(m.metrics).toEqual([expect.objectContaining({ key: 'val_acc', value: 0.9, step: 0, runId: m.sourceRunId })]);
    expect(JSON.parse(m.tags['mlflow.modelVersions']!)).toEqual(expect.arrayContaining([{ name: 'smoke-model-0f0ac755', version: 3 }]));
    expect(srv.core.loggedModels.getOutputs(m.sourceRunId!)).toEqual([{ modelId: model, step: 0 }]);
    expect((await srv.core.artifacts.listPath(`${m.experimentId}/models/${model}/artifacts`)).map((f) => f.path)).toEqual([
      'MLmodel',
      'conda.yaml',
      'python_env.yaml',
      'python_model.pkl',
      'requirements.txt',
    ]);
    // The download URI the client got for version 3 (seq 243) is the logged model's artifacts.
    const seq243 = results.find((r) => r.x.seq === 243)!;
    expect(seq243.json).toEqual({ artifact_uri: m.artifactUri });
  });

  it('the registered model was deleted at the end, and the experiment renamed, deleted and restored', () => {
    expect(() => srv.core.registry.getRegisteredModel('smoke-model-0f0ac755')).toThrow(/not found/);
    const exp = srv.core.tracking.getExperiment(expIds.get('1')!);
    expect(exp).toMatchObject({ name: 'smoke-0f0ac755-renamed', lifecycleStage: 'active', tags: { team: 'smoke', purpose: 'harness', stage: 'smoke' } });
    const seq260 = results.find((r) => r.x.seq === 260)!;
    expect((seq260.json as { experiment: { lifecycle_stage: string } }).experiment.lifecycle_stage).toBe('deleted');
  });
});
