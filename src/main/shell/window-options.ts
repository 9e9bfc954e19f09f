/**
 * The webPreferences every Lathe window gets. Spelled out even where they equal Electron's
 * defaults, so a future default change or a careless edit shows up in review and in
 * window-options.test.ts.
 */
export interface SecureWebPreferences {
  preload: string;
  contextIsolation: true;
  sandbox: true;
  nodeIntegration: false;
  nodeIntegrationInWorker: false;
  nodeIntegrationInSubFrames: false;
  webSecurity: true;
  allowRunningInsecureContent: false;
  webviewTag: false;
  spellcheck: false;
  navigateOnDragDrop: false;
  safeDialogs: true;
}

/**
 * @param preloadPath absolute path of the built preload (`out/preload/index.cjs`; a sandboxed
 *   preload must be CommonJS).
 */
export function secureWebPreferences(preloadPath: string): SecureWebPreferences {
  return {
    preload: preloadPath,
    contextIsolation: true,
    sandbox: true,
    nodeIntegration: false,
    nodeIntegrationInWorker: false,
    nodeIntegrationInSubFrames: false,
    webSecurity: true,
    allowRunningInsecureContent: false,
    webviewTag: false,
    // The spellchecker fetches dictionaries from Google's CDN: no remote content, and labs
    // without internet would see it fail.
    spellcheck: false,
    // A file dropped on the window would otherwise replace the app page with that file.
    navigateOnDragDrop: false,
    safeDialogs: true,
  };
}

/** Constructor options of the main window (a subset of BrowserWindowConstructorOptions). */
export interface MainWindowOptions {
  title: string;
  width: number;
  height: number;
  minWidth: number;
  minHeight: number;
  show: false;
  webPreferences: SecureWebPreferences;
}

/** The main window: hidden until its first paint (no white flash), then shown by the shell. */
export function mainWindowOptions(preloadPath: string): MainWindowOptions {
  return {
    title: 'Lathe',
    width: 1400,
    height: 900,
    minWidth: 900,
    minHeight: 600,
    show: false,
    webPreferences: secureWebPreferences(preloadPath),
  };
}
