import { BrowserWindow } from 'electron';
import { mainWindowOptions } from './window-options';

export interface MainWindowSource {
  preloadPath: string;
  /** The built renderer's index.html, loaded when there is no dev server. */
  indexFile: string;
  /** `electron-vite dev`'s renderer URL; only ever set for an unpackaged app. */
  devServerUrl?: string;
  log: (message: string) => void;
}

/**
 * Creates the main window with the secure webPreferences and loads the app page. The
 * window stays hidden until its first paint. Load failures are logged, not thrown: the window
 * exists either way and the user can reload it.
 */
export function createMainWindow(source: MainWindowSource): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(source.preloadPath));
  window.once('ready-to-show', () => window.show());
  const loading = source.devServerUrl ? window.loadURL(source.devServerUrl) : window.loadFile(source.indexFile);
  loading.catch((err: unknown) => source.log(`the app page did not load: ${err instanceof Error ? err.message : String(err)}`));
  return window;
}
