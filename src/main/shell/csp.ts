/**
 * The policy of the `<meta http-equiv>` in src/renderer/index.html, which must stay identical
 * (csp.test.ts checks): the meta tag is what protects the file:// page, because Electron fires
 * no header events for file:// responses.
 */
export const RENDERER_META_POLICY =
  "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data: blob:; font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'";

/**
 * The Content-Security-Policy header for the renderer's http responses (the dev server, or any
 * page that would arrive without the meta tag): the meta policy plus `frame-ancestors`, which
 * browsers honour only in a header.
 */
export const CONTENT_SECURITY_POLICY = `${RENDERER_META_POLICY}; frame-ancestors 'none'`;

/** Response headers as Electron's webRequest hands them over. */
export type ResponseHeaders = Record<string, string[] | string>;

/**
 * Returns a copy of `headers` that also carries {@link CONTENT_SECURITY_POLICY}. A policy the
 * response already had is kept beside ours: browsers enforce every policy present, so adding
 * can only tighten, while replacing could loosen a stricter one.
 */
export function withContentSecurityPolicy(headers: ResponseHeaders | undefined): ResponseHeaders {
  const out: ResponseHeaders = { ...(headers ?? {}) };
  const key = Object.keys(out).find((k) => k.toLowerCase() === 'content-security-policy') ?? 'Content-Security-Policy';
  const existing = out[key];
  const values = existing === undefined ? [] : Array.isArray(existing) ? existing : [existing];
  out[key] = [...values, CONTENT_SECURITY_POLICY];
  return out;
}
