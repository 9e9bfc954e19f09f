import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, session, shell } from 'electron';
import { createCore } from './core/create-core';
import { createAppUrlMatcher } from './shell/app-url';
import { startDesktopApp } from './shell/desktop-app';
import { createMainWindow } from './shell/main-window';
import { describeStartupError, findElectronNativeBinding } from './shell/native-binding';
import { createRpcPortServer } from './shell/rpc-port';

// The Electron entry point: wiring only; the behaviour lives in ./shell and is tested there.

const outMain = path.dirname(fileURLToPath(import.meta.url));
const indexFile = path.join(outMain, '../renderer/index.html');
const preloadPath = path.join(outMain, '../preload/index.cjs');
// Only an unpackaged app may load from a dev server; a packaged one ignores the variable.
const devServerUrl = !app.isPackaged ? process.env.ELECTRON_RENDERER_URL : undefined;
const isAppUrl = createAppUrlMatcher(devServerUrl ? { devServerUrl } : { indexFile });
const log = (message: string) => console.warn(`[lathe] ${message}`);

// The same folder core's defaultHome() picks for the CLI and `lathe serve` (<appData>/Lathe),
// whatever the package name is, so all three share one store.
app.setPath('userData', path.join(app.getPath('appData'), 'Lathe'));
const home = process.env.LATHE_HOME ? path.resolve(process.env.LATHE_HOME) : app.getPath('userData');

void startDesktopApp({
  app,
  ipcMain,
  defaultSession: () => session.defaultSession,
  isAppUrl,
  openExternal: (url) => shell.openExternal(url),
  createCore: () => createCore({ home, nativeBinding: findElectronNativeBinding(app.getAppPath()) }),
  createRpcServer: createRpcPortServer,
  createWindow: () => createMainWindow({ preloadPath, indexFile, devServerUrl, log }),
  showError: (title, message) => dialog.showErrorBox(title, message),
  describeError: (err) => describeStartupError(err, home),
  platform: process.platform,
  log,
}).catch((err: unknown) => {
  dialog.showErrorBox('Lathe cannot start', err instanceof Error ? (err.stack ?? err.message) : String(err));
  app.exit(1);
});
