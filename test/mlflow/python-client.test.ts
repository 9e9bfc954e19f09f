import { execFile } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { buffer, text } from 'node:stream/consumers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startMlflowTestServer, type MlflowTestServer } from './mlflow-test-server';

/** The stdlib-only Python client (resources/python/lathe) against a live Lathe server. */

const CLIENT_DIR = path.resolve(__dirname, '../../resources/python');
const SCRIPTS = path.join(__dirname, 'python');

function python(args: string[], env: Record<string, string>): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !k.startsWith('MLFLOW_') && !k.startsWith('LATHE_')));
    execFile('python3', args, { env: { ...clean, PYTHONPATH: CLIENT_DIR, PYTHONDONTWRITEBYTECODE: '1', ...env }, timeout: 60_000 }, (err, stdout, stderr) => {
      resolve({ code: err ? ((err as { code?: number }).code ?? 1) : 0, stdout, stderr });
    });
  });
}

let srv: MlflowTestServer;
let scratch: string;

beforeAll(async () => {
  srv = await startMlflowTestServer();
  scratch = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-py-'));
});
afterAll(async () => {
  await srv?.close();
  fs.rmSync(scratch, { recursive: true, force: true });
});

describe('python client (resources/python/lathe)', () => {
  it('is Python 3.8 syntax and imports only the standard library', async () => {
    const check = [
      'import ast, sys, os',
      'std = set(sys.stdlib_module_names)',
      `d = ${JSON.stringify(path.join(CLIENT_DIR, 'lathe'))}`,
      'for f in sorted(os.listdir(d)):',
      '    if not f.endswith(".py"): continue',
      '    tree = ast.parse(open(os.path.join(d, f)).read(), feature_version=(3, 8))',
      '    for n in ast.walk(tree):',
      '        names = [a.name for a in n.names] if isinstance(n, ast.Import) else ([n.module] if isinstance(n, ast.ImportFrom) and n.level == 0 else [])',
      '        for name in names:',
      '            assert name.split(".")[0] in std, (f, name)',
      'print("ok")',
    ].join('\n');
    const res = await python(['-c', check], {});
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('ok');
  });

  it('logs params, batched metrics (NaN, ±inf), tags and artifacts to its run with a per-run token', async () => {
    const exp = srv.core.tracking.createExperiment('py').experimentId;
    const run = srv.core.tracking.createRun({ experimentId: exp, name: 'py' });
    const token = srv.core.runTokens.issue(run.runId);
    const res = await python([path.join(SCRIPTS, 'train_with_lathe.py'), scratch], {
      MLFLOW_TRACKING_URI: srv.base,
      MLFLOW_RUN_ID: run.runId,
      MLFLOW_TRACKING_TOKEN: token,
    });
    expect(res.stderr).toBe('');
    expect(res.code).toBe(0);
    expect(JSON.parse(res.stdout)).toEqual({ run_id: run.runId, changed_param: ['INVALID_PARAMETER_VALUE', 400] });

    const got = srv.core.tracking.getRun(run.runId);
    expect(got.params).toEqual({ lr: '0.01', layers: '[64, 32]', optimizer: 'adam' });
    expect(got.tags).toMatchObject({ phase: 'train', owner: 'tests', gpu: '0' });
    expect(got.info.status).toBe('RUNNING'); // a run Lathe handed out is not ended by the client
    const loss = srv.core.tracking.getMetricHistory(run.runId, 'loss');
    expect(loss.map((p) => p.step)).toEqual(Array.from({ length: 2500 }, (_, i) => i));
    expect(loss[9]!.value).toBeCloseTo(0.1);
    const weird = srv.core.tracking.getMetricHistory(run.runId, 'weird');
    expect(weird).toHaveLength(4);
    expect(weird.filter((p) => Number.isNaN(p.value))).toHaveLength(2);
    expect(weird.find((p) => p.step === 1)!.value).toBe(Number.POSITIVE_INFINITY);
    expect(weird.find((p) => p.step === 2)!.value).toBe(Number.NEGATIVE_INFINITY);
    expect(srv.core.tracking.getMetricHistory(run.runId, 'val_acc')[0]).toMatchObject({ value: 0.9, step: 3 });

    const model = await srv.core.artifacts.openRead(run.runId, 'model.bin');
    expect(model.size).toBe(256_000);
    expect(Buffer.compare(fs.readFileSync(path.join(scratch, 'model.bin')), await buffer(model.stream))).toBe(0);
    expect(await text((await srv.core.artifacts.openRead(run.runId, 'figures/plots/a.txt')).stream)).toBe('plot a');
    expect(await text((await srv.core.artifacts.openRead(run.runId, 'figures/plots/deep/b b.json')).stream)).toBe('{"b": 1}');
  });

  it('without MLFLOW_RUN_ID creates a run in MLFLOW_EXPERIMENT_NAME and ends it at exit (FAILED on an exception)', async () => {
    const ok = await python(['-c', 'import lathe; lathe.log_metric("m", 1.5, step=2); print(lathe.run_id())'], {
      MLFLOW_TRACKING_URI: srv.base,
      MLFLOW_TRACKING_TOKEN: srv.token,
      MLFLOW_EXPERIMENT_NAME: 'py-created',
      MLFLOW_RUN_NAME: 'auto',
    });
    expect(ok.code).toBe(0);
    const okRun = srv.core.tracking.getRun(ok.stdout.trim());
    expect(okRun.info).toMatchObject({ name: 'auto', status: 'FINISHED', experimentId: srv.core.tracking.getExperimentByName('py-created').experimentId });
    expect(okRun.metrics).toEqual([expect.objectContaining({ key: 'm', value: 1.5, step: 2 })]);

    const failed = await python(['-c', 'import lathe; print(lathe.run_id(), flush=True); 1/0'], {
      MLFLOW_TRACKING_URI: srv.base,
      MLFLOW_TRACKING_TOKEN: srv.token,
    });
    expect(failed.code).not.toBe(0);
    expect(srv.core.tracking.getRunInfo(failed.stdout.trim()).status).toBe('FAILED');
  });

  it('without MLFLOW_TRACKING_URI warns once and does nothing', async () => {
    const res = await python(['-c', 'import lathe\nlathe.log_param("a", 1)\nlathe.log_metric("m", 1)\nlathe.log_artifact("/nonexistent")\nprint("done")'], {});
    expect(res.code).toBe(0);
    expect(res.stdout.trim()).toBe('done');
    expect(res.stderr.trim().split('\n')).toEqual(['lathe: MLFLOW_TRACKING_URI is not set; nothing will be recorded']);
  });

  it('retries 503 and 429 answers (honouring Retry-After) and raises the error_code of a 4xx', async () => {
    const seen: string[] = [];
    const answers = [
      [503, '{"error_code":"TEMPORARILY_UNAVAILABLE","message":"busy"}'],
      [429, '{"error_code":"REQUEST_LIMIT_EXCEEDED","message":"slow down"}'],
      [200, '{}'],
      [403, '{"error_code":"PERMISSION_DENIED","message":"not your run"}'],
    ] as const;
    const stub = http.createServer((req, res) => {
      seen.push(`${req.method} ${req.url} ${req.headers.authorization}`);
      const [status, body] = answers[Math.min(seen.length - 1, answers.length - 1)]!;
      req.resume();
      req.on('end', () => res.writeHead(status, { 'content-type': 'application/json', 'retry-after': '0' }).end(body));
    });
    await new Promise<void>((r) => stub.listen(0, '127.0.0.1', () => r()));
    const port = (stub.address() as { port: number }).port;
    try {
      const script = [
        'import lathe',
        'lathe.log_param("a", 1)',
        'try:',
        '    lathe.set_tag("b", 2)',
        'except lathe.LatheError as e:',
        '    print(e.error_code, e.status, e.message)',
      ].join('\n');
      const res = await python(['-c', script], { MLFLOW_TRACKING_URI: `http://127.0.0.1:${port}`, MLFLOW_RUN_ID: 'r1', MLFLOW_TRACKING_TOKEN: 'tok' });
      expect(res.stdout.trim()).toBe('PERMISSION_DENIED 403 not your run');
      expect(seen).toEqual(Array(4).fill('POST /api/2.0/mlflow/runs/log-batch Bearer tok'));
    } finally {
      stub.close();
    }
  });

  it('a script speaking the real mlflow client’s exact JSON over urllib gets the answers the client expects', async () => {
    const res = await python([path.join(SCRIPTS, 'mimic_mlflow_client.py')], { MLFLOW_TRACKING_URI: srv.base, MLFLOW_TRACKING_TOKEN: srv.token });
    expect(res.stderr).toBe('');
    expect(res.stdout.trim()).toBe('ok');
  });
});
