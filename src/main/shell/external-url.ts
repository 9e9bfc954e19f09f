/**
 * Parses a URL the page asked to open and returns it only when the OS browser may open it:
 * `https:` with a host and no embedded credentials. Everything else (`http:`, `file:`,
 * `javascript:`, `data:`, custom schemes that launch other apps, `https://user:pw@…`
 * look-alikes) returns null. Never throws.
 */
export function parseExternalUrl(raw: string): URL | null {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return null;
  }
  if (url.protocol !== 'https:' || url.hostname === '') return null;
  if (url.username !== '' || url.password !== '') return null;
  return url;
}
