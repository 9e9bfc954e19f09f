import fs from 'node:fs';
import path from 'node:path';

/** Where scripts/prepare-electron.mjs puts better-sqlite3 built for Electron, relative to the app root. */
export const ELECTRON_NATIVE_DIR = '.electron-native';

/** The Electron-ABI `better_sqlite3.node` under an app root (the folder with package.json). */
export function electronNativeBindingPath(appRoot: string): string {
  return path.join(appRoot, ELECTRON_NATIVE_DIR, 'better-sqlite3', 'build', 'Release', 'better_sqlite3.node');
}

/**
 * The Electron build of better-sqlite3 when prepare-electron has made one, else undefined (a
 * packaged app whose node_modules were rebuilt for Electron at packaging time loads its own).
 */
export function findElectronNativeBinding(appRoot: string, exists: (file: string) => boolean = fs.existsSync): string | undefined {
  const file = electronNativeBindingPath(appRoot);
  return exists(file) ? file : undefined;
}

/**
 * The message shown when the core cannot start. A native module built for Node's ABI (the
 * usual cause: `npm install` builds for Node, and the Electron copy was never prepared)
 * fails with NODE_MODULE_VERSION or "was compiled against a different Node.js version"; that
 * case gets the command that fixes it.
 */
export function describeStartupError(err: unknown, home: string): string {
  const message = err instanceof Error ? err.message : String(err);
  if (/NODE_MODULE_VERSION|compiled against a different Node\.js version|did not self-register/i.test(message)) {
    return [
      'SQLite could not be loaded: its native module was built for Node.js, not for Electron.',
      'Run `node scripts/prepare-electron.mjs` (needs internet once), then start Lathe again.',
      '',
      message,
    ].join('\n');
  }
  return [`Lathe could not open its data directory ${home}.`, '', message].join('\n');
}
