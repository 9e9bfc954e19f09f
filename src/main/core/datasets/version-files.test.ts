import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { manifestDigest } from './version-files';

describe('version digest', () => {
  const a = { path: 'b.csv', size: 3, sha256: 'a'.repeat(64) };
  const b = { path: 'a/x.csv', size: 5, sha256: 'b'.repeat(64) };

  it('is the SHA-256 of the manifest text, files in path order', () => {
    const text = `lathe-dataset-manifest/1\n${b.sha256} 5 a/x.csv\n${a.sha256} 3 b.csv\n`;
    expect(manifestDigest([a, b])).toBe(createHash('sha256').update(text).digest('hex'));
    expect(manifestDigest([b, a])).toBe(manifestDigest([a, b]));
  });

  it('changes with a path, a size or a content hash', () => {
    const base = manifestDigest([a, b]);
    expect(manifestDigest([{ ...a, path: 'c.csv' }, b])).not.toBe(base);
    expect(manifestDigest([{ ...a, size: 4 }, b])).not.toBe(base);
    expect(manifestDigest([{ ...a, sha256: 'c'.repeat(64) }, b])).not.toBe(base);
  });
});
