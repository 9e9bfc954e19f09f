export type RunTab = 'overview' | 'logs' | 'artifacts' | 'code' | 'system';

const TABS: Array<[RunTab, string]> = [
  ['overview', 'Overview'],
  ['logs', 'Logs'],
  ['artifacts', 'Artifacts'],
  ['code', 'Code'],
  ['system', 'System'],
];

export function parseRunTab(value: string | null): RunTab {
  return TABS.some(([t]) => t === value) ? (value as RunTab) : 'overview';
}

export function RunTabs({ tab, onSelect }: { tab: RunTab; onSelect(tab: RunTab): void }) {
  return (
    <div className="tabs" role="tablist" aria-label="Run sections">
      {TABS.map(([t, label]) => (
        <button
          key={t}
          type="button"
          role="tab"
          id={`tab-${t}`}
          aria-selected={tab === t}
          aria-controls="run-tab-panel"
          className={`tab${tab === t ? ' selected' : ''}`}
          data-testid={`tab-${t}`}
          onClick={() => onSelect(t)}
        >
          {label}
        </button>
      ))}
    </div>
  );
}
