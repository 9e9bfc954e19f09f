import { useEffect, useState } from 'react';
import type { ValidationRule } from '../../../../shared/api/dataset-types';
import { validationRulesSchema } from '../../../../shared/api/dataset-schemas';
import { call, type ApiError, toApiError } from '../../api/client';
import './validation.css';

const EXAMPLE = `[
  { "kind": "column_exists", "column": "price", "type": "float" },
  { "kind": "not_null", "column": "id" },
  { "kind": "range", "column": "price", "min": 0, "max": 10000 },
  { "kind": "allowed_values", "column": "currency", "values": ["EUR", "USD"] },
  { "kind": "regex", "column": "sku", "pattern": "[A-Z]{3}-\\\\d+" },
  { "kind": "unique", "column": "id" },
  { "kind": "row_count", "min": 1 }
]`;

/** Rules as JSON, one rule a line. */
export function rulesText(rules: ValidationRule[]): string {
  return rules.length ? `[\n${rules.map((r) => `  ${JSON.stringify(r)}`).join(',\n')}\n]` : '[]';
}

/** Edits a dataset's stored validation rules as JSON, checked with the API's own schema before saving. */
export function RulesEditor({ name, rules, onSaved }: { name: string; rules: ValidationRule[]; onSaved: () => void }) {
  const [text, setText] = useState(() => rulesText(rules));
  const [error, setError] = useState<string | null>(null);
  const [saving, setSaving] = useState(false);
  useEffect(() => setText(rulesText(rules)), [rules]);

  const save = async () => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(text);
    } catch (err) {
      setError(`Not JSON: ${(err as Error).message}`);
      return;
    }
    const checked = validationRulesSchema.safeParse(parsed);
    if (!checked.success) {
      const issue = checked.error.issues[0]!;
      setError(`Rule ${issue.path.join('.')}: ${issue.message}`);
      return;
    }
    setSaving(true);
    try {
      await call((c) => c.datasets.setRules({ name, rules: checked.data }));
      setError(null);
      onSaved();
    } catch (err) {
      setError((toApiError(err) as ApiError).message);
    } finally {
      setSaving(false);
    }
  };

  return (
    <div className="ds-rules" data-testid="rules-editor">
      <textarea className="input input-mono ds-rules-text" value={text} onChange={(e) => setText(e.target.value)} spellCheck={false} rows={Math.min(16, Math.max(6, text.split('\n').length + 1))} aria-label="Validation rules (JSON)" />
      {error && <p className="error-text ds-rules-error">{error}</p>}
      <div className="ds-rules-actions">
        <button type="button" className="button button-primary" onClick={() => void save()} disabled={saving}>
          {saving ? 'Saving…' : 'Save rules'}
        </button>
        {rules.length === 0 && (
          <button type="button" className="button" onClick={() => setText(EXAMPLE)}>
            Insert an example
          </button>
        )}
        <span className="muted">
          Kinds: column_exists, not_null, range, allowed_values, regex (RE2, whole value), unique, row_count.
        </span>
      </div>
    </div>
  );
}
