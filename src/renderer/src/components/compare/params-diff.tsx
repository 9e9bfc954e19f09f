import { useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Run } from '../../../../shared/api/types';
import type { RunStyle } from '../../lib/compare-chart-option';
import { useCompareStore } from './compare-store';

interface ParamsDiffProps {
  runs: Run[];
  styles: Map<string, RunStyle>;
}

const ROW = 30;
const KEY_WIDTH = 220;
const RUN_WIDTH = 150;

/** Param keys whose value is not the same in every run (a missing value counts as different). */
export function differingKeys(runs: readonly Run[], keys: readonly string[]): string[] {
  return keys.filter((k) => {
    const first = runs[0]?.params[k];
    return runs.some((r) => r.params[k] !== first);
  });
}

/**
 * Params side by side, one column per run, with "only differences" on by default: in a sweep
 * the few keys that vary are the point. Rows are virtualized, so thousands of params scroll.
 */
export function ParamsDiff({ runs, styles }: ParamsDiffProps) {
  const { onlyDifferences, set } = useCompareStore();
  const [query, setQuery] = useState('');
  const scrollRef = useRef<HTMLDivElement>(null);
  const allKeys = useMemo(() => [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort(), [runs]);
  const diff = useMemo(() => differingKeys(runs, allKeys), [runs, allKeys]);
  const keys = useMemo(() => {
    const base = onlyDifferences ? diff : allKeys;
    const q = query.trim().toLowerCase();
    return q ? base.filter((k) => k.toLowerCase().includes(q)) : base;
  }, [onlyDifferences, diff, allKeys, query]);
  const virtualizer = useVirtualizer({ count: keys.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW, overscan: 10 });
  const width = KEY_WIDTH + runs.length * RUN_WIDTH;

  return (
    <div className="params-diff" data-testid="params-diff">
      <div className="compare-section-tools">
        <label className="check">
          <input type="checkbox" checked={onlyDifferences} onChange={(e) => set({ onlyDifferences: e.target.checked })} data-testid="only-differences" />
          Only differences <span className="muted">({diff.length} of {allKeys.length})</span>
        </label>
        <input className="input params-search" placeholder="Search params…" value={query} onChange={(e) => setQuery(e.target.value)} />
      </div>
      {keys.length === 0 ? (
        <div className="muted compare-empty">{allKeys.length === 0 ? 'These runs have no params.' : onlyDifferences ? 'All params are the same in these runs.' : 'No params match.'}</div>
      ) : (
        <div className="params-diff-scroll" ref={scrollRef} style={{ height: Math.min(440, (keys.length + 1) * ROW + 2) }}>
          <div className="params-diff-head" style={{ width }}>
            <div className="params-diff-key">param</div>
            {runs.map((r) => (
              <div key={r.info.runId} className="params-diff-run" title={r.info.name} style={{ borderTopColor: styles.get(r.info.runId)?.color }}>
                {r.info.name}
              </div>
            ))}
          </div>
          <div style={{ height: virtualizer.getTotalSize(), width, position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const k = keys[v.index]!;
              const first = runs[0]?.params[k];
              return (
                <div key={k} className="params-diff-row" style={{ transform: `translateY(${v.start}px)`, width }} data-testid="params-diff-row" data-key={k}>
                  <div className="params-diff-key" title={k}>
                    {k}
                  </div>
                  {runs.map((r) => {
                    const v2 = r.params[k];
                    return (
                      <div key={r.info.runId} className={`params-diff-cell${v2 !== first ? ' differs' : ''}`} title={v2}>
                        {v2 ?? <span className="muted">—</span>}
                      </div>
                    );
                  })}
                </div>
              );
            })}
          </div>
        </div>
      )}
    </div>
  );
}
