import { useEffect, useMemo, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { RunKeys } from '../../../../shared/api/search-types';

type Kind = 'metrics' | 'params' | 'tags';

interface ColumnPickerProps {
  keys: RunKeys | undefined;
  chosen: Record<Kind, string[]>;
  onChange(kind: Kind, keys: string[]): void;
  onClose(): void;
  /** Which key lists to offer (default all three). */
  kinds?: Kind[];
}

const LABELS: Record<Kind, string> = { metrics: 'Metrics', params: 'Params', tags: 'Tags' };
/** Adding every match of a broad search at once would defeat "load only chosen columns". */
const MAX_ADD_AT_ONCE = 200;

/**
 * Picks the param, metric and tag columns. The key lists come from `runs.keys` (an index the
 * server keeps), are filtered as you type and drawn virtualized, so experiments with thousands
 * of keys open it instantly; only the checked keys are loaded with the runs.
 */
export type { Kind as PickerKind };

export function ColumnPicker({ keys, chosen, onChange, onClose, kinds = ['metrics', 'params', 'tags'] }: ColumnPickerProps) {
  const [kind, setKind] = useState<Kind>(kinds[0]!);
  const [query, setQuery] = useState('');
  const boxRef = useRef<HTMLDivElement>(null);
  const listRef = useRef<HTMLDivElement>(null);
  const selected = useMemo(() => new Set(chosen[kind]), [chosen, kind]);
  // MLflow's own tags (run name, source, note) have their own columns or none worth showing.
  const listOf = (k: Kind) => (keys ? keys[k].filter((key) => k !== 'tags' || !key.startsWith('mlflow.')) : []);
  const all = useMemo(() => listOf(kind), [keys, kind]); // eslint-disable-line react-hooks/exhaustive-deps
  const shown = useMemo(() => {
    const q = query.trim().toLowerCase();
    return q ? all.filter((k) => k.toLowerCase().includes(q)) : all;
  }, [all, query]);

  const virtualizer = useVirtualizer({ count: shown.length, getScrollElement: () => listRef.current, estimateSize: () => 28, overscan: 10 });

  useEffect(() => {
    const onDown = (e: MouseEvent) => {
      if (boxRef.current && !boxRef.current.contains(e.target as Node) && !(e.target as HTMLElement).closest('[data-testid="columns-button"]')) onClose();
    };
    const onKey = (e: KeyboardEvent) => e.key === 'Escape' && onClose();
    document.addEventListener('mousedown', onDown);
    document.addEventListener('keydown', onKey);
    return () => {
      document.removeEventListener('mousedown', onDown);
      document.removeEventListener('keydown', onKey);
    };
  }, [onClose]);

  const toggle = (k: string) => onChange(kind, selected.has(k) ? chosen[kind].filter((x) => x !== k) : [...chosen[kind], k]);
  const addShown = () => onChange(kind, [...chosen[kind], ...shown.filter((k) => !selected.has(k)).slice(0, MAX_ADD_AT_ONCE)]);

  return (
    <div className="column-picker card" ref={boxRef} role="dialog" aria-label="Choose columns" data-testid="column-picker">
      <div className="segmented column-picker-tabs">
        {kinds.map((k) => (
          <button key={k} type="button" className={`segment${k === kind ? ' selected' : ''}`} onClick={() => setKind(k)} data-testid={`picker-tab-${k}`}>
            {LABELS[k]} <span className="muted">{chosen[k].length}/{keys ? listOf(k).length : '…'}</span>
          </button>
        ))}
      </div>
      <input
        className="input"
        placeholder={`Search ${all.length.toLocaleString()} ${LABELS[kind].toLowerCase()}…`}
        value={query}
        autoFocus
        onChange={(e) => setQuery(e.target.value)}
        data-testid="picker-search"
      />
      <div className="column-picker-actions">
        <span className="muted">
          {shown.length.toLocaleString()} shown · {chosen[kind].length} chosen
        </span>
        <button type="button" className="button button-small" onClick={addShown} disabled={shown.length === 0} title={`Adds up to ${MAX_ADD_AT_ONCE} keys`}>
          Add shown
        </button>
        <button type="button" className="button button-small" onClick={() => onChange(kind, [])} disabled={chosen[kind].length === 0}>
          Clear
        </button>
      </div>
      <div className="column-picker-list" ref={listRef}>
        {keys === undefined ? (
          <div className="muted column-picker-empty">Loading keys…</div>
        ) : shown.length === 0 ? (
          <div className="muted column-picker-empty">No {LABELS[kind].toLowerCase()} match.</div>
        ) : (
          <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
            {virtualizer.getVirtualItems().map((v) => {
              const k = shown[v.index]!;
              return (
                <label key={k} className="column-picker-item" style={{ transform: `translateY(${v.start}px)` }} title={k} data-testid="picker-item" data-key={k}>
                  <input type="checkbox" checked={selected.has(k)} onChange={() => toggle(k)} />
                  <span className="column-picker-key">{k}</span>
                </label>
              );
            })}
          </div>
        )}
      </div>
    </div>
  );
}
