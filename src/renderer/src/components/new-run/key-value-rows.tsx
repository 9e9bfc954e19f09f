import { newRow, type KeyValueRow } from '../../lib/new-run-form';

interface KeyValueRowsProps {
  rows: KeyValueRow[];
  onChange(rows: KeyValueRow[]): void;
  /** `param` or `env`: prefixes the test ids (param-row, param-key, param-value, add-param). */
  kind: 'param' | 'env';
  keyPlaceholder: string;
  valuePlaceholder: string;
  addLabel: string;
}

/** Editable name/value rows; empty rows are ignored when the run is built. */
export function KeyValueRows({ rows, onChange, kind, keyPlaceholder, valuePlaceholder, addLabel }: KeyValueRowsProps) {
  const update = (id: number, patch: Partial<KeyValueRow>) => onChange(rows.map((r) => (r.id === id ? { ...r, ...patch } : r)));
  return (
    <div className="kv-rows" data-testid={`${kind}-rows`}>
      {rows.map((row, i) => (
        <div className="kv-row" key={row.id} data-testid={`${kind}-row`}>
          <input
            className="input input-mono"
            data-testid={`${kind}-key`}
            aria-label={`${kind === 'param' ? 'Param' : 'Variable'} ${i + 1} name`}
            placeholder={keyPlaceholder}
            value={row.key}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => update(row.id, { key: e.target.value })}
          />
          <span className="kv-eq" aria-hidden="true">
            =
          </span>
          <input
            className="input input-mono"
            data-testid={`${kind}-value`}
            aria-label={`${kind === 'param' ? 'Param' : 'Variable'} ${i + 1} value`}
            placeholder={valuePlaceholder}
            value={row.value}
            spellCheck={false}
            autoComplete="off"
            onChange={(e) => update(row.id, { value: e.target.value })}
          />
          <button
            type="button"
            className="button button-icon"
            data-testid={`remove-${kind}`}
            aria-label={`Remove row ${i + 1}`}
            title="Remove"
            onClick={() => onChange(rows.filter((r) => r.id !== row.id))}
          >
            ×
          </button>
        </div>
      ))}
      <button type="button" className="button button-small kv-add" data-testid={`add-${kind}`} onClick={() => onChange([...rows, newRow()])}>
        + {addLabel}
      </button>
    </div>
  );
}
