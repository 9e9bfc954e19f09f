import { shellSplit } from '../../lib/shell-split';

/** The command as the run will receive it: one chip per argv element. */
export function ArgvPreview({ command }: { command: string }) {
  const { argv, error } = shellSplit(command);
  if (!command.trim()) return null;
  return (
    <div className="argv-preview" data-testid="command-argv" aria-label="Parsed arguments">
      <span className="argv-label">argv</span>
      {argv.map((a, i) => (
        <code key={i} className="argv-item" data-testid="argv-item" title={`argv[${i}]`}>
          {a === '' ? '""' : a}
        </code>
      ))}
      {error && <span className="error-text argv-error">{error}</span>}
    </div>
  );
}
