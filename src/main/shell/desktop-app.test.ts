import { EventEmitter } from 'node:events';
import { describe, expect, it, vi } from 'vitest';
import { START_RPC_MESSAGE } from '../../shared/api/bridge';
import { createAppUrlMatcher } from './app-url';
import { startDesktopApp, type DesktopApp, type DesktopAppDeps, type DesktopWindow } from './desktop-app';
import type { RpcIpcMain } from './rpc-port';
import { FakeMainPort, FakeSession, FakeWebContents, frame } from './test-fakes';

const APP_URL = 'file:///opt/lathe/out/renderer/index.html';

class FakeApp extends EventEmitter implements DesktopApp {
  quit = vi.fn();
  private ready!: () => void;
  readyPromise = new Promise<void>((resolve) => (this.ready = resolve));
  constructor(private readonly lock = true) {
    super();
  }
  requestSingleInstanceLock(): boolean {
    return this.lock;
  }
  whenReady(): Promise<unknown> {
    return this.readyPromise;
  }
  becomeReady(): void {
    this.ready();
  }
}

class FakeWindow implements DesktopWindow {
  destroyed = false;
  minimized = false;
  restore = vi.fn(() => {
    this.minimized = false;
  });
  focus = vi.fn();
  isDestroyed() {
    return this.destroyed;
  }
  isMinimized() {
    return this.minimized;
  }
}

class FakeIpcMain extends EventEmitter implements RpcIpcMain {}

interface TestCore {
  dispose: () => void;
}

function setup(overrides: Partial<DesktopAppDeps<TestCore>> & { lock?: boolean } = {}) {
  const app = new FakeApp(overrides.lock ?? true);
  const ipcMain = new FakeIpcMain();
  const session = new FakeSession();
  const windows: FakeWindow[] = [];
  const core = { dispose: vi.fn<() => void>() };
  const serve = vi.fn();
  const deps: DesktopAppDeps<TestCore> = {
    app,
    ipcMain,
    defaultSession: () => session,
    isAppUrl: createAppUrlMatcher({ indexFile: '/opt/lathe/out/renderer/index.html' }),
    openExternal: vi.fn(async () => {}),
    createCore: vi.fn((): TestCore => core),
    createRpcServer: vi.fn(() => serve),
    createWindow: vi.fn(() => {
      const w = new FakeWindow();
      windows.push(w);
      return w;
    }),
    showError: vi.fn(),
    describeError: (err) => `described: ${String(err)}`,
    platform: 'linux',
    ...overrides,
  };
  app.becomeReady();
  return { app, ipcMain, session, windows, core, serve, deps, started: startDesktopApp(deps) };
}

describe('startDesktopApp', () => {
  it('a second instance quits at once and opens nothing', async () => {
    const { app, deps, started } = setup({ lock: false });
    expect((await started).state).toBe('secondary');
    expect(app.quit).toHaveBeenCalled();
    expect(deps.createCore).not.toHaveBeenCalled();
    expect(deps.createWindow).not.toHaveBeenCalled();
  });

  it('starts the core, hardens the session and opens one window', async () => {
    const { session, windows, deps, started } = setup();
    const handle = await started;
    expect(handle.state).toBe('running');
    expect(deps.createCore).toHaveBeenCalledTimes(1);
    expect(windows).toHaveLength(1);
    expect(await session.requestPermission('media')).toBe(false);
  });

  it('hardens every webContents created', async () => {
    const { app, started } = setup();
    await started;
    const contents = new FakeWebContents();
    app.emit('web-contents-created', {}, contents);
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(true);
    expect(contents.attempt('will-navigate', APP_URL)).toBe(false);
    expect(contents.open('javascript:alert(1)')).toEqual({ action: 'deny' });
  });

  it('serves RPC ports from the app page only', async () => {
    const { ipcMain, serve, started } = setup();
    await started;
    const [evilPort] = FakeMainPort.pair();
    ipcMain.emit(START_RPC_MESSAGE, { senderFrame: frame('https://evil.example/'), ports: [evilPort] });
    expect(serve).not.toHaveBeenCalled();
    expect(evilPort.closed).toBe(true);
    const [appPort] = FakeMainPort.pair();
    ipcMain.emit(START_RPC_MESSAGE, { senderFrame: frame(APP_URL), ports: [appPort] });
    expect(serve).toHaveBeenCalledExactlyOnceWith(appPort);
  });

  it('disposes the core once on will-quit and stops taking ports', async () => {
    const { app, ipcMain, core, started } = setup();
    await started;
    expect(core.dispose).not.toHaveBeenCalled();
    app.emit('will-quit');
    expect(core.dispose).toHaveBeenCalledTimes(1);
    expect(ipcMain.listenerCount(START_RPC_MESSAGE)).toBe(0);
  });

  it('a quit during start-up never opens the store', async () => {
    const app = new FakeApp();
    const { deps } = setup();
    const createCore = vi.fn(() => ({ dispose: vi.fn() }));
    const started = startDesktopApp({ ...deps, app, createCore });
    app.emit('will-quit');
    app.becomeReady();
    expect((await started).state).toBe('failed');
    expect(createCore).not.toHaveBeenCalled();
  });

  it('explains a core that cannot start, quits, and opens no window', async () => {
    const { app, deps, started } = setup({
      createCore: () => {
        throw new Error('NODE_MODULE_VERSION 115');
      },
    });
    expect((await started).state).toBe('failed');
    expect(deps.showError).toHaveBeenCalledWith('Lathe cannot start', 'described: Error: NODE_MODULE_VERSION 115');
    expect(app.quit).toHaveBeenCalled();
    expect(deps.createWindow).not.toHaveBeenCalled();
  });

  it('quits when the last window closes, except on macOS', async () => {
    const linux = setup();
    await linux.started;
    linux.app.emit('window-all-closed');
    expect(linux.app.quit).toHaveBeenCalled();

    const mac = setup({ platform: 'darwin' });
    await mac.started;
    mac.app.emit('window-all-closed');
    expect(mac.app.quit).not.toHaveBeenCalled();
  });

  it('re-creates the window on activate only when it is gone', async () => {
    const { app, windows, started } = setup({ platform: 'darwin' });
    await started;
    app.emit('activate');
    expect(windows).toHaveLength(1);
    windows[0]!.destroyed = true;
    app.emit('activate');
    expect(windows).toHaveLength(2);
  });

  it('a second launch restores and focuses the existing window', async () => {
    const { app, windows, started } = setup();
    await started;
    windows[0]!.minimized = true;
    app.emit('second-instance');
    expect(windows[0]!.restore).toHaveBeenCalled();
    expect(windows[0]!.focus).toHaveBeenCalled();
    expect(windows).toHaveLength(1);
  });
});
