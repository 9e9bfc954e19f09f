import { MAX_MATCHES } from '../../lib/log-search';

interface LogToolbarProps {
  query: string;
  onQuery(q: string): void;
  matchCount: number;
  current: number;
  onStep(delta: 1 | -1): void;
  lineCount: number;
  live: boolean;
  following: boolean;
  onJumpToEnd(): void;
}

export function LogToolbar({ query, onQuery, matchCount, current, onStep, lineCount, live, following, onJumpToEnd }: LogToolbarProps) {
  return (
    <div className="log-toolbar">
      <div className="log-search">
        <input
          className="input log-search-input"
          type="search"
          placeholder="Search the log"
          aria-label="Search the log"
          data-testid="log-search"
          value={query}
          onChange={(e) => onQuery(e.target.value)}
          onKeyDown={(e) => {
            if (e.key === 'Enter') {
              e.preventDefault();
              onStep(e.shiftKey ? -1 : 1);
            } else if (e.key === 'Escape') onQuery('');
          }}
        />
        {query && (
          <span className="log-match-count muted" data-testid="log-match-count" aria-live="polite">
            {matchCount === 0
              ? 'No matches'
              : `${(current + 1).toLocaleString()} / ${matchCount.toLocaleString()}${matchCount >= MAX_MATCHES ? '+' : ''}`}
          </span>
        )}
        <button type="button" className="button button-icon" data-testid="log-search-prev" aria-label="Previous match" title="Previous match (Shift+Enter)" disabled={matchCount === 0} onClick={() => onStep(-1)}>
          ↑
        </button>
        <button type="button" className="button button-icon" data-testid="log-search-next" aria-label="Next match" title="Next match (Enter)" disabled={matchCount === 0} onClick={() => onStep(1)}>
          ↓
        </button>
      </div>
      <div className="log-toolbar-right">
        <span className="muted log-line-count" data-testid="log-line-count">
          {lineCount.toLocaleString()} line{lineCount === 1 ? '' : 's'}
        </span>
        {live && (
          <span className="log-live" data-testid="log-live" title="New output appears as the run writes it">
            <span className="log-live-dot" aria-hidden="true" />
            Live
          </span>
        )}
        {!following && (
          <button type="button" className="button button-small" data-testid="log-jump-end" onClick={onJumpToEnd}>
            Jump to end ↓
          </button>
        )}
      </div>
    </div>
  );
}
