interface GroupBySelectProps {
  /** The param grouped by, or null for no grouping. */
  value: string | null;
  paramKeys: readonly string[] | undefined;
  onChange(param: string | null): void;
  testId: string;
}

/** The "Group by" toolbar field: none, or one of the runs' params. */
export function GroupBySelect({ value, paramKeys, onChange, testId }: GroupBySelectProps) {
  return (
    <label className="toolbar-field">
      <span className="muted">Group by</span>
      <select className="input" value={value ?? ''} onChange={(e) => onChange(e.target.value || null)} data-testid={testId}>
        <option value="">none</option>
        {paramKeys?.map((k) => (
          <option key={k} value={k}>
            params.{k}
          </option>
        ))}
      </select>
    </label>
  );
}
