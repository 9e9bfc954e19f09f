import { useEffect, useRef, type CSSProperties } from 'react';
import { useVirtualizer } from '@tanstack/react-virtual';
import type { Cell, Header, ReactTable, Row } from '@tanstack/react-table';
import { useNavigate } from 'react-router';
import { useFillViewport } from '../../hooks/use-fill-viewport';
import { GROUP_ROW_HEIGHT, ROW_HEIGHT } from './run-columns';
import type { RunRow, RunsTableFeatures } from './table-model';

type Table = ReactTable<RunsTableFeatures, RunRow>;
type AnyCell = Cell<RunsTableFeatures, RunRow, unknown>;
type AnyHeader = Header<RunsTableFeatures, RunRow, unknown>;

interface RunsGridProps {
  table: Table;
  /** Runs matching the query in all; rows past the loaded ones are drawn as placeholders. */
  total: number;
  grouped: boolean;
  onNeedMore(): void;
  /** Bumped when the query changes, to scroll back to the top. */
  resetKey: string;
}

const HEAD_HEIGHT = 46;

function metaOf(h: { column: { columnDef: { meta?: unknown } } }): { kind?: 'metric' | 'param' | 'tag'; numeric?: boolean } {
  return (h.column.columnDef.meta ?? {}) as { kind?: 'metric' | 'param' | 'tag'; numeric?: boolean };
}

function HeaderCell({ header, table, style }: { header: AnyHeader; table: Table; style: CSSProperties }) {
  const meta = metaOf(header);
  const sorted = header.column.getIsSorted();
  const canSort = header.column.getCanSort();
  const label = String(header.column.columnDef.header && typeof header.column.columnDef.header === 'string' ? header.column.columnDef.header : '');
  return (
    <div
      role="columnheader"
      className={`rt-th${meta.numeric ? ' num' : ''}${canSort ? ' sortable' : ''}${meta.kind ? ` kind-${meta.kind}` : ''}`}
      style={style}
      data-column-id={header.column.id}
      aria-sort={sorted === 'asc' ? 'ascending' : sorted === 'desc' ? 'descending' : undefined}
      title={meta.kind ? `${meta.kind} ${label}${canSort ? ' — click to sort' : ''}` : undefined}
      onClick={canSort ? header.column.getToggleSortingHandler() : undefined}
      tabIndex={canSort ? 0 : undefined}
      onKeyDown={
        canSort
          ? (e) => {
              if (e.key === 'Enter' || e.key === ' ') {
                e.preventDefault();
                header.column.getToggleSortingHandler()?.(e);
              }
            }
          : undefined
      }
    >
      {meta.kind && <span className="rt-kind">{meta.kind}</span>}
      <span className="rt-th-label">
        {typeof header.column.columnDef.header === 'string' ? label : <table.FlexRender header={header} />}
        {sorted && <span className="rt-sort" aria-hidden="true">{sorted === 'desc' ? ' ↓' : ' ↑'}</span>}
      </span>
      {header.column.getCanResize() && (
        <span
          className={`rt-resizer${header.column.getIsResizing() ? ' active' : ''}`}
          onMouseDown={header.getResizeHandler()}
          onTouchStart={header.getResizeHandler()}
          onClick={(e) => e.stopPropagation()}
          aria-hidden="true"
        />
      )}
    </div>
  );
}

function BodyCell({ cell, table, style }: { cell: AnyCell; table: Table; style: CSSProperties }) {
  const meta = metaOf(cell);
  return (
    <div role="cell" className={`rt-td${meta.numeric ? ' num' : ''}`} style={style} data-column-id={cell.column.id}>
      <div className="rt-cell-text">
        <table.FlexRender cell={cell} />
      </div>
    </div>
  );
}

/**
 * The runs grid: rows and columns both virtualized (TanStack Virtual), so 10,000 runs × 500
 * columns keep a few hundred cells in the DOM. Selection and name stay pinned on the left.
 * Rows past the loaded ones are placeholders whose coming into view asks for the next page.
 */
export function RunsGrid({ table, total, grouped, onNeedMore, resetKey }: RunsGridProps) {
  const navigate = useNavigate();
  const scrollRef = useRef<HTMLDivElement | null>(null);
  const fill = useFillViewport<HTMLDivElement>(320, 32);
  const rows = table.getRowModel().rows;
  const count = grouped ? rows.length : Math.max(rows.length, total);

  const rowVirtualizer = useVirtualizer({
    count,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => (rows[i]?.getIsGrouped() ? GROUP_ROW_HEIGHT : ROW_HEIGHT),
    getItemKey: (i) => rows[i]?.id ?? `placeholder-${i}`,
    overscan: 12,
  });
  const startColumns = table.getStartVisibleLeafColumns();
  const centerColumns = table.getCenterVisibleLeafColumns();
  const columnVirtualizer = useVirtualizer({
    horizontal: true,
    count: centerColumns.length,
    getScrollElement: () => scrollRef.current,
    estimateSize: (i) => centerColumns[i]!.getSize(),
    getItemKey: (i) => centerColumns[i]!.id,
    overscan: 4,
  });
  const sizeKey = centerColumns.map((c) => `${c.id}:${c.getSize()}`).join('|');
  useEffect(() => columnVirtualizer.measure(), [sizeKey, columnVirtualizer]);
  const groupKey = rows.map((r) => (r.getIsGrouped() ? 'g' : 'r')).join('');
  useEffect(() => rowVirtualizer.measure(), [groupKey, rowVirtualizer]);
  useEffect(() => {
    scrollRef.current?.scrollTo({ top: 0 });
  }, [resetKey]);

  const virtualRows = rowVirtualizer.getVirtualItems();
  const lastIndex = virtualRows.length ? virtualRows[virtualRows.length - 1]!.index : 0;
  useEffect(() => {
    if (!grouped && lastIndex >= rows.length - 40 && rows.length < total) onNeedMore();
  }, [lastIndex, rows.length, total, grouped, onNeedMore]);

  const virtualColumns = columnVirtualizer.getVirtualItems();
  const startWidth = startColumns.reduce((n, c) => n + c.getSize(), 0);
  const centerWidth = columnVirtualizer.getTotalSize();
  const padLeft = virtualColumns[0]?.start ?? 0;
  const padRight = centerWidth - (virtualColumns[virtualColumns.length - 1]?.end ?? 0);
  const width = startWidth + centerWidth;
  const pinned = (c: { getStart: (p: 'start') => number; getSize: () => number }): CSSProperties => ({ width: c.getSize(), left: c.getStart('start') });
  const sized = (c: { getSize: () => number }): CSSProperties => ({ width: c.getSize() });

  const headers = table.getHeaderGroups().at(-1)?.headers ?? [];
  const headerById = new Map(headers.map((h) => [h.column.id, h]));

  const renderRow = (row: Row<RunsTableFeatures, RunRow>) => {
    // Memoized per row by TanStack: no map built per row on every scroll frame.
    const byId = row.getAllCellsByColumnId();
    return (
      <>
        {startColumns.map((c) => (
          <BodyCell key={c.id} cell={byId[c.id]!} table={table} style={pinned(c)} />
        ))}
        {padLeft > 0 && <div className="rt-pad" style={{ width: padLeft }} />}
        {virtualColumns.map((vc) => {
          const c = centerColumns[vc.index]!;
          return <BodyCell key={c.id} cell={byId[c.id]!} table={table} style={sized(c)} />;
        })}
        {padRight > 0 && <div className="rt-pad" style={{ width: padRight }} />}
      </>
    );
  };

  return (
    <div
      className="rt-scroll"
      ref={(el) => {
        scrollRef.current = el;
        fill(el);
      }}
    >
      <div role="table" className="rt" data-testid="runs-table" aria-rowcount={count} style={{ width }}>
        <div role="rowgroup" className="rt-head" style={{ width }}>
          <div role="row" className="rt-row" style={{ height: HEAD_HEIGHT }}>
            {startColumns.map((c) => (
              <HeaderCell key={c.id} header={headerById.get(c.id)!} table={table} style={{ ...pinned(c), height: HEAD_HEIGHT }} />
            ))}
            {padLeft > 0 && <div className="rt-pad" style={{ width: padLeft }} />}
            {virtualColumns.map((vc) => {
              const c = centerColumns[vc.index]!;
              return <HeaderCell key={c.id} header={headerById.get(c.id)!} table={table} style={{ ...sized(c), height: HEAD_HEIGHT }} />;
            })}
          </div>
        </div>
        <div role="rowgroup" className="rt-body" style={{ height: rowVirtualizer.getTotalSize(), width }}>
          {virtualRows.map((vr) => {
            const row = rows[vr.index];
            const style: CSSProperties = { transform: `translateY(${vr.start}px)`, height: vr.size, width };
            if (!row) {
              return <div key={vr.key} role="row" className="rt-row placeholder" style={style} aria-busy="true" />;
            }
            const runId = row.getIsGrouped() ? undefined : row.original.run.info.runId;
            return (
              <div
                key={vr.key}
                role="row"
                className={`rt-row${row.getIsGrouped() ? ' group' : ' clickable'}${row.getIsSelected() ? ' selected' : ''}`}
                style={style}
                data-testid={row.getIsGrouped() ? 'group-row' : 'run-row'}
                data-run-id={runId}
                data-group={row.getIsGrouped() ? String(row.groupingValue) : undefined}
                onClick={(e) => {
                  // Links, checkboxes and editable cells do their own thing; so does selecting text.
                  if (!runId || (e.target as HTMLElement).closest('a, button, input, textarea, [data-no-row-click]') || window.getSelection()?.toString()) return;
                  void navigate(`/runs/${encodeURIComponent(runId)}`);
                }}
              >
                {renderRow(row)}
              </div>
            );
          })}
        </div>
      </div>
    </div>
  );
}
