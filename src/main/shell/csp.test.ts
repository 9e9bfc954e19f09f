import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { CONTENT_SECURITY_POLICY, RENDERER_META_POLICY, withContentSecurityPolicy } from './csp';

describe('CONTENT_SECURITY_POLICY', () => {
  it('is the renderer page meta tag policy, plus frame-ancestors', () => {
    const html = fs.readFileSync(path.resolve(__dirname, '../../renderer/index.html'), 'utf8');
    const meta = /<meta\s+http-equiv="Content-Security-Policy"\s+content="([^"]+)"/i.exec(html);
    expect(meta, 'index.html has a CSP meta tag').not.toBeNull();
    expect(RENDERER_META_POLICY, 'update csp.ts when the meta tag changes').toBe(meta![1]);
    expect(CONTENT_SECURITY_POLICY).toBe(`${meta![1]}; frame-ancestors 'none'`);
  });

  it('allows no remote scripts, no inline scripts, no plugins, no framing', () => {
    const directives = new Map(CONTENT_SECURITY_POLICY.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
    expect(directives.get('default-src')).toEqual(["'self'"]);
    expect(directives.get('script-src')).toEqual(["'self'"]);
    expect(directives.get('object-src')).toEqual(["'none'"]);
    expect(directives.get('frame-ancestors')).toEqual(["'none'"]);
    expect(CONTENT_SECURITY_POLICY).not.toMatch(/unsafe-eval|https?:|\*/);
  });
});

describe('withContentSecurityPolicy', () => {
  it('adds the policy and keeps the other headers', () => {
    const out = withContentSecurityPolicy({ 'Content-Type': ['text/html'] });
    expect(out['Content-Type']).toEqual(['text/html']);
    expect(out['Content-Security-Policy']).toEqual([CONTENT_SECURITY_POLICY]);
  });

  it('keeps a policy the response already had (any header case) beside ours', () => {
    const out = withContentSecurityPolicy({ 'content-security-policy': "default-src 'none'" });
    expect(out['content-security-policy']).toEqual(["default-src 'none'", CONTENT_SECURITY_POLICY]);
    expect(Object.keys(out)).toHaveLength(1);
  });

  it('works when the response had no headers', () => {
    expect(withContentSecurityPolicy(undefined)).toEqual({ 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] });
  });
});
