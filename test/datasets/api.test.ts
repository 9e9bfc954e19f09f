import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type { AddEvent } from '../../src/shared/api/datasets-contract';
import { startTestServer, type TestServer } from '../helpers/lathe-test-server';

let t: TestServer;
let work: string;

beforeAll(async () => {
  t = await startTestServer();
  work = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-ds-api-'));
});
afterAll(async () => {
  await t?.close();
  fs.rmSync(work, { recursive: true, force: true });
});

describe('datasets over the typed HTTP API', () => {
  it('add streams progress then the result; identical content is not a new version', async () => {
    const f = path.join(work, 'big.csv');
    fs.writeFileSync(f, 'n\n' + '1234567\n'.repeat(2_000_000));
    const events: AddEvent[] = [];
    for await (const ev of await t.client.datasets.add({ path: f, name: 'big', mode: 'import' })) events.push(ev);
    expect(events.some((e) => e.type === 'progress' && e.progress.phase === 'copy')).toBe(true);
    const done = events.at(-1)!;
    expect(done).toMatchObject({ type: 'done', created: true, version: { fileCount: 1, mode: 'import' } });
    const again: AddEvent[] = [];
    for await (const ev of await t.client.datasets.add({ path: f, name: 'big' })) again.push(ev);
    expect(again.at(-1)).toMatchObject({ type: 'done', created: false });
  }, 60_000);

  it('aborting the add stream cancels the registration', async () => {
    const f = path.join(work, 'bigger.csv');
    fs.writeFileSync(f, 'n\n' + '7654321\n'.repeat(4_000_000));
    // The server-side registration, to wait for its end rather than for a guessed delay.
    const serverAdd = vi.spyOn(t.core.datasets, 'add');
    const controller = new AbortController();
    const stream = await t.client.datasets.add({ path: f, name: 'cancelled', mode: 'import' }, { signal: controller.signal });
    await expect(
      (async () => {
        for await (const ev of stream) if (ev.type === 'progress' && ev.progress.bytesDone > 0) controller.abort();
      })(),
    ).rejects.toThrow();
    // The server stopped copying: its registration ended with the abort, nothing was
    // registered, no partial file left.
    try {
      await expect(serverAdd.mock.results[0]!.value).rejects.toThrow(/abort/i);
    } finally {
      serverAdd.mockRestore();
    }
    expect((await t.client.datasets.list()).map((d) => d.name)).toEqual(['big']);
    expect(fs.readdirSync(t.core.datasets.content.tmp).filter((n) => !n.startsWith('duckdb') && !n.startsWith('version-'))).toEqual([]);
  }, 60_000);

  it('inspect, preview, files and errors', async () => {
    const p = await t.client.datasets.inspect({ target: 'big' });
    expect(p).toMatchObject({ rows: 2_000_000, columns: [{ name: 'n', inferred_type: 'integer', distinct: 1 }] });
    const files = await t.client.datasets.files({ ref: 'big' });
    expect(files[0]).toMatchObject({ path: 'big.csv' });
    const preview = await t.client.datasets.preview({ target: 'big', limit: 3 });
    expect(preview).toEqual({ columns: ['n'], rows: [['1234567'], ['1234567'], ['1234567']], truncated: true });
    await expect(t.client.datasets.get({ name: 'missing' })).rejects.toMatchObject({ status: 404 });
    await expect(t.client.datasets.add({ path: '/etc', name: 'etc' }).then(async (s) => { for await (const _ of s) void _; })).rejects.toMatchObject({ status: 403 });
    await expect(t.client.datasets.setRules({ name: 'big', rules: [{ kind: 'range', column: 'n' } as never] })).rejects.toMatchObject({ status: 400 });
  }, 60_000);

  it('delete: 404 RESOURCE_DOES_NOT_EXIST for unknown datasets and versions, 400 for bad input, 409 RESOURCE_CONFLICT naming the run', async () => {
    const f = path.join(work, 'h.csv');
    fs.writeFileSync(f, 'a\n1\n');
    await t.core.datasets.add({ path: f, name: 'http', mode: 'import' });
    await expect(t.client.datasets.delete({ name: 'missing' })).rejects.toMatchObject({ status: 404, code: 'RESOURCE_DOES_NOT_EXIST', message: "No dataset named 'missing'" });
    await expect(t.client.datasets.delete({ name: 'http', version: 'abcdef' })).rejects.toMatchObject({ status: 404, code: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(t.client.datasets.delete({ name: 'http', version: 'not-hex' })).rejects.toMatchObject({ status: 400, code: 'INVALID_PARAMETER_VALUE', data: { field: 'version' } });
    await expect(t.client.datasets.delete({ name: '' })).rejects.toMatchObject({ status: 400, code: 'INVALID_PARAMETER_VALUE' });

    const exp = t.core.tracking.listExperiments()[0]!;
    const runId = t.core.tracking.createRun({ experimentId: exp.experimentId, name: 'http-run' }).runId;
    const { row } = t.core.datasets.resolve('http');
    t.core.datasets.runs.record(runId, [{ name: 'http', versionId: row.id, digest: row.digest }], 'process');
    await expect(t.client.datasets.delete({ name: 'http', version: row.digest })).rejects.toMatchObject({
      code: 'RESOURCE_CONFLICT',
      message: expect.stringContaining(`1 run used it as an input: http-run (${runId.slice(0, 8)})`),
      data: { runCount: 1 },
    });
    await t.client.runs.delete({ runIds: [runId] });
    await t.client.runs.purge({ runIds: [runId] });
    const done = await t.client.datasets.delete({ name: 'http', version: row.digest.slice(0, 6) });
    expect(done).toMatchObject({ datasetDeleted: false, removedFiles: 1, freedBytes: 4, versions: [{ digest: row.digest }] });
    expect((await t.client.datasets.get({ name: 'http' })).versionCount).toBe(0);
  });
});
