import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

// DESIGN.md: the core, the API, the HTTP server, the CLI and the shared contract run in plain
// Node (lathe serve, the CLI, tests). One `electron` import there would make them crash where
// no Electron exists, so this test fails the build the moment one appears.

const ROOT = path.resolve(__dirname, '..');
const ELECTRON_FREE_DIRS = ['src/main/core', 'src/main/api', 'src/main/server', 'src/main/cli', 'src/shared'];
const SOURCE = /\.(?:ts|tsx|mts|cts)$/;

// 'electron' or one of its subpath entry points ('electron/main', 'electron/common', …),
// in a static import/export, a side-effect import, a dynamic import() or a require(),
// also when the call or the specifier is split over lines.
const QUOTED_ELECTRON = `(?:${["'", '"', '`'].map((q) => `${q}electron(?:/[\\w-]+)*${q}`).join('|')})`;
const ELECTRON_IMPORT = new RegExp(
  [`\\bfrom\\s*${QUOTED_ELECTRON}`, `\\bimport\\s*(?:\\(\\s*)?${QUOTED_ELECTRON}`, `\\brequire(?:\\.resolve)?\\s*\\(\\s*${QUOTED_ELECTRON}`].join('|'),
  'g',
);

/** Each electron import in `source`, as `line: text`. */
function electronImports(source: string): string[] {
  return [...source.matchAll(ELECTRON_IMPORT)].map((m) => {
    const line = source.slice(0, m.index).split('\n').length;
    return `${line}: ${m[0].replace(/\s+/g, ' ')}`;
  });
}

function sourceFiles(dir: string): string[] {
  if (!fs.existsSync(dir)) return [];
  return fs.readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) return sourceFiles(full);
    return entry.isFile() && SOURCE.test(entry.name) ? [full] : [];
  });
}

describe('electronImports (the detector itself)', () => {
  it.each([
    `import { app } from 'electron';`,
    `import electron from "electron";`,
    `import type { BrowserWindow } from 'electron';`,
    `import * as e from 'electron/main';`,
    `export { ipcMain } from 'electron';`,
    `import 'electron';`,
    `const { app } = await import('electron');`,
    'const e = await import(`electron`);',
    `const { shell } = require('electron');`,
    `const x = require ( "electron/common" );`,
    `}  from   'electron'`,
    `const p = require.resolve('electron');`,
    `const e = await import(\n  'electron'\n);`,
  ])('flags %s', (line) => {
    expect(electronImports(`const a = 1;\n${line}\n`)).toHaveLength(1);
  });

  it.each([
    `import { defineConfig } from 'electron-vite';`,
    `import x from '@electron/rebuild';`,
    `const r = require('electron-store-not');`,
    `// runs in Electron's main process too`,
    `const name = 'electron';`,
    `import { electron } from './electron';`,
  ])('does not flag %s', (line) => {
    expect(electronImports(line)).toEqual([]);
  });
});

describe('Electron-free layers', () => {
  const files = ELECTRON_FREE_DIRS.flatMap((dir) => sourceFiles(path.join(ROOT, dir)));

  it('finds the sources it is meant to check', () => {
    const relative = files.map((f) => path.relative(ROOT, f).split(path.sep).join('/'));
    expect(relative).toContain('src/main/core/create-core.ts');
    expect(relative).toContain('src/main/api/router.ts');
    expect(relative).toContain('src/main/server/http-server.ts');
    expect(relative).toContain('src/main/cli/index.ts');
    expect(relative).toContain('src/shared/api/bridge.ts');
  });

  it('no file under core, api, server, cli or shared imports electron', () => {
    const offenders = files.flatMap((file) => electronImports(fs.readFileSync(file, 'utf8')).map((hit) => `${path.relative(ROOT, file)}:${hit}`));
    expect(offenders, `these would crash lathe serve and the CLI:\n${offenders.join('\n')}`).toEqual([]);
  });
});
