import { describe, expect, it } from 'vitest';
import { isAllowedHost, isAllowedOrigin, isLoopback, tokenMatches } from './request-guard';

describe('isAllowedHost (DNS-rebinding guard)', () => {
  it('accepts IP literals and localhost on the server port', () => {
    for (const h of ['127.0.0.1:7860', 'localhost:7860', '[::1]:7860', '10.0.0.5:7860', 'LOCALHOST:7860']) expect(isAllowedHost(h, 7860), h).toBe(true);
  });
  it('refuses other names, other ports, and missing or malformed hosts', () => {
    for (const h of ['evil.example:7860', 'evil.example', '127.0.0.1:80', '127.0.0.1', 'localhost.evil.example:7860', '', undefined, 'a b:7860', 'user@127.0.0.1:7860']) {
      expect(isAllowedHost(h, 7860), String(h)).toBe(false);
    }
  });
  it('accepts names the user allowed', () => {
    expect(isAllowedHost('gpu-box:7860', 7860, ['gpu-box'])).toBe(true);
    expect(isAllowedHost('gpu-box:7860', 7860)).toBe(false);
  });
});

describe('isAllowedOrigin', () => {
  it('accepts no Origin (same-origin GET, CLI) and the server origin', () => {
    expect(isAllowedOrigin(undefined, 7860)).toBe(true);
    expect(isAllowedOrigin('http://127.0.0.1:7860', 7860)).toBe(true);
  });
  it('refuses foreign, null, https and other-port origins', () => {
    for (const o of ['http://evil.example:7860', 'null', 'https://127.0.0.1:7860', 'http://127.0.0.1:9999', 'file://']) expect(isAllowedOrigin(o, 7860), o).toBe(false);
  });
});

describe('tokenMatches', () => {
  it('needs the exact token', () => {
    expect(tokenMatches('abc', 'abc')).toBe(true);
    expect(tokenMatches('abd', 'abc')).toBe(false);
    expect(tokenMatches('ab', 'abc')).toBe(false);
    expect(tokenMatches(undefined, 'abc')).toBe(false);
  });
});

describe('isLoopback', () => {
  it('knows loopback from the rest', () => {
    expect(['127.0.0.1', '127.1.2.3', '::1', 'localhost'].every(isLoopback)).toBe(true);
    expect(['0.0.0.0', '10.1.1.1', '::', 'example.org'].some(isLoopback)).toBe(false);
  });
});
