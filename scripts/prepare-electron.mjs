#!/usr/bin/env node
// Builds better-sqlite3 for Electron's ABI into .electron-native/better-sqlite3, leaving the
// Node build in node_modules alone: tests, the CLI and `lathe serve` load that one, and the
// two ABIs cannot share a file. The Electron main process loads the copy made here
// (src/main/shell/native-binding.ts).
//
// Usage: node scripts/prepare-electron.mjs [--force]
// Needs internet once (a prebuilt binary from GitHub, or Electron's headers to compile);
// later runs are a no-op while Electron, better-sqlite3 and the platform stay the same.

import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const OUT_DIR = path.join(ROOT, '.electron-native');
const TARGET = path.join(OUT_DIR, 'better-sqlite3');
const BINARY = path.join('build', 'Release', 'better_sqlite3.node');
const STAMP = '.lathe-electron-build.json';
const HEADERS_URL = 'https://electronjs.org/headers';

const force = process.argv.includes('--force');
const projectRequire = createRequire(path.join(ROOT, 'package.json'));

function fail(lines) {
  console.error(['', 'prepare-electron: FAILED', ...lines.map((l) => `  ${l}`), ''].join('\n'));
  process.exit(1);
}

function packageDir(name, require = projectRequire) {
  try {
    return path.dirname(require.resolve(`${name}/package.json`));
  } catch {
    fail([`${name} is not installed in ${ROOT}/node_modules; run \`npm install\` first.`]);
  }
}

function readJson(file) {
  return JSON.parse(fs.readFileSync(file, 'utf8'));
}

/** The last lines of a child's output, for an error message that says what went wrong. */
function tail(result, lines = 15) {
  if (result.error) return [String(result.error.message)];
  const text = `${result.stdout ?? ''}${result.stderr ?? ''}`.trim();
  return text ? text.split('\n').slice(-lines) : [`exited with code ${result.status}`];
}

function run(label, args, cwd, timeoutMs) {
  console.log(`prepare-electron: ${label}`);
  return spawnSync(process.execPath, args, { cwd, encoding: 'utf8', timeout: timeoutMs, maxBuffer: 64 * 1024 * 1024, env: process.env });
}

/** node-gyp: the project's own if any, else the one npm runs scripts with, else npm's bundled copy. */
function findNodeGyp() {
  const candidates = [];
  try {
    candidates.push(projectRequire.resolve('node-gyp/bin/node-gyp.js'));
  } catch {
    // not a project dependency; npm ships one
  }
  if (process.env.npm_config_node_gyp) candidates.push(process.env.npm_config_node_gyp);
  const nodeDir = path.dirname(process.execPath);
  candidates.push(
    path.join(nodeDir, '..', 'lib', 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
    path.join(nodeDir, 'node_modules', 'npm', 'node_modules', 'node-gyp', 'bin', 'node-gyp.js'),
  );
  return candidates.find((c) => fs.existsSync(c));
}

/**
 * Loads the new binary in Electron's own Node (ELECTRON_RUN_AS_NODE) and opens an in-memory
 * database, so a wrong-ABI file is caught here rather than at app start. Skipped when the
 * Electron binary itself is not installed.
 */
function verifyInElectron(binaryPath, betterSqliteDir) {
  let electronBinary;
  try {
    electronBinary = projectRequire('electron');
  } catch {
    return 'skipped (the Electron binary is not installed, so it cannot be loaded here)';
  }
  const probe = `const D = require(${JSON.stringify(betterSqliteDir)}); const db = new D(':memory:', { nativeBinding: ${JSON.stringify(binaryPath)} }); console.log(db.prepare('select sqlite_version() v').get().v); db.close();`;
  const result = spawnSync(electronBinary, ['-e', probe], { encoding: 'utf8', timeout: 60_000, env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' } });
  if (result.status !== 0) {
    fail(['The built better_sqlite3.node does not load in Electron:', ...tail(result), 'Run again with --force; if it persists, remove .electron-native/ and retry.']);
  }
  return `loads in Electron (SQLite ${result.stdout.trim()})`;
}

const electronDir = packageDir('electron');
const betterSqliteDir = packageDir('better-sqlite3');
const electronVersion = readJson(path.join(electronDir, 'package.json')).version;
const betterSqliteVersion = readJson(path.join(betterSqliteDir, 'package.json')).version;
const stamp = { electron: electronVersion, betterSqlite3: betterSqliteVersion, platform: process.platform, arch: process.arch };
const what = `better-sqlite3 ${betterSqliteVersion} for Electron ${electronVersion} (${process.platform}-${process.arch})`;

const stampFile = path.join(TARGET, STAMP);
if (!force && fs.existsSync(path.join(TARGET, BINARY)) && fs.existsSync(stampFile)) {
  const previous = readJson(stampFile);
  if (Object.entries(stamp).every(([k, v]) => previous[k] === v)) {
    console.log(`prepare-electron: ${what} is up to date in ${path.relative(ROOT, TARGET)}`);
    process.exit(0);
  }
}

// Build in a scratch copy and swap it in at the end, so an interrupted or failed run never
// leaves a half-built module where the app would load it.
fs.mkdirSync(OUT_DIR, { recursive: true });
const work = path.join(OUT_DIR, `better-sqlite3.tmp-${process.pid}`);
fs.rmSync(work, { recursive: true, force: true });
const nodeBuild = path.join(betterSqliteDir, 'build');
fs.cpSync(betterSqliteDir, work, { recursive: true, filter: (src) => src !== nodeBuild && !src.startsWith(nodeBuild + path.sep) });
const cleanup = () => {
  fs.rmSync(work, { recursive: true, force: true });
  fs.rmSync(`${work}.ready`, { recursive: true, force: true });
  if (fs.existsSync(OUT_DIR) && fs.readdirSync(OUT_DIR).length === 0) fs.rmdirSync(OUT_DIR);
};
process.on('exit', cleanup);

const targetArgs = { runtime: 'electron', target: electronVersion, arch: process.arch, platform: process.platform };
let prebuildInstall;
try {
  prebuildInstall = createRequire(path.join(betterSqliteDir, 'package.json')).resolve('prebuild-install/bin.js');
} catch {
  prebuildInstall = undefined;
}

const attempts = [];
let built = false;
if (prebuildInstall) {
  const result = run(`downloading the prebuilt ${what}`, [prebuildInstall, '--verbose', ...Object.entries(targetArgs).flatMap(([k, v]) => [`--${k}`, v])], work, 180_000);
  built = result.status === 0 && fs.existsSync(path.join(work, BINARY));
  if (!built) attempts.push('prebuilt download (prebuild-install, from GitHub releases):', ...tail(result).map((l) => `  ${l}`));
} else {
  attempts.push('prebuilt download: prebuild-install is not installed next to better-sqlite3.');
}

if (!built) {
  const nodeGyp = findNodeGyp();
  if (nodeGyp) {
    const args = [nodeGyp, 'rebuild', '--release', `--runtime=electron`, `--target=${electronVersion}`, `--arch=${process.arch}`, `--dist-url=${HEADERS_URL}`];
    const result = run(`no prebuilt binary; compiling ${what} from source (a few minutes)`, args, work, 20 * 60_000);
    built = result.status === 0 && fs.existsSync(path.join(work, BINARY));
    if (!built) attempts.push(`build from source (node-gyp, Electron headers from ${HEADERS_URL}, Python 3 and a C++ toolchain):`, ...tail(result).map((l) => `  ${l}`));
  } else {
    attempts.push('build from source: node-gyp not found (neither in node_modules nor bundled with npm).');
  }
}

if (!built) {
  fail([
    `Could not get ${what}.`,
    '',
    ...attempts,
    '',
    'Both ways need internet access (github.com for the prebuilt binary, electronjs.org for the headers).',
    'Run this once on a machine with access, or copy a .electron-native/ folder made for the same',
    'Electron version and platform. node_modules was not changed: the tests, the CLI and',
    '`lathe serve` keep working; only the desktop window needs this step.',
  ]);
}

// Keep only the binary (and the stamp): the sources and object files are tens of MB the app never reads.
const ready = `${work}.ready`;
fs.mkdirSync(path.dirname(path.join(ready, BINARY)), { recursive: true });
fs.copyFileSync(path.join(work, BINARY), path.join(ready, BINARY));
fs.writeFileSync(path.join(ready, STAMP), `${JSON.stringify(stamp, null, 2)}\n`);
const verified = verifyInElectron(path.join(ready, BINARY), betterSqliteDir);
fs.rmSync(TARGET, { recursive: true, force: true });
fs.renameSync(ready, TARGET);
console.log(`prepare-electron: ${what} ready in ${path.relative(ROOT, path.join(TARGET, BINARY))}; ${verified}`);
