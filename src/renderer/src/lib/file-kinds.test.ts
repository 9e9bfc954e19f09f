import { describe, expect, it } from 'vitest';
import { extensionOf, imageMimeType, isImageName, isTextName, languageOf, looksLikeText } from './file-kinds';

describe('file kinds', () => {
  it('reads extensions and languages', () => {
    expect(extensionOf('model/MLmodel')).toBe('');
    expect(extensionOf('a/b.tar.GZ')).toBe('gz');
    expect(extensionOf('.gitignore')).toBe('');
    expect(languageOf('src/train.py')).toBe('python');
    expect(languageOf('run.sh')).toBe('shell');
    expect(languageOf('conf/x.yml')).toBe('yaml');
    expect(languageOf('model/MLmodel')).toBe('yaml');
    expect(languageOf('data.bin')).toBe('plaintext');
  });
  it('tells text and images from their names, and binary from bytes', () => {
    expect(isTextName('metrics.json')).toBe(true);
    expect(isTextName('model/MLmodel')).toBe(true);
    expect(isTextName('model.pkl')).toBe(false);
    expect(isImageName('plots/confusion.PNG')).toBe(true);
    expect(imageMimeType('a/loss.svg')).toBe('image/svg+xml');
    expect(imageMimeType('b.JPG')).toBe('image/jpeg');
    expect(imageMimeType('c.txt')).toBe('');
    expect(looksLikeText(new TextEncoder().encode('hello'))).toBe(true);
    expect(looksLikeText(new Uint8Array([1, 0, 2]))).toBe(false);
  });
});
