import { useEffect, useRef } from 'react';
import { useColorScheme } from '../../hooks/use-color-scheme';
import { DARK_THEME, LIGHT_THEME, monaco } from '../../lib/monaco/monaco';

interface MonacoViewProps {
  value: string;
  language: string;
  /** Give unified-diff lines a green/red background (git diff). */
  highlightDiff?: boolean;
  testId?: string;
}

function diffDecorations(model: monaco.editor.ITextModel): monaco.editor.IModelDeltaDecoration[] {
  const out: monaco.editor.IModelDeltaDecoration[] = [];
  for (let n = 1; n <= model.getLineCount(); n++) {
    const line = model.getLineContent(n);
    const cls = line.startsWith('+') && !line.startsWith('+++') ? 'diff-line-add' : line.startsWith('-') && !line.startsWith('---') ? 'diff-line-del' : line.startsWith('@@') ? 'diff-line-hunk' : null;
    if (cls) out.push({ range: new monaco.Range(n, 1, n, 1), options: { isWholeLine: true, className: cls } });
  }
  return out;
}

/** A read-only Monaco editor: one instance for the component's life, one model per value. */
export function MonacoView({ value, language, highlightDiff = false, testId }: MonacoViewProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const editorRef = useRef<monaco.editor.IStandaloneCodeEditor | null>(null);
  const scheme = useColorScheme();

  useEffect(() => {
    const editor = monaco.editor.create(boxRef.current!, {
      readOnly: true,
      domReadOnly: true,
      automaticLayout: true,
      minimap: { enabled: false },
      scrollBeyondLastLine: false,
      fontFamily: "ui-monospace, SFMono-Regular, 'SF Mono', Menlo, Consolas, 'Liberation Mono', monospace",
      fontSize: 12.5,
      lineHeight: 19,
      renderLineHighlight: 'line',
      renderWhitespace: 'selection',
      stickyScroll: { enabled: false },
      padding: { top: 8, bottom: 8 },
      scrollbar: { alwaysConsumeMouseWheel: false },
      contextmenu: true,
      links: false,
      unicodeHighlight: { ambiguousCharacters: false },
    });
    editorRef.current = editor;
    return () => {
      editor.getModel()?.dispose();
      editor.dispose();
      editorRef.current = null;
    };
  }, []);

  useEffect(() => {
    const editor = editorRef.current;
    if (!editor) return;
    const model = monaco.editor.createModel(value, language);
    const old = editor.getModel();
    editor.setModel(model);
    old?.dispose();
    const decorations = highlightDiff ? editor.createDecorationsCollection(diffDecorations(model)) : null;
    editor.setScrollTop(0);
    return () => decorations?.clear();
  }, [value, language, highlightDiff]);

  useEffect(() => {
    monaco.editor.setTheme(scheme === 'dark' ? DARK_THEME : LIGHT_THEME);
  }, [scheme]);

  return <div ref={boxRef} className="monaco-box" data-testid={testId} data-language={language} />;
}
