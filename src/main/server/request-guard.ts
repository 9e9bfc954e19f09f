import net from 'node:net';
import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';

/**
 * DNS-rebinding guard: a page on an attacker's domain that resolves to 127.0.0.1 sends its
 * own domain in Host and Origin. Lathe accepts only host names that cannot be rebound — IP
 * literals and `localhost` — plus names the user allowed, each with the server's own port.
 */
export function isAllowedHost(hostHeader: string | undefined, port: number, extraHosts: readonly string[] = []): boolean {
  if (!hostHeader) return false;
  let url: URL;
  try {
    url = new URL(`http://${hostHeader}`);
  } catch {
    return false;
  }
  if (url.username || url.password || url.pathname !== '/') return false;
  const urlPort = url.port === '' ? 80 : Number(url.port);
  if (urlPort !== port) return false;
  const name = url.hostname.replace(/^\[|\]$/g, '').toLowerCase();
  return name === 'localhost' || net.isIP(name) !== 0 || extraHosts.map((h) => h.toLowerCase()).includes(name);
}

/** An Origin header, when present, must be this server's own http origin. */
export function isAllowedOrigin(originHeader: string | undefined, port: number, extraHosts: readonly string[] = []): boolean {
  if (originHeader === undefined) return true;
  let url: URL;
  try {
    url = new URL(originHeader);
  } catch {
    return false;
  }
  if (url.protocol !== 'http:') return false;
  return isAllowedHost(url.host, port, extraHosts);
}

/** Constant-time comparison of a presented token with the install's token. */
export function tokenMatches(presented: string | undefined, expected: string): boolean {
  if (!presented) return false;
  const a = Buffer.from(presented);
  const b = Buffer.from(expected);
  return a.length === b.length && timingSafeEqual(a, b);
}

/** The token a request presents: `Authorization: Bearer …`, else the `token` query parameter. */
export function presentedToken(req: IncomingMessage): string | undefined {
  const auth = req.headers.authorization;
  // The scheme is case-insensitive (RFC 9110 §11.1).
  if (auth && /^bearer /i.test(auth)) return auth.slice('bearer '.length).trim();
  const q = new URL(req.url ?? '/', 'http://x').searchParams.get('token');
  return q ?? undefined;
}

/** True for 127.0.0.0/8, ::1 and `localhost`. */
export function isLoopback(host: string): boolean {
  if (host === 'localhost') return true;
  if (net.isIPv4(host)) return host.startsWith('127.');
  return host === '::1' || host === '[::1]';
}
