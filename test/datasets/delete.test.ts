import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import type { ChangeEvent } from '../../src/shared/api/types';
import { LatheError } from '../../src/shared/errors';
import { tempCore } from '../helpers/temp-home';

let t: ReturnType<typeof tempCore>;
beforeEach(() => (t = tempCore('lathe-ds-delete-')));
afterEach(() => t.cleanup());

const sha = (b: string) => createHash('sha256').update(b).digest('hex');

function write(rel: string, content: string): string {
  const p = path.join(t.work, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

function count(table: string): number {
  return t.core.db.prepare<[], { n: number }>(`SELECT count(*) AS n FROM ${table}`).get()!.n;
}

/** A run that recorded `ref` as its input, as the executor records it. */
function runUsing(ref: string, name: string, startTime: number): string {
  const exp = t.core.tracking.listExperiments()[0]!;
  const runId = t.core.tracking.createRun({ experimentId: exp.experimentId, name, startTime }).runId;
  const { row } = t.core.datasets.resolve(ref);
  t.core.datasets.runs.record(runId, [{ name: ref.split('@')[0]!, versionId: row.id, digest: row.digest }], 'process');
  return runId;
}

function purge(runIds: string[]): void {
  for (const id of runIds) t.core.tracking.setRunLifecycle(id, 'deleted');
  t.core.tracking.purgeRuns(runIds, t.core.paths);
}

describe('deleting imported versions (content-addressed store)', () => {
  it('keeps a file while another version or dataset holds the same content, removes it with the last one', async () => {
    const shared = 'id,x\n' + '1,2\n'.repeat(100); // 405 bytes
    const b1 = 'b\n1\n';
    const b2 = 'b\n22\n';
    write('v/a.csv', shared);
    write('v/b.csv', b1);
    const v1 = (await t.core.datasets.add({ path: path.join(t.work, 'v'), name: 'ds', mode: 'import' })).version.digest;
    fs.writeFileSync(path.join(t.work, 'v/b.csv'), b2);
    const v2 = (await t.core.datasets.add({ path: path.join(t.work, 'v'), name: 'ds', mode: 'import' })).version.digest;
    const single = write('other/a.csv', shared);
    await t.core.datasets.add({ path: single, name: 'other', mode: 'import' });
    expect(t.core.datasets.content.objectCount()).toBe(3);
    const events: ChangeEvent[] = [];
    const unsubscribe = t.core.bus.subscribe((e) => events.push(e));

    const r1 = t.core.datasets.delete({ name: 'ds', version: v1.slice(0, 10) });
    expect(r1).toMatchObject({ name: 'ds', dryRun: false, datasetDeleted: false, removedFiles: 1, sharedFiles: 1, freedBytes: b1.length, trackedPaths: [], leftOnDisk: [] });
    expect(r1.versions).toEqual([{ digest: v1, mode: 'import', kind: 'folder', fileCount: 2, sizeBytes: shared.length + b1.length, sourcePath: path.join(t.work, 'v') }]);
    expect(t.core.datasets.content.has(sha(b1))).toBe(false);
    expect(t.core.datasets.content.has(sha(shared))).toBe(true);
    expect(fs.existsSync(path.join(t.core.datasets.content.versions, v1))).toBe(false);
    expect(t.core.datasets.versions('ds').map((v) => v.digest)).toEqual([v2]);
    expect(events).toContainEqual(expect.objectContaining({ kind: 'dataset', datasetName: 'ds' }));
    unsubscribe();

    // The last version of 'ds': the dataset stays (with no version); a.csv is still held by 'other'.
    const r2 = t.core.datasets.delete({ name: 'ds', version: v2 });
    expect(r2).toMatchObject({ removedFiles: 1, sharedFiles: 1, freedBytes: b2.length });
    expect(t.core.datasets.get('ds')).toMatchObject({ versionCount: 0, latest: null });
    expect(t.core.datasets.content.has(sha(shared))).toBe(true);
    expect(fs.readFileSync(t.core.datasets.content.objectPath(sha(shared)), 'utf8')).toBe(shared);

    // The whole of 'other': its file was the last copy.
    const r3 = t.core.datasets.delete({ name: 'other' });
    expect(r3).toMatchObject({ datasetDeleted: true, removedFiles: 1, sharedFiles: 0, freedBytes: shared.length });
    expect(t.core.datasets.content.objectCount()).toBe(0);
    expect(fs.readdirSync(t.core.datasets.content.versions)).toEqual([]);
    expect(t.core.datasets.list().map((d) => d.name)).toEqual(['ds']);
    expect(count('dataset_versions')).toBe(0);
    // Deleting a dataset with no versions removes it.
    expect(t.core.datasets.delete({ name: 'ds' })).toMatchObject({ datasetDeleted: true, versions: [], freedBytes: 0 });
    expect(count('datasets')).toBe(0);
  });

  it('the same content under two names shares one version tree: it stays for the other', async () => {
    const f = write('same.csv', 'a\n1\n2\n');
    const first = await t.core.datasets.add({ path: f, name: 'first', mode: 'import' });
    await t.core.datasets.add({ path: f, name: 'second', mode: 'import' });
    const tree = path.join(t.core.datasets.content.versions, first.version.digest);
    expect(t.core.datasets.delete({ name: 'first' })).toMatchObject({ removedFiles: 0, sharedFiles: 1, freedBytes: 0 });
    expect(fs.readFileSync(path.join(tree, 'same.csv'), 'utf8')).toBe('a\n1\n2\n');
    expect((await t.core.datasets.inspect('second')).rows).toBe(2);
    expect(t.core.datasets.delete({ name: 'second' })).toMatchObject({ removedFiles: 1, freedBytes: 6 });
    expect(fs.existsSync(tree)).toBe(false);
  });

  it('removes cached profiles, validation reports and file states nothing else needs', async () => {
    const f = write('p/data.csv', 'n\n1\n2\n3\n');
    const tracked = await t.core.datasets.add({ path: f, name: 'trk' });
    await t.core.datasets.inspect('trk');
    t.core.datasets.setRules('trk', [{ kind: 'range', column: 'n', max: 2 }]);
    expect((await t.core.datasets.validate('trk')).passed).toBe(false);
    const copy = write('q/data.csv', 'n\n1\n2\n3\n');
    await t.core.datasets.add({ path: copy, name: 'imp', mode: 'import' });
    expect([count('dataset_profiles'), count('dataset_validations'), count('dataset_file_state')]).toEqual([1, 1, 1]);

    // 'imp' holds the same bytes: the profile (keyed by content) stays.
    t.core.datasets.delete({ name: 'trk', version: tracked.version.digest });
    expect([count('dataset_profiles'), count('dataset_validations'), count('dataset_file_state')]).toEqual([1, 0, 0]);
    expect(t.core.datasets.rules('trk')).toHaveLength(1);
    t.core.datasets.delete({ name: 'imp' });
    expect(count('dataset_profiles')).toBe(0);
  });

  it('an import that found a file already stored stores it again when a delete removed it meanwhile', async () => {
    const content = 'k\n1\n2\n';
    await t.core.datasets.add({ path: write('first/k.csv', content), name: 'first', mode: 'import' });
    const store = t.core.datasets.content;
    const importFiles = store.importFiles.bind(store);
    // The delete lands after the copy saw the object present, before the version is recorded.
    vi.spyOn(store, 'importFiles').mockImplementationOnce(async (...args) => {
      const entries = await importFiles(...args);
      expect(t.core.datasets.delete({ name: 'first' }).removedFiles).toBe(1);
      return entries;
    });
    const added = await t.core.datasets.add({ path: write('second/k.csv', content), name: 'second', mode: 'import' });
    expect(store.has(sha(content))).toBe(true);
    expect(fs.readFileSync(path.join(store.versions, added.version.digest, 'k.csv'), 'utf8')).toBe(content);
    expect((await t.core.datasets.inspect('second')).rows).toBe(2);
  });

  it('a dry run checks and reports, and changes nothing', async () => {
    const f = write('dry.csv', 'a\n1\n');
    await t.core.datasets.add({ path: f, name: 'dry', mode: 'import' });
    const plan = t.core.datasets.delete({ name: 'dry', dryRun: true });
    expect(plan).toMatchObject({ dryRun: true, datasetDeleted: true, removedFiles: 1, freedBytes: 4 });
    expect(t.core.datasets.versions('dry')).toHaveLength(1);
    expect(t.core.datasets.content.objectCount()).toBe(1);
  });
});

describe('deleting tracked versions', () => {
  it("never touches the user's file, only Lathe's record, profile and views", async () => {
    const f = write('mine/train.csv', 'x,y\n1,0\n2,1\n');
    const v = (await t.core.datasets.add({ path: f, name: 'mine' })).version.digest;
    await t.core.datasets.inspect('mine');
    // A process run saw the file through views/<id>-<digest>/train.csv, a link to the user's file.
    const runId = runUsing('mine', 'reader', 1);
    const env = t.core.datasets.runs.launchInputs(runId, 'process').env;
    const view = path.join(env.LATHE_DATASET_MINE!, 'train.csv');
    expect(fs.lstatSync(view).isSymbolicLink()).toBe(true);
    purge([runId]);

    const r = t.core.datasets.delete({ name: 'mine', version: v });
    expect(r).toMatchObject({ removedFiles: 0, sharedFiles: 0, freedBytes: 0, trackedPaths: [f], leftOnDisk: [] });
    expect(fs.readFileSync(f, 'utf8')).toBe('x,y\n1,0\n2,1\n');
    expect(fs.existsSync(path.dirname(view))).toBe(false);
    expect(count('dataset_profiles')).toBe(0);
    // Registering it again works from scratch.
    expect((await t.core.datasets.add({ path: f, name: 'mine' })).version.digest).toBe(v);
  });

  it('two datasets tracking the same bytes at different paths: each run reads its own file, before and after a delete', async () => {
    const f1 = write('s1/t.csv', 'k,v\n1,original\n');
    const f2 = write('s2/t.csv', 'k,v\n1,original\n');
    await t.core.datasets.add({ path: f1, name: 'sa' });
    await t.core.datasets.add({ path: f2, name: 'sb' });
    const viewOf = (runId: string, env: string) => path.join(t.core.datasets.runs.launchInputs(runId, 'process').env[env]!, 't.csv');
    const ra = runUsing('sa', 'ra', 1);
    const rb = runUsing('sb', 'rb', 2);
    expect(fs.readlinkSync(viewOf(ra, 'LATHE_DATASET_SA'))).toBe(f1);
    expect(fs.readlinkSync(viewOf(rb, 'LATHE_DATASET_SB'))).toBe(f2);
    purge([ra]);
    t.core.datasets.delete({ name: 'sa' });
    // No longer registered, the user edits s1/t.csv: sb's runs still read s2/t.csv.
    fs.writeFileSync(f1, 'k,v\n1,TAMPERED\n');
    expect(fs.readFileSync(viewOf(rb, 'LATHE_DATASET_SB'), 'utf8')).toBe('k,v\n1,original\n');
  });

  it('a tracked folder stays whole when its dataset is deleted', async () => {
    write('folder/a.csv', 'a\n1\n');
    write('folder/sub/b.csv', 'b\n2\n');
    await t.core.datasets.add({ path: path.join(t.work, 'folder'), name: 'fold' });
    const r = t.core.datasets.delete({ name: 'fold' });
    expect(r.trackedPaths).toEqual([path.join(t.work, 'folder')]);
    expect(fs.readFileSync(path.join(t.work, 'folder/sub/b.csv'), 'utf8')).toBe('b\n2\n');
    expect(fs.readdirSync(path.join(t.work, 'folder')).sort()).toEqual(['a.csv', 'sub']);
  });
});

describe('lineage: a version a run used is not deleted', () => {
  it('refuses, naming up to three runs and the count, deleted runs included; works once they are purged', async () => {
    const f = write('used.csv', 'a\n1\n');
    const v = (await t.core.datasets.add({ path: f, name: 'used', mode: 'import' })).version.digest;
    const runs = ['first', 'second', 'third', 'fourth'].map((n, i) => runUsing('used', n, 1000 + i));
    t.core.tracking.setRunLifecycle(runs[3]!, 'deleted');

    const err = (() => {
      try {
        t.core.datasets.delete({ name: 'used', version: v.slice(0, 8) });
      } catch (e) {
        return e;
      }
    })() as LatheError;
    expect(err).toBeInstanceOf(LatheError);
    expect(err.code).toBe('RESOURCE_CONFLICT');
    expect(err.message).toBe(
      `Cannot delete used@${v.slice(0, 12)}: 4 runs used it as an input: fourth (${runs[3]!.slice(0, 8)}, deleted), third (${runs[2]!.slice(0, 8)}), second (${runs[1]!.slice(0, 8)}) and 1 more. ` +
        'Their lineage would point at nothing; delete those runs permanently first (lathe runs delete, then lathe runs purge).',
    );
    expect(err.details).toMatchObject({ name: 'used', version: v, runCount: 4, runs: [{ runId: runs[3], name: 'fourth', lifecycleStage: 'deleted' }, { runId: runs[2] }, { runId: runs[1] }] });
    expect(() => t.core.datasets.delete({ name: 'used' })).toThrow(/^Cannot delete dataset 'used': 4 runs used it as an input/);
    expect(() => t.core.datasets.delete({ name: 'used', dryRun: true })).toThrow(/4 runs used it/);
    // Nothing changed.
    expect(t.core.datasets.versions('used')).toHaveLength(1);
    expect(t.core.datasets.content.objectCount()).toBe(1);
    expect(t.core.datasets.runs.inputs(runs[0]!)).toHaveLength(1);

    purge(runs.slice(0, 3));
    expect(() => t.core.datasets.delete({ name: 'used' })).toThrow(/1 run used it as an input: fourth/);
    purge([runs[3]!]);
    expect(t.core.datasets.delete({ name: 'used' })).toMatchObject({ datasetDeleted: true, removedFiles: 1 });
  });

  it('unknown names and versions, bad input', async () => {
    await t.core.datasets.add({ path: write('k.csv', 'a\n1\n'), name: 'known' });
    expect(() => t.core.datasets.delete({ name: 'nope' })).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST', message: "No dataset named 'nope'" }));
    expect(() => t.core.datasets.delete({ name: 'known', version: 'ffffffff' })).toThrow(expect.objectContaining({ code: 'RESOURCE_DOES_NOT_EXIST', message: "Dataset 'known' has no version ffffffff" }));
    expect(() => t.core.datasets.delete({ name: 'known', version: 'xyz' })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(() => t.core.datasets.delete({ name: '../etc' })).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    expect(t.core.datasets.versions('known')).toHaveLength(1);
  });
});

describe('reads a delete overtakes', () => {
  it('an inspect, validate or preview under way when its version is deleted answers 404 and caches nothing', async () => {
    const f = write('big/rows.csv', 'id,x\n' + Array.from({ length: 2000 }, (_, i) => `${i},${i % 7}`).join('\n') + '\n');
    const rules = [{ kind: 'range' as const, column: 'x', min: 0, max: 10 }];
    for (const [what, read] of [
      ['inspect', () => t.core.datasets.inspect('big', { refresh: true })],
      ['validate', () => t.core.datasets.validate('big', { rules })],
      ['preview', () => t.core.datasets.preview('big')],
    ] as const) {
      await t.core.datasets.add({ path: f, name: 'big', mode: 'import' });
      // The read starts (and yields); the delete runs before it reads the file.
      const reading = read();
      t.core.datasets.delete({ name: 'big' });
      // Whichever step meets the delete first says so: the read itself, or looking 'big' up again.
      await expect(reading, what).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST', message: expect.stringMatching(/^(big@[0-9a-f]{12} was deleted while it was being read|No dataset or file named 'big')$/) });
      expect(count('dataset_profiles'), what).toBe(0);
      expect(count('dataset_validations'), what).toBe(0);
    }
    // Added again, the same bytes get a real profile (no empty one was cached).
    await t.core.datasets.add({ path: f, name: 'big', mode: 'import' });
    expect((await t.core.datasets.inspect('big')).rows).toBe(2000);
  });
});
