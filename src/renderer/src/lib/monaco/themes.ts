import type { editor } from 'monaco-editor/editor';

/** Editor themes matching the app's palette (styles/theme.css); Monaco needs literal colours. */
const diffRules = (dark: boolean): editor.ITokenThemeRule[] => [
  { token: 'inserted.diff', foreground: dark ? '56d364' : '116329' },
  { token: 'deleted.diff', foreground: dark ? 'f47067' : 'b31d28' },
  { token: 'hunk.diff', foreground: dark ? '79c0ff' : '0550ae', fontStyle: 'bold' },
  { token: 'header.diff', foreground: dark ? 'e3e6ea' : '1b1f24', fontStyle: 'bold' },
  { token: 'meta.diff', foreground: dark ? '98a2b1' : '626d7b' },
];

export const LIGHT_THEME = 'lathe-light';
export const DARK_THEME = 'lathe-dark';

export const lightTheme: editor.IStandaloneThemeData = {
  base: 'vs',
  inherit: true,
  rules: diffRules(false),
  colors: {
    'editor.background': '#ffffff',
    'editorGutter.background': '#ffffff',
    'editorLineNumber.foreground': '#9aa3af',
    'editorLineNumber.activeForeground': '#1b1f24',
    'editor.lineHighlightBackground': '#f3f6fc',
    'editor.lineHighlightBorder': '#00000000',
    'editorWidget.background': '#f5f6f8',
    'editorWidget.border': '#cdd2d9',
    focusBorder: '#3563e9',
  },
};

export const darkTheme: editor.IStandaloneThemeData = {
  base: 'vs-dark',
  inherit: true,
  rules: diffRules(true),
  colors: {
    'editor.background': '#161a20',
    'editorGutter.background': '#161a20',
    'editorLineNumber.foreground': '#5d6675',
    'editorLineNumber.activeForeground': '#e3e6ea',
    'editor.lineHighlightBackground': '#1d2330',
    'editor.lineHighlightBorder': '#00000000',
    'editorWidget.background': '#1c2129',
    'editorWidget.border': '#363e4b',
    focusBorder: '#6d95ff',
  },
};
