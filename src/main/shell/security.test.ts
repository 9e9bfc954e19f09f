import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it, vi } from 'vitest';
import { createAppUrlMatcher } from './app-url';
import { CONTENT_SECURITY_POLICY } from './csp';
import { hardenSession, hardenWebContents, isTrustedSender } from './security';
import { FakeSession, FakeWebContents, frame } from './test-fakes';

const APP_URL = pathToFileURL(path.resolve('/opt/lathe/out/renderer/index.html')).href;
const isAppUrl = createAppUrlMatcher({ indexFile: path.resolve('/opt/lathe/out/renderer/index.html') });

function hardened() {
  const contents = new FakeWebContents();
  const openExternal = vi.fn(async (_url: string) => {});
  const onBlocked = vi.fn();
  hardenWebContents(contents, { isAppUrl, openExternal, onBlocked });
  return { contents, openExternal, onBlocked };
}

describe('hardenWebContents: navigation', () => {
  it('without the guard, nothing is prevented (the fake is honest)', () => {
    const contents = new FakeWebContents();
    expect(contents.attempt('will-navigate', 'https://evil.example/')).toBe(false);
    expect(contents.open('https://evil.example/')).toBeUndefined();
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'] as const)('%s to a foreign URL is prevented', (kind) => {
    const { contents, onBlocked } = hardened();
    for (const url of ['https://evil.example/', 'http://localhost:5173/', 'file:///etc/passwd', 'javascript:alert(1)', 'about:blank']) {
      expect(contents.attempt(kind, url), `${kind} ${url}`).toBe(true);
    }
    expect(onBlocked).toHaveBeenCalled();
  });

  it.each(['will-navigate', 'will-frame-navigate', 'will-redirect'] as const)('%s to the app page is allowed', (kind) => {
    const { contents } = hardened();
    expect(contents.attempt(kind, APP_URL)).toBe(false);
    expect(contents.attempt(kind, `${APP_URL}#/experiments/1`)).toBe(false);
  });

  it('a navigation event without a URL is prevented', () => {
    const { contents } = hardened();
    expect(contents.attempt('will-navigate')).toBe(true);
  });

  it('webview attachment is prevented, whatever it loads', () => {
    const { contents } = hardened();
    expect(contents.attempt('will-attach-webview')).toBe(true);
    expect(contents.attempt('will-attach-webview', APP_URL)).toBe(true);
  });
});

describe('hardenWebContents: window.open', () => {
  it('denies every new window and opens https URLs in the OS browser', () => {
    const { contents, openExternal } = hardened();
    expect(contents.open('https://mlflow.org/docs/')).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://mlflow.org/docs/');
  });

  it('never hands other schemes to the OS', () => {
    const { contents, openExternal, onBlocked } = hardened();
    for (const url of ['javascript:alert(1)', 'file:///etc/passwd', 'http://example.com/', 'smb://host/share', 'https://user:pw@example.com/', APP_URL]) {
      expect(contents.open(url), url).toEqual({ action: 'deny' });
    }
    expect(openExternal).not.toHaveBeenCalled();
    expect(onBlocked).toHaveBeenCalledTimes(6);
  });

  it('survives openExternal failing', async () => {
    const contents = new FakeWebContents();
    const onBlocked = vi.fn();
    hardenWebContents(contents, { isAppUrl, openExternal: () => Promise.reject(new Error('no browser')), onBlocked });
    expect(contents.open('https://example.com/')).toEqual({ action: 'deny' });
    await new Promise((r) => setImmediate(r));
    expect(onBlocked).toHaveBeenCalledWith(expect.stringContaining('no browser'), 'https://example.com/');
  });
});

describe('hardenSession', () => {
  it('denies every permission request and check', async () => {
    const session = new FakeSession();
    expect(await session.requestPermission('media')).toBe(true); // Electron's default without a handler
    hardenSession(session);
    for (const permission of ['media', 'geolocation', 'notifications', 'clipboard-read', 'hid', 'serial', 'usb', 'openExternal', 'fullscreen']) {
      expect(await session.requestPermission(permission), permission).toBe(false);
      expect(session.checkPermission(permission), permission).toBe(false);
    }
  });

  it('adds the CSP header to responses and keeps their other headers', async () => {
    const session = new FakeSession();
    hardenSession(session);
    const headers = await session.respond('http://localhost:5173/', { 'Content-Type': ['text/html'] });
    expect(headers).toEqual({ 'Content-Type': ['text/html'], 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});

describe('isTrustedSender', () => {
  it('trusts the app page in a top-level frame', () => {
    expect(isTrustedSender(frame(APP_URL), isAppUrl)).toBe(true);
    expect(isTrustedSender(frame(`${APP_URL}#/runs`), isAppUrl)).toBe(true);
  });

  it('rejects foreign pages, subframes (even of the app URL), gone and detached frames', () => {
    expect(isTrustedSender(frame('https://evil.example/'), isAppUrl)).toBe(false);
    expect(isTrustedSender(frame('file:///tmp/evil.html'), isAppUrl)).toBe(false);
    expect(isTrustedSender(frame(APP_URL, frame(APP_URL)), isAppUrl)).toBe(false);
    expect(isTrustedSender(frame(APP_URL, null, true), isAppUrl)).toBe(false);
    expect(isTrustedSender(null, isAppUrl)).toBe(false);
    expect(isTrustedSender(undefined, isAppUrl)).toBe(false);
  });

  it('rejects a frame whose properties throw (destroyed)', () => {
    const destroyed = {
      get url(): string {
        throw new Error('Render frame was disposed');
      },
      parent: null,
    };
    expect(isTrustedSender(destroyed, isAppUrl)).toBe(false);
  });
});
