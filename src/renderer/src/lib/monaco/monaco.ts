/**
 * The one place Monaco is imported (only from the lazily loaded code view, so the first page
 * does not pay for it). Bundled, never fetched from a CDN: the editor core, the features a
 * read-only viewer needs, a few languages, and the editor worker through Vite's `?worker`.
 */
import * as monaco from 'monaco-editor/editor';
import 'monaco-editor/features/codicon/register';
import 'monaco-editor/features/find/register';
import 'monaco-editor/features/folding/register';
import 'monaco-editor/features/bracketMatching/register';
import 'monaco-editor/features/clipboard/register';
import 'monaco-editor/features/contextmenu/register';
import 'monaco-editor/features/wordHighlighter/register';
import 'monaco-editor/features/gotoLine/register';
import 'monaco-editor/languages/definitions/python/register';
import 'monaco-editor/languages/definitions/shell/register';
import 'monaco-editor/languages/definitions/yaml/register';
import 'monaco-editor/languages/definitions/markdown/register';
import 'monaco-editor/languages/definitions/ini/register';
import 'monaco-editor/languages/definitions/dockerfile/register';
import EditorWorker from 'monaco-editor/editor/editor.worker?worker';
import { diffLanguage, jsonConfiguration, jsonLanguage } from './extra-languages';
import { darkTheme, DARK_THEME, lightTheme, LIGHT_THEME } from './themes';

declare global {
  interface Window {
    MonacoEnvironment?: { getWorker(workerId: string, label: string): Worker };
  }
}

self.MonacoEnvironment = { getWorker: () => new EditorWorker({ name: 'monaco-editor' }) };

monaco.languages.register({ id: 'diff', extensions: ['.diff', '.patch'], aliases: ['Diff'] });
monaco.languages.setMonarchTokensProvider('diff', diffLanguage);
monaco.languages.register({ id: 'json', extensions: ['.json', '.jsonl'], aliases: ['JSON'] });
monaco.languages.setMonarchTokensProvider('json', jsonLanguage);
monaco.languages.setLanguageConfiguration('json', jsonConfiguration);

monaco.editor.defineTheme(LIGHT_THEME, lightTheme);
monaco.editor.defineTheme(DARK_THEME, darkTheme);

export { monaco, LIGHT_THEME, DARK_THEME };
