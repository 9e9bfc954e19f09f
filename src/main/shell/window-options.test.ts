import { describe, expect, it } from 'vitest';
import { mainWindowOptions, secureWebPreferences } from './window-options';

describe('secureWebPreferences', () => {
  it('isolates and sandboxes the page with no Node access', () => {
    const prefs = secureWebPreferences('/app/out/preload/index.cjs');
    expect(prefs).toMatchObject({
      preload: '/app/out/preload/index.cjs',
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      spellcheck: false,
      navigateOnDragDrop: false,
    });
  });

  it('sets no option that would weaken those', () => {
    const prefs: object = secureWebPreferences('/p.cjs');
    for (const risky of ['experimentalFeatures', 'enableBlinkFeatures', 'additionalArguments', 'partition', 'javascript', 'plugins']) {
      expect(prefs, risky).not.toHaveProperty(risky);
    }
  });
});

describe('mainWindowOptions', () => {
  it('uses the secure preferences and stays hidden until first paint', () => {
    const opts = mainWindowOptions('/p.cjs');
    expect(opts.webPreferences).toEqual(secureWebPreferences('/p.cjs'));
    expect(opts.show).toBe(false);
    expect(opts.title).toBe('Lathe');
  });
});
