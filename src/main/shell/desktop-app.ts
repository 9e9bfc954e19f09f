import type { AppUrlMatcher } from './app-url';
import { hardenSession, hardenWebContents, isTrustedSender, type GuardedSession, type GuardedWebContents } from './security';
import { listenForRpcPorts, type RpcIpcMain, type RpcPort } from './rpc-port';

/** The part of Electron's `app` the shell drives. */
export interface DesktopApp {
  requestSingleInstanceLock(): boolean;
  quit(): void;
  whenReady(): Promise<unknown>;
  on(event: 'second-instance' | 'activate' | 'window-all-closed' | 'will-quit', listener: () => void): unknown;
  on(event: 'web-contents-created', listener: (event: unknown, contents: GuardedWebContents) => void): unknown;
}

/** The part of a BrowserWindow the shell touches after creating it. */
export interface DesktopWindow {
  isDestroyed(): boolean;
  isMinimized(): boolean;
  restore(): void;
  focus(): void;
}

/** Whatever the core is; the shell only ever disposes it. */
export interface DisposableCore {
  dispose(): void;
}

export interface DesktopAppDeps<C extends DisposableCore> {
  app: DesktopApp;
  ipcMain: RpcIpcMain;
  /** Electron's default session; a function because it exists only once the app is ready. */
  defaultSession: () => GuardedSession;
  isAppUrl: AppUrlMatcher;
  openExternal: (url: string) => Promise<void>;
  /** Opens the store and builds the services (createCore with the data directory). */
  createCore: () => C;
  /** Returns the function that serves the API on an accepted port (rpc-port.ts). */
  createRpcServer: (core: C) => (port: RpcPort) => void;
  /** Creates the main window with the secure options and loads the app page (main-window.ts). */
  createWindow: () => DesktopWindow;
  /** A native error box; the core failing to start leaves no window to show it in. */
  showError: (title: string, message: string) => void;
  describeError: (err: unknown) => string;
  platform: NodeJS.Platform;
  log?: (message: string) => void;
}

/** What {@link startDesktopApp} resolves to, for tests and for the entry point. */
export interface DesktopAppHandle<C> {
  /** 'secondary' when another Lathe already holds the lock (this one quits at once). */
  state: 'running' | 'secondary' | 'failed';
  core?: C;
}

/**
 * The Electron shell's lifecycle, over injected Electron objects so it can be tested without
 * an Electron binary:
 * - one instance per user: a second launch focuses the first window and quits, because two
 *   processes writing one SQLite store and one GPU queue would fight;
 * - every webContents is hardened when created, the default session before any window exists;
 * - the core is created after `ready`; if that fails (locked or foreign store, native module
 *   for the wrong ABI) an error box explains it and the app quits rather than showing a
 *   window that cannot work;
 * - RPC ports are accepted only from the app's own top-level page;
 * - the core is disposed (WAL checkpoint, store closed) once, on `will-quit`;
 * - on macOS the app stays alive with no window and re-creates it on `activate`.
 */
export async function startDesktopApp<C extends DisposableCore>(deps: DesktopAppDeps<C>): Promise<DesktopAppHandle<C>> {
  const { app } = deps;
  const log = deps.log ?? (() => {});
  if (!app.requestSingleInstanceLock()) {
    app.quit();
    return { state: 'secondary' };
  }

  let core: C | undefined;
  let window: DesktopWindow | undefined;
  let stopRpc: (() => void) | undefined;
  let quitting = false;

  const openWindow = () => {
    window = deps.createWindow();
  };
  const hasWindow = () => window !== undefined && !window.isDestroyed();

  app.on('web-contents-created', (_event, contents) =>
    hardenWebContents(contents, { isAppUrl: deps.isAppUrl, openExternal: deps.openExternal, onBlocked: (what, url) => log(`blocked ${what}: ${url}`) }),
  );
  app.on('second-instance', () => {
    if (!hasWindow()) {
      if (core) openWindow();
      return;
    }
    if (window!.isMinimized()) window!.restore();
    window!.focus();
  });
  app.on('window-all-closed', () => {
    // macOS apps stay in the dock with no window until the user quits them.
    if (deps.platform !== 'darwin') app.quit();
  });
  app.on('activate', () => {
    if (core && !quitting && !hasWindow()) openWindow();
  });
  app.on('will-quit', () => {
    quitting = true;
    stopRpc?.();
    core?.dispose();
  });

  await app.whenReady();
  // Quit asked for while starting (a signal, the dock menu): do not open the store at all.
  if (quitting) return { state: 'failed' };
  hardenSession(deps.defaultSession());

  try {
    core = deps.createCore();
  } catch (err) {
    deps.showError('Lathe cannot start', deps.describeError(err));
    app.quit();
    return { state: 'failed' };
  }

  const serve = deps.createRpcServer(core);
  stopRpc = listenForRpcPorts(deps.ipcMain, {
    isTrustedSender: (frame) => isTrustedSender(frame, deps.isAppUrl),
    serve,
    onRejected: (reason) => log(`refused RPC port: ${reason}`),
  });
  openWindow();
  return { state: 'running', core };
}
