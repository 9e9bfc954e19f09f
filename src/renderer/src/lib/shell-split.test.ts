import { describe, expect, it } from 'vitest';
import { shellJoin, shellSplit } from './shell-split';

describe('shellSplit', () => {
  it('splits on whitespace', () => {
    expect(shellSplit('  python3   train.py -p epochs=30 ')).toEqual({ argv: ['python3', 'train.py', '-p', 'epochs=30'], error: null });
    expect(shellSplit('')).toEqual({ argv: [], error: null });
  });
  it('keeps quoted words together', () => {
    expect(shellSplit(`python3 -c "for i in range(3): print('line', i)"`).argv).toEqual(['python3', '-c', "for i in range(3): print('line', i)"]);
    expect(shellSplit(`echo 'a "b" $c' x`).argv).toEqual(['echo', 'a "b" $c', 'x']);
    expect(shellSplit(`a"b c"d`).argv).toEqual(['ab cd']);
    expect(shellSplit(`x '' ""`).argv).toEqual(['x', '', '']);
  });
  it('handles escapes', () => {
    expect(shellSplit(String.raw`echo a\ b "q\"uote" "back\\slash" "\n"`).argv).toEqual(['echo', 'a b', 'q"uote', 'back\\slash', '\\n']);
  });
  it('reports unclosed quotes and trailing backslashes', () => {
    expect(shellSplit(`echo "abc`).error).toMatch(/double quote/);
    expect(shellSplit(`echo 'abc`).error).toMatch(/single quote/);
    expect(shellSplit(`echo \\`).error).toMatch(/backslash/);
  });
});

describe('shellJoin', () => {
  it('round-trips through shellSplit', () => {
    const argv = ['python3', '-c', "print('hi there')", '', 'a"b', 'epochs=30'];
    expect(shellSplit(shellJoin(argv)).argv).toEqual(argv);
    expect(shellJoin(['python3', 'train.py'])).toBe('python3 train.py');
    expect(shellJoin(['python3', '-c', "print('x', 1)"])).toBe(`python3 -c "print('x', 1)"`);
    expect(shellJoin(['sh', '-c', `echo "it's" $HOME`])).toBe(`sh -c 'echo "it'\\''s" $HOME'`);
    expect(shellSplit(shellJoin(['sh', '-c', `echo "it's" $HOME`])).argv).toEqual(['sh', '-c', `echo "it's" $HOME`]);
  });
});
