import { describe, expect, it } from 'vitest';
import { findMatches, splitMatches } from './log-search';

const lines = ['Epoch 1 loss=0.5', 'epoch 2 LOSS=0.4 loss', 'done'];

describe('findMatches', () => {
  it('finds every case-insensitive occurrence in a line range', () => {
    expect(findMatches((i) => lines[i]!, 0, 3, 'loss')).toEqual([
      { line: 0, start: 8 },
      { line: 1, start: 8 },
      { line: 1, start: 17 },
    ]);
    expect(findMatches((i) => lines[i]!, 1, 2, 'EPOCH')).toEqual([{ line: 1, start: 0 }]);
    expect(findMatches((i) => lines[i]!, 0, 3, '')).toEqual([]);
  });
});

describe('splitMatches', () => {
  it('splits a line into plain and matching pieces', () => {
    expect(splitMatches('a loss b LOSS', 'loss')).toEqual([
      { text: 'a ', match: false, start: 0 },
      { text: 'loss', match: true, start: 2 },
      { text: ' b ', match: false, start: 6 },
      { text: 'LOSS', match: true, start: 9 },
    ]);
    expect(splitMatches('plain', '')).toEqual([{ text: 'plain', match: false, start: 0 }]);
  });
});
