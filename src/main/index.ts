import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { app, dialog, ipcMain, nativeImage, Notification, session, shell, Tray } from 'electron';
import { createCore } from './core/create-core';
import { createAppUrlMatcher } from './shell/app-url';
import { startDesktopApp } from './shell/desktop-app';
import { createMainWindow } from './shell/main-window';
import { describeStartupError, findElectronNativeBinding } from './shell/native-binding';
import { createRpcPortServer } from './shell/rpc-port';
import { startGpuTray } from './shell/tray';
import { startLatheServer } from './server/lathe-server';
import { loadOrCreateToken } from './core/config';

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
})
  .then(async ({ core }) => {
    if (!core) return;
    // The tracking server on loopback (and the Docker bridge) that runs launched from the app
    // report to; it also starts GPU telemetry and the GPU queue. If `lathe serve` already
    // serves this data directory, that server supervises runs and the app only shows them.
    try {
      const server = await startLatheServer({ core, token: loadOrCreateToken(home), port: 0 });
      app.on('will-quit', () => void server.close());
    } catch (err) {
      log(`runs cannot be launched from this window: ${err instanceof Error ? err.message : String(err)}`);
      core.gpus.start();
    }
    const stopTray = startGpuTray({
      createTray: (image) => new Tray(image as Electron.NativeImage),
      image: (bitmap, size) => nativeImage.createFromBitmap(bitmap, { width: size, height: size }),
      notify: (title, body) => Notification.isSupported() && new Notification({ title, body }).show(),
      gpus: core.gpus.service,
      subscribe: (listener) => core.bus.subscribe(listener),
      getRunInfo: (runId) => core.tracking.getRunInfo(runId),
    });
    app.on('will-quit', stopTray);
  })
  .catch((err: unknown) => {
    dialog.showErrorBox('Lathe cannot start', err instanceof Error ? (err.stack ?? err.message) : String(err));
    app.exit(1);
  });
