import { pathToFileURL } from 'node:url';

/** Where the app's own page comes from: the built index.html, the dev server, or both. */
export interface AppLocation {
  /** Absolute path of the built renderer's index.html (production and `electron-vite preview`). */
  indexFile?: string;
  /** Origin of the renderer dev server (`electron-vite dev` sets ELECTRON_RENDERER_URL). */
  devServerUrl?: string;
}

/** Answers whether a URL is the app's own page. */
export type AppUrlMatcher = (url: string) => boolean;

/**
 * Builds the one test every guard uses for "is this our own page": the exact file:// URL of
 * the built index.html (any hash, since the UI routes with HashRouter), or any URL on the dev
 * server's origin. Anything else — other files, other hosts, other schemes — is foreign.
 *
 * File URLs are compared after URL parsing, so `..` segments and percent-encoding cannot
 * make another file look like the index.
 * @returns false for unparseable URLs, never throws.
 */
export function createAppUrlMatcher(location: AppLocation): AppUrlMatcher {
  const index = location.indexFile ? pathToFileURL(location.indexFile) : undefined;
  const devOrigin = location.devServerUrl ? parseUrl(location.devServerUrl)?.origin : undefined;
  // An opaque origin ("null") would match every other opaque-origin URL.
  const usableDevOrigin = devOrigin && devOrigin !== 'null' ? devOrigin : undefined;
  return (raw: string) => {
    const url = parseUrl(raw);
    if (!url) return false;
    if (index && url.protocol === 'file:') return url.host === index.host && url.pathname === index.pathname;
    if (usableDevOrigin && (url.protocol === 'http:' || url.protocol === 'https:')) return url.origin === usableDevOrigin;
    return false;
  };
}

function parseUrl(raw: string): URL | undefined {
  try {
    return new URL(raw);
  } catch {
    return undefined;
  }
}
