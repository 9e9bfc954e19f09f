import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../src/main/core/create-core';
import { homePaths, loadOrCreateToken } from '../src/main/core/config';
import { tempHome } from './helpers/temp-home';
import { latheCli } from './helpers/cli';
import { httpClient } from './helpers/api-client';

// `lathe runs delete|restore|purge` on real runs: on the store when no server runs, and through
// a running `lathe serve` (whose API then sees the change at once).

let home: { home: string; cleanup: () => void };
let code: { home: string; cleanup: () => void };

const lathe = (...args: string[]) => latheCli(home.home, args);

/** A finished process run with a log and a code snapshot on disk. */
async function realRun(name: string): Promise<string> {
  const r = await lathe('run', '--runtime', 'process', '--dir', code.home, '--name', name, '--detach', '--', 'python3', 'hello.py');
  expect(r.code, r.stderr).toBe(0);
  return r.stdout.trim();
}

const lifecycle = (runId: string) => {
  const core = createCore({ home: home.home });
  try {
    return core.tracking.getRunInfo(runId).lifecycleStage;
  } finally {
    core.dispose();
  }
};

beforeAll(() => {
  home = tempHome();
  code = tempHome('lathe-code-');
  fs.writeFileSync(path.join(code.home, 'hello.py'), 'print("hello " * 1000)\n');
});
afterAll(async () => {
  // --detach started a background `lathe serve`; stop it before removing its home.
  const rec = path.join(home.home, 'server.json');
  if (fs.existsSync(rec)) {
    const pid = (JSON.parse(fs.readFileSync(rec, 'utf8')) as { pid: number }).pid;
    try {
      process.kill(pid, 'SIGTERM');
    } catch {
      // already gone
    }
    for (let i = 0; i < 100 && fs.existsSync(rec); i++) await new Promise((r) => setTimeout(r, 100));
  }
  home.cleanup();
  code.cleanup();
});

describe('lathe runs delete / restore / purge', () => {
  it('without a server: deletes, restores and purges on the store; bad input changes nothing', async () => {
    const core = createCore({ home: home.home });
    const exp = core.tracking.createExperiment('cli-lifecycle');
    const [a, b, c] = ['a', 'b', 'c'].map((n) => core.tracking.createRun({ experimentId: exp.experimentId, name: n }).runId) as [string, string, string];
    core.dispose();

    // An id given twice counts once.
    expect(await lathe('runs', 'delete', a, a)).toMatchObject({ code: 0, stdout: `Deleted 1 run; restore with: lathe runs restore ${a}\n` });
    expect(await lathe('runs', 'restore', a, a)).toMatchObject({ code: 0, stdout: 'Restored 1 run\n' });
    const deleted = await lathe('runs', 'delete', a, b);
    expect(deleted).toMatchObject({ code: 0, stdout: `Deleted 2 runs; restore with: lathe runs restore ${a} ${b}\n` });
    expect([lifecycle(a), lifecycle(b), lifecycle(c)]).toEqual(['deleted', 'deleted', 'active']);

    // One unknown id: nothing changes, exit 2 with the code.
    const unknown = await lathe('runs', 'restore', a, 'f'.repeat(32));
    expect(unknown.code).toBe(2);
    expect(unknown.stderr).toBe(`lathe: Run with id=${'f'.repeat(32)} not found (RESOURCE_DOES_NOT_EXIST)\n`);
    expect(lifecycle(a)).toBe('deleted');

    expect(await lathe('runs', 'restore', a)).toMatchObject({ code: 0, stdout: 'Restored 1 run\n' });
    expect(lifecycle(a)).toBe('active');

    // Purge takes deleted runs only, and asks first (no terminal here: --yes is required).
    const active = await lathe('runs', 'purge', '--yes', c);
    expect(active.code).toBe(2);
    expect(active.stderr).toContain(`run ${c} is not deleted; delete it first (lathe runs delete ${c})`);
    const unconfirmed = await lathe('runs', 'purge', b);
    expect(unconfirmed.code).toBe(2);
    expect(unconfirmed.stderr).toContain('pass --yes when stdin is not a terminal');
    expect(lifecycle(b)).toBe('deleted');
    expect((await lathe('runs', 'purge')).stderr).toContain('give the ids of deleted runs, or --all-deleted');
    expect((await lathe('runs', 'purge', b, '--all-deleted', '--yes')).code).toBe(2);

    const purged = await lathe('runs', 'purge', '--yes', b);
    expect(purged.code).toBe(0);
    expect(purged.stdout).toMatch(/^Deleted 1 run permanently; freed .+ \(files .+, database .+ → .+\)\n$/);
    expect((await lathe('runs', 'show', b)).stderr).toContain('RESOURCE_DOES_NOT_EXIST');
    expect([lifecycle(a), lifecycle(c)]).toEqual(['active', 'active']);
  }, 60_000);

  it('through a running server: the server sees each change; --all-deleted purges every deleted run and its files', async () => {
    const x = await realRun('x');
    const y = await realRun('y');
    const paths = homePaths(home.home);
    const core = createCore({ home: home.home });
    const snapshotOf = (runId: string) => core.executor.getRow(runId)!.snapshot_path!;
    const logOf = (runId: string) => core.executor.getRow(runId)!.log_path;
    const files = [x, y].flatMap((id) => [snapshotOf(id), logOf(id)]);
    core.dispose();
    for (const f of files) expect(fs.existsSync(f), f).toBe(true);
    expect(files.every((f) => f.startsWith(paths.snapshots) || f.startsWith(paths.logs))).toBe(true);

    // --detach left a `lathe serve` running for this home: the CLI goes through it.
    const rec = JSON.parse(fs.readFileSync(path.join(home.home, 'server.json'), 'utf8')) as { url: string };
    const api = httpClient(rec.url, loadOrCreateToken(home.home));
    await expect.poll(async () => (await api.runs.get({ runId: y })).info.status, { timeout: 20_000 }).toBe('FINISHED');
    await expect.poll(async () => (await api.runs.get({ runId: x })).info.status, { timeout: 20_000 }).toBe('FINISHED');

    // A deleted run that is still executing: named, it is refused before any question;
    // with --all-deleted it is skipped (and said so) while the others go.
    fs.writeFileSync(path.join(code.home, 'long.py'), 'import time\nprint("working", flush=True)\ntime.sleep(120)\n');
    const long = await lathe('run', '--runtime', 'process', '--dir', code.home, '--name', 'long', '--detach', '--', 'python3', 'long.py');
    const z = long.stdout.trim();
    expect((await lathe('runs', 'delete', z)).code).toBe(0);
    const executing = await lathe('runs', 'purge', z);
    expect(executing.code).toBe(2);
    expect(executing.stderr).toBe(`lathe: run ${z} is still running: stop it first (lathe runs stop ${z}) (RESOURCE_CONFLICT)\n`);

    expect((await lathe('runs', 'delete', x, y)).code).toBe(0);
    expect((await api.runs.get({ runId: x })).info.lifecycleStage).toBe('deleted');
    const all = await lathe('runs', 'purge', '--all-deleted', '--yes');
    expect(all.code, all.stderr).toBe(0);
    expect(all.stderr).toBe(`lathe: skipping 1 run still executing (stop them first): ${z}\n`);
    // Run a of the first test was restored: x and y are the only deleted runs.
    expect(all.stdout).toMatch(/^Deleted 2 runs permanently; freed /);
    await expect(api.runs.get({ runId: x })).rejects.toMatchObject({ status: 404 });
    for (const f of files) expect(fs.existsSync(f), f).toBe(false);
    expect((await api.runs.get({ runId: z })).info.lifecycleStage).toBe('deleted');
    expect((await lathe('runs', 'stop', z)).code).toBe(0);
    expect((await lathe('runs', 'purge', '--all-deleted', '--yes')).stdout).toMatch(/^Deleted 1 run permanently; /);
    expect((await lathe('runs', 'purge', '--all-deleted', '--yes')).stdout).toBe('No deleted runs: nothing to purge\n');

    // A server that is up but does not answer (stopped here with SIGSTOP) is reported, not waited on forever.
    const { pid } = JSON.parse(fs.readFileSync(path.join(home.home, 'server.json'), 'utf8')) as { pid: number };
    process.kill(pid, 'SIGSTOP');
    try {
      const stuck = await lathe('runs', 'delete', x);
      expect(stuck.code).toBe(1);
      expect(stuck.stderr).toContain(`(pid ${pid}, ${rec.url}) does not answer within 5 s; stop it (kill ${pid}) or wait for it, then try again (TEMPORARILY_UNAVAILABLE)`);
    } finally {
      process.kill(pid, 'SIGCONT');
    }
  }, 90_000);
});
