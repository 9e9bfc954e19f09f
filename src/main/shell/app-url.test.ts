import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createAppUrlMatcher } from './app-url';

const indexFile = path.resolve('/opt/lathe/out/renderer/index.html');
const indexUrl = pathToFileURL(indexFile).href;

describe('createAppUrlMatcher (built index.html)', () => {
  const isAppUrl = createAppUrlMatcher({ indexFile });

  it('accepts the index itself, with any HashRouter route', () => {
    expect(isAppUrl(indexUrl)).toBe(true);
    expect(isAppUrl(`${indexUrl}#/runs/abc?tab=metrics`)).toBe(true);
  });

  it('refuses other files, look-alike paths and other schemes', () => {
    const others = [
      pathToFileURL(path.resolve('/opt/lathe/out/renderer/other.html')).href,
      pathToFileURL(path.resolve('/etc/passwd')).href,
      `${indexUrl}.evil`,
      `${pathToFileURL(path.resolve('/opt/lathe/out/renderer/x')).href}/../../../../etc/passwd`,
      'file://evil.example' + new URL(indexUrl).pathname,
      'https://evil.example/index.html',
      'http://localhost:5173/',
      'javascript:alert(1)',
      'about:blank',
      'data:text/html,<script>1</script>',
      'not a url',
      '',
    ];
    for (const url of others) expect(isAppUrl(url), url).toBe(false);
  });

  it('sees through `..` and percent-encoding that lead back to the index', () => {
    const viaDots = pathToFileURL(path.resolve('/opt/lathe/out/renderer/assets')).href + '/../index.html';
    expect(isAppUrl(viaDots)).toBe(true);
  });
});

describe('createAppUrlMatcher (dev server)', () => {
  const isAppUrl = createAppUrlMatcher({ devServerUrl: 'http://localhost:5173/' });

  it('accepts any path on the dev server origin', () => {
    expect(isAppUrl('http://localhost:5173/')).toBe(true);
    expect(isAppUrl('http://localhost:5173/src/main.tsx')).toBe(true);
  });

  it('refuses other ports, hosts, schemes, and the file index it was not given', () => {
    for (const url of ['http://localhost:5174/', 'https://localhost:5173/', 'http://127.0.0.1:5173/', 'http://localhost.evil.example:5173/', indexUrl]) {
      expect(isAppUrl(url), url).toBe(false);
    }
  });

  it('matches nothing for an unparseable or opaque dev server URL', () => {
    expect(createAppUrlMatcher({ devServerUrl: 'nonsense' })('http://localhost:5173/')).toBe(false);
    expect(createAppUrlMatcher({ devServerUrl: 'data:text/html,x' })('data:text/html,x')).toBe(false);
    expect(createAppUrlMatcher({})('http://localhost:5173/')).toBe(false);
  });
});
