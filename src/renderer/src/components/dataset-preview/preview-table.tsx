import { useCallback, useEffect, useRef, useState } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import { call, toApiError, type ApiError } from '../../api/client';
import { ErrorPanel } from '../error-panel';
import './preview-table.css';

const PAGE = 200;
/** The server caps a preview at 1,000 rows (and 2 MiB): never the whole file. */
const MAX_ROWS = 1000;
const ROW_HEIGHT = 28;

interface PreviewTableProps {
  target: string;
  file?: string;
}

/**
 * The first rows of a dataset file in a virtualized grid: only the visible rows are in the
 * DOM, pages of 200 rows are fetched as the reader scrolls, up to the server's cap.
 */
export function PreviewTable({ target, file }: PreviewTableProps) {
  const [columns, setColumns] = useState<string[]>([]);
  const [rows, setRows] = useState<Array<Array<string | null>>>([]);
  const [more, setMore] = useState(true);
  const [error, setError] = useState<ApiError | null>(null);
  const loading = useRef(false);
  const scrollRef = useRef<HTMLDivElement>(null);

  const load = useCallback(
    async (offset: number) => {
      if (loading.current) return;
      loading.current = true;
      try {
        const page = await call((c) => c.datasets.preview({ target, file, offset, limit: PAGE }));
        setColumns(page.columns);
        setRows((r) => (offset === 0 ? page.rows : [...r, ...page.rows]));
        setMore(page.truncated && offset + page.rows.length < MAX_ROWS && page.rows.length > 0);
        setError(null);
      } catch (err) {
        setError(toApiError(err));
      } finally {
        loading.current = false;
      }
    },
    [target, file],
  );

  useEffect(() => {
    setRows([]);
    setMore(true);
    void load(0);
  }, [load]);

  const virtualizer = useVirtualizer({ count: rows.length, getScrollElement: () => scrollRef.current, estimateSize: () => ROW_HEIGHT, overscan: 12 });
  const items = virtualizer.getVirtualItems();
  const last = items.at(-1);
  useEffect(() => {
    if (last && more && last.index >= rows.length - 20) void load(rows.length);
  }, [last, more, rows.length, load]);

  if (error) return <ErrorPanel error={error} title="Could not read the preview" onRetry={() => void load(0)} />;
  const template = `56px repeat(${columns.length}, minmax(120px, 200px))`;
  return (
    <div className="ds-preview" data-testid="preview">
      <div className="ds-preview-scroll" ref={scrollRef}>
        <div className="ds-preview-row ds-preview-head" style={{ gridTemplateColumns: template }}>
          <div className="ds-preview-cell ds-preview-index">#</div>
          {columns.map((c, i) => (
            <div key={i} className="ds-preview-cell" title={c}>
              {c}
            </div>
          ))}
        </div>
        <div style={{ height: virtualizer.getTotalSize(), position: 'relative' }}>
          {items.map((item) => (
            <div key={item.key} className="ds-preview-row" data-testid="preview-row" style={{ gridTemplateColumns: template, transform: `translateY(${item.start}px)`, height: ROW_HEIGHT }}>
              <div className="ds-preview-cell ds-preview-index">{item.index + 1}</div>
              {rows[item.index]!.map((v, j) => (
                <div key={j} className={`ds-preview-cell${v === null ? ' ds-null' : ''}`} title={v ?? 'missing'}>
                  {v === null ? 'null' : v.replace(/\r?\n/g, '⏎')}
                </div>
              ))}
            </div>
          ))}
        </div>
      </div>
      <div className="ds-preview-foot muted">
        {rows.length.toLocaleString('en-US')} rows shown{more ? ' · scroll for more' : rows.length >= MAX_ROWS ? ` · the preview stops at ${MAX_ROWS.toLocaleString('en-US')} rows` : ''}
      </div>
    </div>
  );
}
