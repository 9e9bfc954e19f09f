import { describe, expect, it } from 'vitest';
import { entryFile, treeRows } from './file-tree';

const files = [
  { path: 'README.md', size: 10 },
  { path: 'src/model/net.py', size: 30 },
  { path: 'src/util.py', size: 20 },
  { path: 'train.py', size: 40 },
];

describe('treeRows', () => {
  it('lists folders before their contents, subfolders before files', () => {
    expect(treeRows(files).map((r) => `${'  '.repeat(r.depth)}${r.name}${r.isDir ? '/' : ''}`)).toEqual([
      'src/',
      '  model/',
      '    net.py',
      '  util.py',
      'README.md',
      'train.py',
    ]);
  });
});

describe('entryFile', () => {
  it('picks the script the command runs, else a likely entry point', () => {
    expect(entryFile(files, ['python3', './src/util.py'])).toBe('src/util.py');
    expect(entryFile(files, ['bash', '-c', 'x'])).toBe('train.py');
    expect(entryFile([{ path: 'notes.txt' }], undefined)).toBe('notes.txt');
    expect(entryFile([], ['x'])).toBeNull();
  });
});
