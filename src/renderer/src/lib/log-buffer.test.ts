import { describe, expect, it } from 'vitest';
import { cleanLogLine, LogBuffer, utf8Length } from './log-buffer';

describe('cleanLogLine', () => {
  it('strips ANSI colours and control characters', () => {
    expect(cleanLogLine('\x1b[32mok\x1b[0m done\x07')).toBe('ok done');
    expect(cleanLogLine('\x1b]0;title\x07text')).toBe('text');
    expect(cleanLogLine('a\tb')).toBe('a\tb');
  });
  it('keeps what a terminal shows after carriage returns', () => {
    expect(cleanLogLine('10%\r50%\r100%')).toBe('100%');
    expect(cleanLogLine('\x1b[32mINFO\x1b[0m step 3\r25%')).toBe('25%O step 3');
    expect(cleanLogLine('windows line\r')).toBe('windows line');
  });
});

describe('utf8Length', () => {
  it('counts UTF-8 bytes', () => {
    expect(utf8Length('abc')).toBe(3);
    expect(utf8Length('é')).toBe(2);
    expect(utf8Length('→')).toBe(3);
    expect(utf8Length('😀')).toBe(4);
    expect(utf8Length('a😀é')).toBe(7);
  });
});

describe('LogBuffer', () => {
  it('joins lines split across chunks and tracks byte offsets', () => {
    const b = new LogBuffer();
    b.append('line 1\nli', 100);
    expect(b.lineCount).toBe(2);
    expect(b.completeCount).toBe(1);
    expect(b.line(1)).toBe('li');
    b.append('ne 2\n\x1b[1mline 3\x1b[0m\n');
    expect([0, 1, 2].map((i) => b.line(i))).toEqual(['line 1', 'line 2', 'line 3']);
    expect(b.lineCount).toBe(3);
    expect(b.startOffset).toBe(100);
    expect(b.endOffset).toBe(100 + 'line 1\nline 2\n\x1b[1mline 3\x1b[0m\n'.length);
  });

  it('prepends earlier lines', () => {
    const b = new LogBuffer();
    b.append('c\nd\n', 4);
    expect(b.prepend('a\nb\n', 0)).toBe(2);
    expect([0, 1, 2, 3].map((i) => b.line(i))).toEqual(['a', 'b', 'c', 'd']);
    expect(b.startOffset).toBe(0);
  });

  it('drops the oldest lines past its cap', () => {
    const b = new LogBuffer(10);
    b.append(Array.from({ length: 12 }, (_, i) => `l${i}\n`).join(''), 0);
    expect(b.lineCount).toBe(9);
    expect(b.line(0)).toBe('l3');
    expect(b.dropped).toBe(3);
    expect(b.startOffset).toBeNull();
  });
});
