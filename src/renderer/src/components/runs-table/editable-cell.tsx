import { useEffect, useRef, useState } from 'react';

interface EditableCellProps {
  value: string | undefined;
  /** Saves the new text; '' means remove. Rejects with a message to show. */
  onSave(next: string): Promise<void>;
  multiline?: boolean;
  placeholder: string;
  label: string;
  disabled?: boolean;
}

/**
 * A table cell edited in place: click (or Enter when focused) to edit, Enter to save
 * (Shift+Enter for a new line in multi-line cells), Escape to cancel, leaving the cell saves.
 * The edited text stays on screen while it saves, so the row does not flicker back.
 */
export function EditableCell({ value, onSave, multiline, placeholder, label, disabled }: EditableCellProps) {
  const [editing, setEditing] = useState(false);
  const [draft, setDraft] = useState(value ?? '');
  const [pending, setPending] = useState<string | null>(null);
  const [error, setError] = useState<string | null>(null);
  const inputRef = useRef<HTMLTextAreaElement & HTMLInputElement>(null);

  useEffect(() => {
    if (editing) inputRef.current?.select();
  }, [editing]);
  // The saved value arrived with the refreshed row: stop showing the optimistic text.
  useEffect(() => setPending(null), [value]);

  const start = () => {
    if (disabled) return;
    setDraft(value ?? '');
    setError(null);
    setEditing(true);
  };
  const commit = () => {
    setEditing(false);
    const next = draft.trim() === '' ? '' : draft;
    if (next === (value ?? '')) return;
    setPending(next);
    onSave(next).catch((err: unknown) => {
      setPending(null);
      setError(err instanceof Error ? err.message : String(err));
    });
  };

  if (editing) {
    const common = {
      ref: inputRef,
      className: 'cell-editor input',
      value: draft,
      'aria-label': label,
      'data-testid': 'cell-editor',
      onChange: (e: React.ChangeEvent<HTMLInputElement | HTMLTextAreaElement>) => setDraft(e.target.value),
      onBlur: commit,
      onClick: (e: React.MouseEvent) => e.stopPropagation(),
      onKeyDown: (e: React.KeyboardEvent) => {
        e.stopPropagation();
        if (e.key === 'Escape') setEditing(false);
        else if (e.key === 'Enter' && !(multiline && e.shiftKey)) {
          e.preventDefault();
          commit();
        }
      },
    };
    return multiline ? <textarea rows={3} {...common} /> : <input {...common} />;
  }

  const shown = pending ?? value;
  return (
    <div
      className={`editable-cell${shown ? '' : ' empty'}${pending !== null ? ' saving' : ''}${error ? ' failed' : ''}`}
      role="button"
      tabIndex={disabled ? -1 : 0}
      aria-label={`${label}: ${shown || 'empty'}; edit`}
      title={error ? `Not saved: ${error}` : shown || undefined}
      data-testid="editable-cell"
      data-no-row-click
      onClick={(e) => {
        e.stopPropagation();
        start();
      }}
      onKeyDown={(e) => {
        if (e.key === 'Enter') {
          e.preventDefault();
          start();
        }
      }}
    >
      {shown || <span className="editable-placeholder">{disabled ? '—' : placeholder}</span>}
    </div>
  );
}
