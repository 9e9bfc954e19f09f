import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { Core } from '../../src/main/core/create-core';
import type { AddProgress } from '../../src/shared/api/dataset-types';
import { tempCore } from '../helpers/temp-home';
import { FIXTURES, loadExpected } from './fixture-compare';

let core: Core;
let cleanup: () => void;
let work: string;

beforeEach(() => {
  ({ core, work, cleanup } = tempCore('lathe-ds-work-'));
});
afterEach(() => cleanup());

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function write(rel: string, content: string | Buffer): string {
  const p = path.join(work, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, content);
  return p;
}

describe('a version is the content digest', () => {
  it('the same bytes give the same version; registering again changes nothing', async () => {
    const f = write('d/train.csv', 'a,b\n1,2\n');
    const first = await core.datasets.add({ path: f, name: 'train' });
    const again = await core.datasets.add({ path: f, name: 'train' });
    expect(first.created).toBe(true);
    expect(again.created).toBe(false);
    expect(again.version.digest).toBe(first.version.digest);
    expect(core.datasets.versions('train')).toHaveLength(1);
    // The same content elsewhere, under the same file name: same digest.
    const copy = write('e/train.csv', 'a,b\n1,2\n');
    expect((await core.datasets.add({ path: copy, name: 'other' })).version.digest).toBe(first.version.digest);
    // The file's own SHA-256 is its raw bytes' (sha256sum).
    expect(core.datasets.files('train')).toEqual([{ path: 'train.csv', size: 8, sha256: sha('a,b\n1,2\n') }]);
  });

  it('a changed byte, a renamed file, CRLF instead of LF each give a new version', async () => {
    const f = write('v/data.csv', 'a,b\n1,2\n');
    const v1 = (await core.datasets.add({ path: f, name: 'ds' })).version.digest;
    fs.writeFileSync(f, 'a,b\n1,3\n');
    const v2 = (await core.datasets.add({ path: f, name: 'ds' })).version.digest;
    const renamed = path.join(work, 'v/renamed.csv');
    fs.renameSync(f, renamed);
    const v3 = (await core.datasets.add({ path: renamed, name: 'ds' })).version.digest;
    fs.writeFileSync(renamed, 'a,b\r\n1,3\r\n');
    const v4 = (await core.datasets.add({ path: renamed, name: 'ds' })).version.digest;
    expect(new Set([v1, v2, v3, v4]).size).toBe(4);
    expect(core.datasets.versions('ds').map((v) => v.digest)).toEqual([v4, v3, v2, v1]);
  });

  it('fixture 19: the CRLF file and its LF variant hash as the reference says, and are different versions', async () => {
    const exp = loadExpected(path.join(FIXTURES, '19-crlf-content-hash.expected.json'));
    const crlf = fs.readFileSync(path.join(FIXTURES, exp.file));
    expect(sha(crlf)).toBe(exp.hashes!.raw_sha256);
    const lfBytes = Buffer.from(crlf.toString('latin1').replace(/\r\n/g, '\n'), 'latin1');
    expect(sha(lfBytes)).toBe(exp.hashes!.lf_variant_sha256);
    const a = await core.datasets.add({ path: write('crlf/samples.csv', crlf), name: 'samples' });
    const b = await core.datasets.add({ path: write('lf/samples.csv', lfBytes), name: 'samples' });
    expect(b.created).toBe(true);
    expect(b.version.digest).not.toBe(a.version.digest);
    expect(core.datasets.files(`samples@${a.version.digest.slice(0, 10)}`)[0]!.sha256).toBe(exp.hashes!.raw_sha256);
    // Same table, different bytes: the statistics agree.
    const pa = await core.datasets.inspect(`samples@${a.version.digest}`);
    const pb = await core.datasets.inspect(`samples@${b.version.digest}`);
    expect(pa.columns).toEqual(pb.columns);
    expect(pa.line_endings).toMatchObject({ CRLF: 13, LF: 0 });
    expect(pb.line_endings).toMatchObject({ CRLF: 0, LF: 13 });
  });

  it('a folder: relative paths are part of the digest; moving a file makes a new version', async () => {
    write('f/x/a.csv', 'a\n1\n');
    write('f/b.csv', 'b\n2\n');
    const v1 = await core.datasets.add({ path: path.join(work, 'f'), name: 'folder' });
    expect(v1.version).toMatchObject({ kind: 'folder', fileCount: 2 });
    expect(core.datasets.files('folder').map((e) => e.path)).toEqual(['b.csv', 'x/a.csv']);
    fs.mkdirSync(path.join(work, 'f/y'));
    fs.renameSync(path.join(work, 'f/x/a.csv'), path.join(work, 'f/y/a.csv'));
    const v2 = await core.datasets.add({ path: path.join(work, 'f'), name: 'folder' });
    expect(v2.version.digest).not.toBe(v1.version.digest);
  });

  it('import stores identical files once, twice imported or under two names', async () => {
    const big = 'x,y\n' + Array.from({ length: 2000 }, (_, i) => `${i},${i * 2}`).join('\n') + '\n';
    write('i/a.csv', big);
    write('i/same-content.csv', big);
    write('i/other.csv', 'x\n1\n');
    const first = await core.datasets.add({ path: path.join(work, 'i'), name: 'imp', mode: 'import' });
    expect(core.datasets.content.objectCount()).toBe(2);
    const second = await core.datasets.add({ path: path.join(work, 'i'), name: 'imp', mode: 'import' });
    expect(second.created).toBe(false);
    await core.datasets.add({ path: path.join(work, 'i/a.csv'), name: 'single', mode: 'import' });
    expect(core.datasets.content.objectCount()).toBe(2);
    // The imported version reads from the store even when the original is gone.
    fs.rmSync(path.join(work, 'i'), { recursive: true });
    const p = await core.datasets.inspect(`imp@${first.version.digest.slice(0, 8)}`, { file: 'a.csv' });
    expect(p.rows).toBe(2000);
    const root = core.datasets.versionRoot(core.datasets.resolve('imp').row);
    expect(fs.readFileSync(path.join(root, 'same-content.csv'), 'utf8')).toBe(big);
    expect(fs.statSync(path.join(root, 'a.csv')).mode & 0o222).toBe(0);
  });

  it('reports progress while hashing and copying, and a cancelled add records nothing', async () => {
    const f = write('p/big.csv', 'v\n' + '123456789\n'.repeat(400_000));
    const events: AddProgress[] = [];
    await core.datasets.add({ path: f, name: 'prog', mode: 'import' }, { onProgress: (e) => events.push(e) });
    expect(events.some((e) => e.phase === 'copy' && e.bytesDone > 0)).toBe(true);
    expect(events.at(-1)).toMatchObject({ phase: 'done' });
    const controller = new AbortController();
    const cancelled = core.datasets.add({ path: write('p/big2.csv', 'w\n' + '987654321\n'.repeat(400_000)), name: 'cancel', mode: 'import' }, {
      signal: controller.signal,
      onProgress: (e) => e.bytesDone > 0 && controller.abort(),
    });
    await expect(cancelled).rejects.toThrow(/abort/i);
    expect(() => core.datasets.get('cancel')).toThrow(/No dataset named/);
    expect(fs.readdirSync(core.datasets.content.tmp).filter((n) => !n.startsWith('duckdb'))).toEqual([]);
  });

  it('inspecting a version again is served from the cache (by content)', async () => {
    const f = write('c/t.csv', 'a,b\n1,x\n2,y\n');
    await core.datasets.add({ path: f, name: 'cached' });
    const p1 = await core.datasets.inspect('cached');
    const t = performance.now();
    const p2 = await core.datasets.inspect('cached');
    expect(performance.now() - t).toBeLessThan(200);
    expect(p2.computed_at).toBe(p1.computed_at);
    expect(core.datasets.versions('cached')[0]!.rows).toBe(2);
  });

  it('a tracked file that changed is refused with the reason', async () => {
    const f = write('t/t.csv', 'a\n1\n');
    await core.datasets.add({ path: f, name: 'tracked' });
    fs.writeFileSync(f, 'a\n2\n');
    await expect(core.datasets.inspect('tracked')).rejects.toMatchObject({ code: 'RESOURCE_CONFLICT', message: expect.stringMatching(/changed since version/) });
  });

  it('refuses system folders and the data directory itself', async () => {
    await expect(core.datasets.add({ path: '/etc/hostname', name: 'x' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(core.datasets.add({ path: core.home, name: 'x' })).rejects.toMatchObject({ code: 'PERMISSION_DENIED' });
    await expect(core.datasets.add({ path: write('n/a.csv', 'a\n'), name: '../bad' })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});
