import { useEffect, useState } from 'react';
import type { FilterError } from './use-runs-search';

interface FilterBoxProps {
  /** The applied filter. */
  value: string;
  onApply(filter: string): void;
  error: FilterError | null;
}

const EXAMPLE = "metrics.val_loss < 0.5 AND params.optimizer = 'adam'";

/** The filter text with the character the server named marked, and a caret under it. */
function ErrorSpot({ text, position }: { text: string; position: number }) {
  const i = Math.min(Math.max(position - 1, 0), text.length);
  const at = text.slice(i, i + 1);
  return (
    <pre className="filter-spot" aria-hidden="true" data-testid="filter-error-spot">
      {text.slice(0, i)}
      <mark>{at || ' '}</mark>
      {text.slice(i + 1)}
      {'\n'}
      {' '.repeat(i)}^
    </pre>
  );
}

/**
 * The runs filter in MLflow's grammar. Applied on Enter (or the button), not per keystroke:
 * half-typed filters are always invalid. A refused filter is shown with the server's message
 * and the spot it names; the table keeps the last good result meanwhile.
 */
export function FilterBox({ value, onApply, error }: FilterBoxProps) {
  const [draft, setDraft] = useState(value);
  useEffect(() => setDraft(value), [value]);
  const dirty = draft !== value;

  return (
    <div className={`filter-box${error ? ' has-error' : ''}`}>
      <form
        className="filter-row"
        onSubmit={(e) => {
          e.preventDefault();
          onApply(draft.trim());
        }}
      >
        <input
          className={`input input-mono${error ? ' invalid' : ''}`}
          value={draft}
          placeholder={`Filter runs: ${EXAMPLE}`}
          spellCheck={false}
          aria-label="Filter runs (MLflow search syntax)"
          aria-invalid={error ? true : undefined}
          aria-describedby={error ? 'filter-error' : undefined}
          data-testid="runs-filter"
          onChange={(e) => setDraft(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Escape') setDraft(value);
          }}
        />
        {(value || draft) && (
          <button
            type="button"
            className="button filter-clear"
            aria-label="Clear the filter"
            onClick={() => {
              setDraft('');
              onApply('');
            }}
          >
            ×
          </button>
        )}
        <button type="submit" className={`button${dirty ? ' button-primary' : ''}`} data-testid="runs-filter-apply">
          Apply
        </button>
      </form>
      {error && (
        <div className="filter-error" id="filter-error" role="alert" data-testid="filter-error">
          <div className="error-text">{error.message}</div>
          {error.position !== null && <ErrorSpot text={value} position={error.position} />}
        </div>
      )}
    </div>
  );
}
