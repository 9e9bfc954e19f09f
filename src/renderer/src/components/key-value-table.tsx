interface KeyValueTableProps {
  rows: Array<[string, string]>;
  testId: string;
  keyHeader?: string;
  valueHeader?: string;
  empty: string;
}

/** Params and tags: every entry shown, keys sorted, long values wrapped rather than cut. */
export function KeyValueTable({ rows, testId, keyHeader = 'Key', valueHeader = 'Value', empty }: KeyValueTableProps) {
  const sorted = [...rows].sort(([a], [b]) => a.localeCompare(b));
  return (
    <table className="table kv-table" data-testid={testId}>
      <thead>
        <tr>
          <th>{keyHeader}</th>
          <th>{valueHeader}</th>
        </tr>
      </thead>
      <tbody>
        {sorted.length === 0 ? (
          <tr>
            <td colSpan={2} className="muted">
              {empty}
            </td>
          </tr>
        ) : (
          sorted.map(([k, v]) => (
            <tr key={k}>
              <td className="kv-key">{k}</td>
              <td className="kv-value">{v}</td>
            </tr>
          ))
        )}
      </tbody>
    </table>
  );
}
