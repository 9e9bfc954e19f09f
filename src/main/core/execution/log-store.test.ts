import fs from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { LogStore } from './log-store';
import { tempHome } from '../../../../test/helpers/temp-home';

let store: LogStore;
let cleanup: () => void;
beforeEach(() => {
  const t = tempHome('lathe-logs-');
  cleanup = t.cleanup;
  store = new LogStore(t.home);
});
afterEach(() => cleanup());

describe('LogStore', () => {
  it('reads from an offset and resumes without gaps or repeats', () => {
    fs.writeFileSync(store.pathFor('r'), 'line 1\nline 2\n');
    const a = store.read('r', 0, 7);
    expect(a).toEqual({ offset: 0, text: 'line 1\n' });
    const b = store.read('r', a.offset + Buffer.byteLength(a.text));
    expect(b).toEqual({ offset: 7, text: 'line 2\n' });
    expect(store.read('missing', 0)).toEqual({ offset: 0, text: '' });
  });

  it('tails from a negative offset starting at a whole line', () => {
    fs.writeFileSync(store.pathFor('r'), 'aaaa\nbbbb\ncccc\n');
    expect(store.read('r', -7)).toEqual({ offset: 10, text: 'cccc\n' });
  });

  it('never splits a UTF-8 character at the end of a chunk', () => {
    fs.writeFileSync(store.pathFor('r'), 'é€x');
    const c = store.read('r', 0, 4); // é is 2 bytes, € is 3
    expect(c.text).toBe('é');
    const rest = store.read('r', Buffer.byteLength(c.text));
    expect(rest.text).toBe('€x');
  });

  it('follows new output until the run is done', async () => {
    const file = store.pathFor('r');
    fs.writeFileSync(file, 'start\n');
    let done = false;
    const got: string[] = [];
    const reader = (async () => {
      for await (const c of store.follow('r', 0, () => done, undefined, 20)) got.push(c.text);
    })();
    await new Promise((r) => setTimeout(r, 60));
    fs.appendFileSync(file, 'more\n');
    await new Promise((r) => setTimeout(r, 60));
    fs.appendFileSync(file, 'end\n');
    done = true;
    await reader;
    expect(got.join('')).toBe('start\nmore\nend\n');
  });
});

describe('LogStore tail of one long line', () => {
  it('shows the end of the line rather than nothing', () => {
    const t = tempHome('lathe-logs-');
    const s = new LogStore(t.home);
    fs.writeFileSync(s.pathFor('r'), 'a very long last line without a break before its end\n');
    const size = fs.statSync(s.pathFor('r')).size;
    expect(s.read('r', -10)).toEqual({ offset: size - 10, text: 'e its end\n' });
    t.cleanup();
  });
});
