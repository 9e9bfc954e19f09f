import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { listSnapshotFiles, snapshotDirectory } from './snapshot';
import { tempHome } from '../../../../test/helpers/temp-home';

let dir: string;
let cleanup: () => void;
beforeEach(() => {
  const t = tempHome('lathe-snap-');
  dir = t.home;
  cleanup = t.cleanup;
});
afterEach(() => cleanup());

function write(rel: string, content: string | Buffer) {
  fs.mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
  fs.writeFileSync(path.join(dir, rel), content);
}

describe('code snapshots', () => {
  it('outside git: honours .gitignore files at every level and .latheignore', async () => {
    write('train.py', 'print(1)');
    write('.gitignore', 'data/\n*.ckpt\n');
    write('data/big.csv', 'x');
    write('model.ckpt', 'x');
    write('src/util.py', 'x');
    write('src/.gitignore', 'scratch.txt\n');
    write('src/scratch.txt', 'x');
    write('notes.md', 'x');
    write('.latheignore', 'notes.md\n');
    expect((await listSnapshotFiles(dir)).sort()).toEqual(['.gitignore', '.latheignore', 'src/.gitignore', 'src/util.py', 'train.py']);
  });

  it('in a git work tree: tracked and untracked-but-not-ignored files, never .git', async () => {
    write('train.py', 'print(1)');
    write('.gitignore', 'outputs/\n');
    write('outputs/model.bin', 'x');
    execFileSync('git', ['init', '-q'], { cwd: dir });
    execFileSync('git', ['add', '.'], { cwd: dir });
    write('new.py', 'x');
    const files = (await listSnapshotFiles(dir)).sort();
    expect(files).toEqual(['.gitignore', 'new.py', 'train.py']);
  });

  it('copies the selected files byte for byte and reports count and size', async () => {
    write('train.py', 'print("hi")\n');
    write('pkg/a.bin', Buffer.from([0, 1, 2, 255]));
    const dest = path.join(dir, '..', `${path.basename(dir)}-dest`);
    try {
      const res = await snapshotDirectory(dir, dest);
      expect(res).toEqual({ dir: dest, files: 2, bytes: 12 + 4 });
      expect(fs.readFileSync(path.join(dest, 'pkg/a.bin'))).toEqual(Buffer.from([0, 1, 2, 255]));
    } finally {
      fs.rmSync(dest, { recursive: true, force: true });
    }
  });

  it('refuses a folder over the limit with the largest files named, copying nothing', async () => {
    write('train.py', 'x');
    write('weights.bin', Buffer.alloc(2048));
    const dest = path.join(dir, 'never');
    await expect(snapshotDirectory(dir, dest, 1024)).rejects.toMatchObject({
      code: 'INVALID_PARAMETER_VALUE',
      message: expect.stringMatching(/over the 0\.0 MiB limit\. Largest files: weights\.bin .*\.gitignore or \.latheignore/),
    });
    expect(fs.existsSync(dest)).toBe(false);
  });

  it('refuses a missing folder', async () => {
    await expect(snapshotDirectory(path.join(dir, 'nope'), path.join(dir, 'd'))).rejects.toMatchObject({ code: 'INVALID_PARAMETER_VALUE' });
  });
});
