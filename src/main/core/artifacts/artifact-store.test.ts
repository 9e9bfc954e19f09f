import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Readable } from 'node:stream';
import { text } from 'node:stream/consumers';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { ArtifactStore } from './artifact-store';
import { artifactUriToRelPath, isInside, joinArtifactPath, splitArtifactPath } from './artifact-paths';

let base: string;
let root: string;
let store: ArtifactStore;
const RUN = 'a'.repeat(32);

beforeEach(() => {
  base = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-art-'));
  root = path.join(base, 'artifacts');
  store = new ArtifactStore(root, {
    getRunInfo: (id) => {
      if (id !== RUN) throw Object.assign(new Error('no run'), { code: 'RESOURCE_DOES_NOT_EXIST' });
      return { artifactUri: `mlflow-artifacts:/3/${RUN}/artifacts` };
    },
  });
});
afterEach(() => fs.rmSync(base, { recursive: true, force: true }));

describe('artifact paths', () => {
  it('splits good relative paths and refuses everything that could leave the root', () => {
    expect(splitArtifactPath('')).toEqual([]);
    expect(splitArtifactPath('1/r/artifacts/a b.txt')).toEqual(['1', 'r', 'artifacts', 'a b.txt']);
    for (const bad of ['..', '../x', 'a/../../x', '/etc/passwd', 'a//b', 'a/./b', 'a/', 'a\\..\\b', 'C:/x', 'a\u0000b', 'x/\n']) {
      expect(() => splitArtifactPath(bad), JSON.stringify(bad)).toThrow(expect.objectContaining({ code: 'INVALID_PARAMETER_VALUE' }));
    }
  });

  it('maps artifact URIs to root-relative paths and joins parts', () => {
    expect(artifactUriToRelPath('mlflow-artifacts:/3/abc/artifacts')).toBe('3/abc/artifacts');
    expect(artifactUriToRelPath('mlflow-artifacts://host:5000/3/abc/artifacts/')).toBe('3/abc/artifacts');
    expect(() => artifactUriToRelPath('file:///tmp/x')).toThrow();
    expect(() => artifactUriToRelPath('mlflow-artifacts:/../x')).toThrow();
    expect(joinArtifactPath('a/b', '', undefined, 'c/')).toBe('a/b/c');
    expect(isInside('/a/b', '/a/b')).toBe(true);
    expect(isInside('/a/b', '/a/b/c')).toBe(true);
    expect(isInside('/a/b', '/a/bc')).toBe(false);
    expect(isInside('/a/b', '/a')).toBe(false);
  });
});

describe('ArtifactStore', () => {
  it('writes, lists and reads by run, in the MLflow layout', async () => {
    expect(await store.write(RUN, 'model/weights.bin', Buffer.from([1, 2, 3, 4]))).toBe(4);
    await store.write(RUN, 'notes.txt', Readable.from(['hello ', 'world']));
    expect(fs.readFileSync(path.join(root, '3', RUN, 'artifacts', 'notes.txt'), 'utf8')).toBe('hello world');
    expect(await store.list(RUN)).toEqual([
      { path: 'model', isDir: true },
      { path: 'notes.txt', isDir: false, fileSize: 11 },
    ]);
    expect(await store.list(RUN, 'model')).toEqual([{ path: 'weights.bin', isDir: false, fileSize: 4 }]);
    expect(await store.list(RUN, 'missing')).toEqual([]);
    expect(await store.list(RUN, 'notes.txt')).toEqual([]);
    const h = await store.openRead(RUN, 'notes.txt');
    expect([h.size, h.fileName]).toEqual([11, 'notes.txt']);
    expect(await text(h.stream)).toBe('hello world');
    const empty = await (async () => {
      await store.write(RUN, 'empty', '');
      return store.openRead(RUN, 'empty');
    })();
    expect([empty.size, await text(empty.stream)]).toEqual([0, '']);
  });

  it('reports missing files as RESOURCE_DOES_NOT_EXIST and unknown runs as the lookup does', async () => {
    await expect(store.openRead(RUN, 'nope.txt')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    await store.write(RUN, 'd/f', 'x');
    await expect(store.openRead(RUN, 'd')).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(store.list('b'.repeat(32))).rejects.toMatchObject({ code: 'RESOURCE_DOES_NOT_EXIST' });
    await expect(store.openRead(RUN, '')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });

  it('refuses paths leaving the root, for run-relative and root-relative calls alike', async () => {
    await expect(store.write(RUN, '../../../escape.txt', 'x')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.list(RUN, '../..')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.writePath('../escape.txt', 'x')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.openReadPath('/etc/passwd')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    expect(fs.existsSync(path.join(base, 'escape.txt'))).toBe(false);
  });

  it('does not follow symlinks out of the root, but allows links that stay inside', async () => {
    const outside = path.join(base, 'outside');
    fs.mkdirSync(outside);
    fs.writeFileSync(path.join(outside, 'secret'), 'secret');
    await store.write(RUN, 'real/file.txt', 'inside');
    const dir = path.join(root, '3', RUN, 'artifacts');
    fs.symlinkSync(outside, path.join(dir, 'out'));
    fs.symlinkSync(path.join(dir, 'real'), path.join(dir, 'alias'));
    await expect(store.openRead(RUN, 'out/secret')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.write(RUN, 'out/deep/planted', 'x')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.list(RUN, 'out')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    expect(fs.readdirSync(outside)).toEqual(['secret']);
    expect(await text((await store.openRead(RUN, 'alias/file.txt')).stream)).toBe('inside');
    expect((await store.list(RUN)).map((f) => f.path)).toEqual(['alias', 'real']);
  });

  it('replaces files atomically; a failed stream or a wrong length leaves the old file and no temp file', async () => {
    await store.write(RUN, 'f.txt', 'old');
    const failing = new Readable({
      read() {
        this.push('partial');
        this.destroy(new Error('connection lost'));
      },
    });
    await expect(store.write(RUN, 'f.txt', failing)).rejects.toThrow('connection lost');
    await expect(store.write(RUN, 'f.txt', 'abc', { expectedSize: 10 })).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    expect(await text((await store.openRead(RUN, 'f.txt')).stream)).toBe('old');
    expect(fs.readdirSync(path.join(root, '3', RUN, 'artifacts'))).toEqual(['f.txt']);
  });

  it('refuses to write over a folder or under a file', async () => {
    await store.write(RUN, 'd/f', 'x');
    await expect(store.write(RUN, 'd', 'x')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
    await expect(store.write(RUN, 'd/f/g', 'x')).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});
