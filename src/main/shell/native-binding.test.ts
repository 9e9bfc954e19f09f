import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { createCore } from '../core/create-core';
import { describeStartupError, electronNativeBindingPath, findElectronNativeBinding } from './native-binding';

describe('findElectronNativeBinding', () => {
  const root = path.resolve('/opt/lathe');
  const expected = path.join(root, '.electron-native', 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');

  it('points at the copy prepare-electron builds', () => {
    expect(electronNativeBindingPath(root)).toBe(expected);
  });

  it('returns the file when it exists, undefined otherwise', () => {
    expect(findElectronNativeBinding(root, (f) => f === expected)).toBe(expected);
    expect(findElectronNativeBinding(root, () => false)).toBeUndefined();
  });
});

describe('describeStartupError', () => {
  it('tells how to fix a native module built for Node', () => {
    const abi = new Error(
      "The module '/x/better_sqlite3.node' was compiled against a different Node.js version using NODE_MODULE_VERSION 115. This version of Node.js requires NODE_MODULE_VERSION 139.",
    );
    const text = describeStartupError(abi, '/home/u/.config/Lathe');
    expect(text).toContain('node scripts/prepare-electron.mjs');
    expect(text).toContain('NODE_MODULE_VERSION 115');
  });

  it('names the data directory for other failures', () => {
    const text = describeStartupError(new Error('database is locked'), '/data/lathe');
    expect(text).toContain('/data/lathe');
    expect(text).toContain('database is locked');
    expect(text).not.toContain('prepare-electron');
  });
});

describe('createCore({ nativeBinding })', () => {
  const nodeBuild = path.join(path.dirname(createRequire(__filename).resolve('better-sqlite3/package.json')), 'build', 'Release', 'better_sqlite3.node');

  it('loads SQLite from the given binary', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-native-'));
    try {
      const core = createCore({ home, nativeBinding: nodeBuild });
      expect(core.db.prepare('select 1 as one').get()).toEqual({ one: 1 });
      core.dispose();
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });

  it('fails when the binary is not there, rather than silently loading another', () => {
    const home = fs.mkdtempSync(path.join(os.tmpdir(), 'lathe-native-'));
    try {
      expect(() => createCore({ home, nativeBinding: path.join(home, 'missing', 'better_sqlite3.node') })).toThrow(/missing|Cannot find/);
    } finally {
      fs.rmSync(home, { recursive: true, force: true });
    }
  });
});
