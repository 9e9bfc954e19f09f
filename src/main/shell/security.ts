import type { AppUrlMatcher } from './app-url';
import { withContentSecurityPolicy, type ResponseHeaders } from './csp';
import { parseExternalUrl } from './external-url';

/** The part of an Electron event the guards use. */
export interface GuardedEvent {
  /** Present on navigation events (Electron 25+ puts the target URL on the event). */
  url?: string;
  preventDefault(): void;
}

/** What {@link hardenWebContents} needs of Electron's WebContents. */
export interface GuardedWebContents {
  on(event: 'will-navigate' | 'will-frame-navigate' | 'will-redirect' | 'will-attach-webview', listener: (event: GuardedEvent) => void): unknown;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: 'deny' }): void;
}

/** What {@link hardenSession} needs of Electron's Session. */
export interface GuardedSession {
  setPermissionRequestHandler(handler: (webContents: unknown, permission: string, callback: (granted: boolean) => void) => void): void;
  setPermissionCheckHandler(handler: (webContents: unknown, permission: string) => boolean): void;
  webRequest: {
    onHeadersReceived(
      listener: (details: { url: string; responseHeaders?: ResponseHeaders }, callback: (response: { responseHeaders?: ResponseHeaders }) => void) => void,
    ): void;
  };
}

/** The part of Electron's WebFrameMain that {@link isTrustedSender} reads. */
export interface SenderFrame {
  readonly url: string;
  readonly parent: SenderFrame | null;
  readonly detached?: boolean;
}

export interface WebContentsGuardOptions {
  isAppUrl: AppUrlMatcher;
  /** Opens a URL in the OS browser (Electron's `shell.openExternal`); only ever given https URLs. */
  openExternal: (url: string) => Promise<void>;
  /** Told about every blocked attempt, for the log. */
  onBlocked?: (what: string, url: string) => void;
}

/**
 * Locks a webContents to the app's own page:
 * - navigation and redirects (main frame and subframes) to anything but the app URL are
 *   cancelled, so a link, a script or a server redirect can never put remote content where
 *   the preload's bridge is reachable;
 * - `window.open` and `target=_blank` never create a window; a parsed `https:` URL goes to
 *   the OS browser instead, any other scheme is dropped (file:, javascript:, app-launching
 *   schemes);
 * - `<webview>` attachment is refused (webviewTag is off too; this is the second lock).
 *
 * Attach it to every webContents (`app.on('web-contents-created')`), so a webContents the
 * shell did not create itself is covered as well. Programmatic `loadURL`/`loadFile` by main
 * is not affected: Electron emits these events only for page-initiated navigation.
 */
export function hardenWebContents(contents: GuardedWebContents, options: WebContentsGuardOptions): void {
  const blockForeign = (kind: string) => (event: GuardedEvent) => {
    const url = event.url ?? '';
    if (options.isAppUrl(url)) return;
    event.preventDefault();
    options.onBlocked?.(kind, url);
  };
  contents.on('will-navigate', blockForeign('navigation'));
  contents.on('will-frame-navigate', blockForeign('frame navigation'));
  contents.on('will-redirect', blockForeign('redirect'));
  contents.on('will-attach-webview', (event) => {
    event.preventDefault();
    options.onBlocked?.('webview', event.url ?? '');
  });
  contents.setWindowOpenHandler(({ url }) => {
    const external = parseExternalUrl(url);
    if (external) {
      options.openExternal(external.href).catch((err: unknown) => options.onBlocked?.(`external open failed (${String(err)})`, external.href));
    } else {
      options.onBlocked?.('window.open', url);
    }
    return { action: 'deny' };
  });
}

/**
 * Session-wide guards: every permission request (camera, microphone, geolocation,
 * notifications, HID/USB/serial, clipboard, …) is denied and every permission check answers
 * false, since the UI needs none; every response gets the app's Content-Security-Policy
 * header (see csp.ts for why the meta tag is still what protects file://).
 */
export function hardenSession(session: GuardedSession): void {
  session.setPermissionRequestHandler((_webContents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({ responseHeaders: withContentSecurityPolicy(details.responseHeaders) });
  });
}

/**
 * Whether an IPC message comes from the app's own page: the sending frame must still exist,
 * be a top-level frame (an iframe never speaks for the app, whatever it loaded) and show the
 * app URL. `null` (the frame navigated away or was destroyed before the message was handled)
 * is untrusted.
 * @returns false instead of throwing when the frame's properties cannot be read.
 */
export function isTrustedSender(frame: SenderFrame | null | undefined, isAppUrl: AppUrlMatcher): boolean {
  if (!frame) return false;
  try {
    if (frame.detached) return false;
    if (frame.parent !== null) return false;
    return isAppUrl(frame.url);
  } catch {
    return false;
  }
}
