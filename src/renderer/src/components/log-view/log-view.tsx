import { useVirtualizer } from '@tanstack/react-virtual';
import { useCallback, useLayoutEffect, useRef, useState } from 'react';
import { useDebouncedValue } from '../../hooks/use-debounced-value';
import { useFillViewport } from '../../hooks/use-fill-viewport';
import { useLogSearch } from '../../hooks/use-log-search';
import { useLogStream } from '../../hooks/use-log-stream';
import { formatBytes } from '../../lib/format';
import { LogLine } from './log-line';
import { LogToolbar } from './log-toolbar';
import './log-view.css';

/** Fixed row height: lines do not wrap (long ones scroll sideways), so no row needs measuring. */
const ROW_HEIGHT = 18;

interface LogViewProps {
  runId: string;
  /** The run has not ended: follow new output. */
  active: boolean;
  /** False for runs logged from outside Lathe (they have no log here). */
  hasExecution: boolean;
}

/**
 * A run's log: the tail first, then live output while the run is active; virtualized so that
 * hundreds of thousands of lines scroll smoothly; follows the end unless the reader scrolled up.
 */
export function LogView({ runId, active, hasExecution }: LogViewProps) {
  const stream = useLogStream(runId, active);
  const { buffer, version } = stream;
  const [queryInput, setQueryInput] = useState('');
  const query = useDebouncedValue(queryInput, 150);
  const matches = useLogSearch(buffer, version, query);
  const [current, setCurrent] = useState(0);
  const [following, setFollowing] = useState(true);
  const followingRef = useRef(true);
  const scrollRef = useRef<HTMLDivElement>(null);
  const searchRef = useRef<HTMLDivElement>(null);
  const count = buffer.lineCount;
  const fillRef = useFillViewport<HTMLDivElement>();
  const setScrollBox = useCallback(
    (el: HTMLDivElement | null) => {
      scrollRef.current = el;
      fillRef(el);
    },
    [fillRef],
  );

  const virtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: () => ROW_HEIGHT,
    overscan: 25,
  });

  const setFollow = useCallback((on: boolean) => {
    followingRef.current = on;
    setFollowing(on);
  }, []);

  // Keep the end in view while following.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && followingRef.current) el.scrollTop = el.scrollHeight;
  }, [version, count]);

  // Earlier lines were put above: keep the lines being read where they were.
  useLayoutEffect(() => {
    const el = scrollRef.current;
    if (el && stream.prepended.lines && !followingRef.current) el.scrollTop += stream.prepended.lines * ROW_HEIGHT;
  }, [stream.prepended]);

  const onScroll = () => {
    const el = scrollRef.current;
    if (!el) return;
    const atEnd = el.scrollHeight - el.scrollTop - el.clientHeight < ROW_HEIGHT * 1.5;
    if (atEnd !== followingRef.current) setFollow(atEnd);
  };

  const jumpToEnd = () => {
    setFollow(true);
    const el = scrollRef.current;
    if (el) el.scrollTop = el.scrollHeight;
  };

  const goTo = useCallback(
    (index: number) => {
      const match = matches[index];
      if (!match) return;
      setCurrent(index);
      setFollow(false);
      virtualizer.scrollToIndex(match.line, { align: 'center' });
      // Then bring the match itself into view sideways, once its row is drawn.
      requestAnimationFrame(() =>
        requestAnimationFrame(() => scrollRef.current?.querySelector('[data-current-match]')?.scrollIntoView({ block: 'nearest', inline: 'nearest' })),
      );
    },
    [matches, virtualizer, setFollow],
  );

  // A new query starts at the first match in or below the lines on screen (before paint, so
  // the count never shows the previous position).
  const lastQuery = useRef('');
  useLayoutEffect(() => {
    if (query === lastQuery.current) return;
    lastQuery.current = query;
    setCurrent(0);
    if (!query || matches.length === 0) return;
    const top = virtualizer.getVirtualItems()[0]?.index ?? 0;
    const first = matches.findIndex((m) => m.line >= top);
    goTo(first < 0 ? 0 : first);
  }, [query, matches, goTo, virtualizer]);

  const step = (delta: 1 | -1) => {
    if (matches.length === 0) return;
    goTo((current + delta + matches.length) % matches.length);
  };

  const currentMatch = query ? matches[current] : undefined;
  const showGutter = buffer.startOffset === 0;
  const gutterChars = String(count).length;
  const items = virtualizer.getVirtualItems();
  const shownBytes = buffer.endOffset - (buffer.startOffset ?? 0);

  return (
    <div
      className="log-view-frame card"
      ref={searchRef}
      onKeyDown={(e) => {
        if ((e.ctrlKey || e.metaKey) && e.key.toLowerCase() === 'f') {
          e.preventDefault();
          searchRef.current?.querySelector<HTMLInputElement>('[data-testid="log-search"]')?.focus();
        }
      }}
    >
      <LogToolbar
        query={queryInput}
        onQuery={setQueryInput}
        matchCount={query ? matches.length : 0}
        current={Math.min(current, Math.max(0, matches.length - 1))}
        onStep={step}
        lineCount={count}
        live={stream.live}
        following={following}
        onJumpToEnd={jumpToEnd}
      />
      {buffer.startOffset !== null && buffer.startOffset > 0 && (
        <div className="log-banner" data-testid="log-truncated">
          Showing the last {formatBytes(shownBytes)} of the log ({formatBytes(buffer.endOffset)} in all).
          <button type="button" className="button button-small" data-testid="log-load-earlier" disabled={stream.loadingEarlier} onClick={stream.loadEarlier}>
            {stream.loadingEarlier ? 'Loading…' : 'Load earlier'}
          </button>
        </div>
      )}
      {buffer.dropped > 0 && (
        <div className="log-banner" data-testid="log-dropped">
          The first {buffer.dropped.toLocaleString()} lines were dropped from this view to keep it fast.
        </div>
      )}
      {stream.error && (
        <div className="log-banner log-banner-error" role="alert">
          Log stream: {stream.error.message} {stream.live ? '' : stream.error.status >= 500 || stream.error.status === 0 ? '(retrying)' : ''}
        </div>
      )}
      <div
        ref={setScrollBox}
        className="log-scroll"
        data-testid="log-view"
        data-following={following ? 'true' : 'false'}
        data-lines={count}
        tabIndex={0}
        onScroll={onScroll}
      >
        {count === 0 ? (
          <div className="log-empty muted">
            {stream.loading ? 'Loading log…' : active ? 'Waiting for output…' : hasExecution ? 'The run wrote no output.' : 'This run was not started by Lathe, so it has no log here.'}
          </div>
        ) : (
          <div className="log-inner" style={{ height: virtualizer.getTotalSize() }}>
            {items.map((item) => {
              const text = buffer.line(item.index);
              const isCurrent = currentMatch?.line === item.index;
              return (
                <div
                  key={item.key}
                  className={`log-row${isCurrent ? ' log-row-current' : ''}`}
                  style={{ transform: `translateY(${item.start}px)` }}
                  data-index={item.index}
                >
                  {showGutter && (
                    <span className="log-gutter" style={{ width: `${gutterChars + 2}ch` }} aria-hidden="true">
                      {item.index + 1}
                    </span>
                  )}
                  <span className="log-text">
                    <LogLine text={text} query={query} currentStart={isCurrent ? currentMatch!.start : -1} />
                  </span>
                </div>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
