import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import { functionalUpdate, useTable, type ExpandedState, type Updater } from '@tanstack/react-table';
import { call } from '../../api/client';
import { useLiveQuery } from '../../hooks/use-live-query';
import { useNow } from '../../hooks/use-now';
import { NOTE_TAG, columnId, orderByFor } from '../../lib/search-fields';
import type { ChangeEvent } from '../../../../shared/api/types';
import { ErrorPanel } from '../error-panel';
import { GroupBySelect } from '../group-by-select';
import { ColumnPicker } from './column-picker';
import { useDefaultColumns } from './default-columns';
import { exportRunsCsv } from './export-csv';
import { FilterBox } from './filter-box';
import { buildColumns, type CellContext } from './run-columns';
import { RunsGrid } from './runs-grid';
import { useRunSelection, useRunsView, useRunsViewStore } from './runs-view-store';
import { SelectionActions } from './selection-actions';
import { runsTableFeatures, toRows } from './table-model';
import { useRunsSearch, type RunsQuery } from './use-runs-search';
import './runs-toolbar.css';
import './runs-table.css';

interface RunsTableViewProps {
  /** The experiment shown, or null for all runs. */
  experimentId: string | null;
  experimentNames?: Map<string, string>;
  /** Told how many runs match, for the page heading. */
  onTotal?(total: number | undefined): void;
  /** Shown instead of the table when the scope has no runs at all. */
  empty: React.ReactNode;
}

const PINNING = { start: ['select', 'name'], end: [] };

/** Run ids among selection keys (group rows select under ids like `param:lr:0.1`; run ids have no colon). */
export function selectedRunIds(selection: Record<string, true>): string[] {
  return Object.keys(selection).filter((id) => selection[id] && !id.includes(':'));
}

/**
 * The runs table of one scope: filter, column picker, grouping, selection actions, CSV
 * export, and the virtualized grid. Server-side filter and sort; the view settings persist.
 */
export function RunsTableView({ experimentId, experimentNames, onTotal, empty }: RunsTableViewProps) {
  const scope = experimentId ?? '*';
  const view = useRunsView(scope);
  const update = useRunsViewStore((s) => s.update);
  const setSelectionFor = useRunsViewStore((s) => s.setSelection);
  const selection = useRunSelection(scope);
  const [pickerOpen, setPickerOpen] = useState(false);
  const [expanded, setExpanded] = useState<ExpandedState>({});
  const [exporting, setExporting] = useState<string | null>(null);
  const experimentIds = useMemo(() => (experimentId === null ? undefined : [experimentId]), [experimentId]);

  const keys = useLiveQuery(
    `run-keys:${scope}`,
    () => call((c) => c.runs.keys({ experimentIds })),
    (e: ChangeEvent) => e.kind === 'run' && (experimentId === null || e.experimentId === experimentId),
  );
  const defaults = useDefaultColumns(scope, experimentIds, view.params === null || view.metrics === null);
  const fallback = useMemo(() => defaults ?? { metrics: [], params: [] }, [defaults]);
  const choice = useMemo(() => {
    const params = view.params ?? fallback.params;
    return {
      metrics: view.metrics ?? fallback.metrics,
      // The grouping param is a column too: TanStack groups by a column, and the reader sees the value.
      params: view.groupBy && !params.includes(view.groupBy) ? [...params, view.groupBy] : params,
      tags: (view.tags ?? []).filter((t) => t !== NOTE_TAG),
      showExperiment: experimentId === null,
    };
  }, [view.params, view.metrics, view.tags, view.groupBy, fallback, experimentId]);

  const query: RunsQuery = useMemo(
    () => ({
      experimentIds,
      filter: view.filter,
      orderBy: orderByFor(view.sorting),
      viewType: view.deleted ? 'DELETED_ONLY' : 'ACTIVE_ONLY',
      columns: { params: choice.params, metrics: choice.metrics, tags: [...choice.tags, NOTE_TAG] },
      all: view.groupBy !== null,
    }),
    [experimentIds, view.filter, view.sorting, view.deleted, view.groupBy, choice],
  );
  // Until the sample answers, the default columns are unknown: wait rather than fetch twice.
  const ready = defaults !== undefined || (view.params !== null && view.metrics !== null);
  const search = useRunsSearch(query, ready);
  const shownTotal = search.loading ? undefined : search.total;
  useEffect(() => onTotal?.(shownTotal), [shownTotal, onTotal]);

  const rows = useMemo(() => toRows(search.runs), [search.runs]);
  const now = useNow(search.runs.some((r) => r.info.status === 'RUNNING' && r.info.endTime === null));
  const ranges = useMemo(() => {
    const out = new Map<string, { min: number; max: number }>();
    for (const key of choice.metrics) {
      let min = Infinity;
      let max = -Infinity;
      for (const r of rows) {
        const v = r.metrics[key];
        if (v !== undefined && Number.isFinite(v)) {
          min = Math.min(min, v);
          max = Math.max(max, v);
        }
      }
      if (min <= max) out.set(key, { min, max });
    }
    return out;
  }, [rows, choice.metrics]);

  const refetch = search.refetch;
  const setTag = useCallback(
    async (runId: string, key: string, value: string) => {
      if (value === '') {
        await call((c) => c.runs.deleteTag({ runId, key })).catch((err: { code?: string }) => {
          if (err.code !== 'RESOURCE_DOES_NOT_EXIST') throw err;
        });
      } else {
        await call((c) => c.runs.logBatch({ runId, tags: [{ key, value }] }));
      }
      // Show the saved value now rather than after the change feed's debounce.
      refetch();
    },
    [refetch],
  );
  const ctx = useRef<CellContext>({ now, experimentNames, ranges, setTag, readOnly: view.deleted });
  ctx.current = { now, experimentNames, ranges, setTag, readOnly: view.deleted };
  const columns = useMemo(() => buildColumns(choice, ctx), [choice]);

  const grouping = useMemo(() => (view.groupBy ? [columnId('param', view.groupBy)] : []), [view.groupBy]);
  const table = useTable({
    features: runsTableFeatures,
    columns,
    data: rows,
    getRowId: (r) => r.run.info.runId,
    state: { sorting: view.sorting, rowSelection: selection, grouping, expanded, columnSizing: view.sizing, columnPinning: PINNING },
    onSortingChange: (u: Updater<RunsViewSorting>) => update(scope, { sorting: functionalUpdate(u, view.sorting) }),
    onRowSelectionChange: (u: Updater<Record<string, true>>) => setSelectionFor(scope, functionalUpdate(u, selection)),
    onExpandedChange: setExpanded,
    onColumnSizingChange: (u: Updater<Record<string, number>>) => update(scope, { sizing: functionalUpdate(u, view.sizing) }),
    manualSorting: true,
    enableMultiSort: true,
    groupedColumnMode: false,
    columnResizeMode: 'onChange',
  });

  const runIds = selectedRunIds(selection);
  const clearSelection = () => setSelectionFor(scope, {});
  const chosenForPicker = { metrics: choice.metrics, params: view.params ?? fallback.params, tags: choice.tags };

  const doExport = async () => {
    setExporting('Exporting…');
    try {
      const n = await exportRunsCsv(query, choice, `runs-${experimentId ?? 'all'}${view.deleted ? '-deleted' : ''}`);
      setExporting(`Exported ${n.toLocaleString()} runs`);
    } catch (err) {
      setExporting(`Export failed: ${err instanceof Error ? err.message : String(err)}`);
    }
  };

  const noRunsAtAll = !search.loading && search.total === 0 && !view.filter && !view.deleted && !search.filterError;
  return (
    <div className="runs-table-view">
      <FilterBox value={view.filter} onApply={(filter) => update(scope, { filter })} error={search.filterError} />
      <div className="runs-toolbar">
        <div className="segmented" role="group" aria-label="Which runs">
          <button type="button" className={`segment${view.deleted ? '' : ' selected'}`} onClick={() => (update(scope, { deleted: false }), clearSelection())} data-testid="view-active">
            Active
          </button>
          <button type="button" className={`segment${view.deleted ? ' selected' : ''}`} onClick={() => (update(scope, { deleted: true }), clearSelection())} data-testid="view-deleted">
            Deleted
          </button>
        </div>
        <GroupBySelect value={view.groupBy} paramKeys={keys.data?.params} onChange={(groupBy) => update(scope, { groupBy })} testId="group-by" />
        <div className="picker-anchor">
          <button type="button" className="button" onClick={() => setPickerOpen((o) => !o)} aria-expanded={pickerOpen} data-testid="columns-button">
            Columns <span className="muted">{choice.metrics.length + choice.params.length + choice.tags.length}</span>
          </button>
          {pickerOpen && (
            <ColumnPicker
              keys={keys.data}
              chosen={chosenForPicker}
              onChange={(kind, list) => update(scope, { [kind]: list })}
              onClose={() => setPickerOpen(false)}
            />
          )}
        </div>
        <button type="button" className="button" onClick={() => void doExport()} data-testid="export-csv" title="All runs matching the filter, with the chosen columns">
          Export CSV
        </button>
        {exporting && <span className="muted">{exporting}</span>}
        <SelectionActions runIds={runIds} deletedView={view.deleted} groupBy={view.groupBy} onClear={clearSelection} onChanged={search.refetch} />
      </div>
      {search.error && <ErrorPanel error={search.error} title={search.runs.length ? 'Could not refresh the runs' : undefined} onRetry={search.refetch} />}
      {search.loading ? (
        <div className="muted loading">Loading runs…</div>
      ) : noRunsAtAll ? (
        empty
      ) : search.total === 0 && !search.filterError ? (
        <div className="empty-state" data-testid="runs-none-match">
          <div className="empty-title">{view.deleted ? 'No deleted runs' : 'No runs match the filter'}</div>
        </div>
      ) : (
        <RunsGrid table={table} total={search.total} grouped={view.groupBy !== null} onNeedMore={search.loadMore} resetKey={JSON.stringify([query.filter, query.orderBy, query.viewType])} />
      )}
    </div>
  );
}

type RunsViewSorting = Array<{ id: string; desc: boolean }>;
