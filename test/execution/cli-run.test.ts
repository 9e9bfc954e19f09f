import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../src/main/core/create-core';
import { tempHome } from '../helpers/temp-home';
import { LATHE_BIN } from '../helpers/serve-process';

const EXAMPLE = path.resolve(__dirname, '../../examples/sklearn-breast-cancer');
// Debian's python3 has scikit-learn (python3-sklearn, installed by .ci/run).
const PYTHON = process.env.LATHE_TEST_PYTHON ?? '/usr/bin/python3';
let home: { home: string; cleanup: () => void };

beforeAll(() => {
  home = tempHome();
});
afterAll(() => home.cleanup());

function lathe(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const p = spawn(process.execPath, [LATHE_BIN, '--home', home.home, ...args], { env: { ...process.env, ...env }, cwd: EXAMPLE });
    let stdout = '';
    let stderr = '';
    p.stdout.on('data', (c) => (stdout += c));
    p.stderr.on('data', (c) => (stderr += c));
    // 'close', not 'exit': at 'exit' the last output may still be unread in the pipes.
    p.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('lathe run from the CLI', () => {
  it('--runtime process runs the example on a machine without Docker, follows logs and exits 0', async () => {
    // An unreachable engine stands for "no Docker here".
    const res = await lathe(['run', '--runtime', 'process', '--experiment', 'cli', '-p', 'epochs=5', '--', PYTHON, 'train.py'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(res.code, res.stderr).toBe(0);
    expect(res.stdout).toMatch(/^epoch {3}5 /m);
    expect(res.stdout).toMatch(/^final accuracy 0\.9\d+/m);
    expect(res.stderr).toMatch(/run [0-9a-f]{32} \(.+\) started/);
    expect(res.stderr).toMatch(/FINISHED after/);
    const runId = res.stderr.match(/run ([0-9a-f]{32})/)![1]!;
    const core = createCore({ home: home.home });
    try {
      const run = core.tracking.getRun(runId);
      expect(run.info.status).toBe('FINISHED');
      expect(run.params.epochs).toBe('5');
      expect(core.tracking.getMetricHistory(runId, 'train_loss').map((p) => p.step)).toEqual([1, 2, 3, 4, 5]);
      expect(core.executor.getExecution(runId)).toMatchObject({ runtime: 'process', exitCode: 0 });
      // The artifact landed in the run's artifact folder.
      expect((await core.artifacts.list(runId)).map((f) => f.path)).toContain('model.pkl');
    } finally {
      core.dispose();
    }
  }, 120_000);

  it('exits with the script exit code when it crashes', async () => {
    const res = await lathe(['run', '--runtime', 'process', '-p', 'fail_at_epoch=2', '--', PYTHON, 'train.py']);
    expect(res.code).toBe(1);
    expect(res.stdout + res.stderr).toContain('RuntimeError: failing on purpose at epoch 2');
    expect(res.stderr).toMatch(/FAILED after .* \(exit code 1\)/);
  }, 120_000);

  it('the docker runtime with the engine down gives a clear error suggesting --runtime process', async () => {
    const res = await lathe(['run', '--image', 'lathe/python-sklearn:bookworm', '--', 'python3', 'train.py'], { DOCKER_HOST: 'unix:///nonexistent/docker.sock' });
    expect(res.code).not.toBe(0);
    expect(res.stderr).toMatch(/Docker engine is not reachable.*--runtime process/s);
  }, 60_000);

  it('bad flags are refused before anything runs', async () => {
    const noCmd = await lathe(['run', '--runtime', 'process']);
    expect(noCmd.code).not.toBe(0);
    expect(noCmd.stderr).toMatch(/missing required argument 'command'/);
    const badParam = await lathe(['run', '--runtime', 'process', '-p', 'novalue', '--', 'true']);
    expect(badParam.code).not.toBe(0);
    expect(badParam.stderr).toContain("param 'novalue' must look like KEY=VALUE");
  });

  it('runs logs prints the log of a finished run; runs stop on a finished run leaves it as it is', async () => {
    const res = await lathe(['run', '--runtime', 'process', '--', 'sh', '-c', 'echo hello-from-run']);
    expect(res.code).toBe(0);
    const runId = res.stderr.match(/run ([0-9a-f]{32})/)![1]!;
    const logs = await lathe(['runs', 'logs', runId]);
    expect(logs.stdout).toBe('hello-from-run\n');
    const stop = await lathe(['runs', 'stop', runId]);
    expect(stop.stdout.trim()).toBe(`${runId} FINISHED`);
  }, 60_000);
});
