import type { languages } from 'monaco-editor/editor';

/** Unified diffs (`git diff`): headers, hunk ranges, added and removed lines. */
export const diffLanguage: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenizer: {
    root: [
      [/^diff --git.*$/, 'header.diff'],
      [/^(index|new file mode|deleted file mode|old mode|new mode|similarity index|rename from|rename to|Binary files).*$/, 'meta.diff'],
      [/^(---|\+\+\+) .*$/, 'header.diff'],
      [/^@@.*?@@/, 'hunk.diff'],
      [/^\+.*$/, 'inserted.diff'],
      [/^-.*$/, 'deleted.diff'],
      [/^\\ No newline.*$/, 'comment'],
    ],
  },
};

/**
 * JSON without Monaco's JSON language service (which brings a worker of its own): a
 * tokenizer for reading, which is all a read-only view needs.
 */
export const jsonLanguage: languages.IMonarchLanguage = {
  defaultToken: '',
  tokenizer: {
    root: [
      [/"(?:[^"\\]|\\.)*"(?=\s*:)/, 'type'],
      [/"(?:[^"\\]|\\.)*"/, 'string'],
      [/-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?/, 'number'],
      [/\b(?:true|false|null|NaN|Infinity)\b/, 'keyword'],
      [/[{}[\],:]/, 'delimiter'],
    ],
  },
};

export const jsonConfiguration: languages.LanguageConfiguration = {
  brackets: [
    ['{', '}'],
    ['[', ']'],
  ],
  autoClosingPairs: [],
};
