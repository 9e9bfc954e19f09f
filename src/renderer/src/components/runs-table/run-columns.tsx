import type { ColumnDef } from '@tanstack/react-table';
import { Link } from 'react-router';
import { StatusBadge } from '../status-badge';
import { formatDateTime, formatDuration, formatMetricValue, formatShortDateTime, runDuration } from '../../lib/format';
import { NOTE_TAG, columnId, isSortable } from '../../lib/search-fields';
import { EditableCell } from './editable-cell';
import type { Band, RunRow, RunsTableFeatures } from './table-model';

type Col = ColumnDef<RunsTableFeatures, RunRow, unknown>;

/** What cells read at render time: it changes with the data, the columns stay the same objects. */
export interface CellContext {
  now: number;
  experimentNames?: Map<string, string>;
  /** Min and max of each metric column over the loaded runs, to draw group bands to scale. */
  ranges: Map<string, { min: number; max: number }>;
  setTag(runId: string, key: string, value: string): Promise<void>;
  /** Deleted runs are read-only (the server refuses tags on them). */
  readOnly: boolean;
}

export interface ColumnChoice {
  params: string[];
  metrics: string[];
  tags: string[];
  showExperiment: boolean;
}

export const ROW_HEIGHT = 34;
export const GROUP_ROW_HEIGHT = 46;

function MetricValue({ v }: { v: number | undefined }) {
  if (v === undefined) return <span className="muted">—</span>;
  return <span className={Number.isFinite(v) ? undefined : 'nonfinite'}>{formatMetricValue(v)}</span>;
}

/** A group's mean over a bar from its min to its max, drawn on the column's scale over all runs. */
function BandCell({ band, range }: { band: Band; range: { min: number; max: number } | undefined }) {
  const span = range && range.max > range.min ? range.max - range.min : 0;
  const pos = (v: number) => (span ? ((v - range!.min) / span) * 100 : 50);
  return (
    <div className="band-cell" title={`mean ${formatMetricValue(band.mean)} · min ${formatMetricValue(band.min)} · max ${formatMetricValue(band.max)} · ${band.n} run${band.n === 1 ? '' : 's'}`}>
      <span className="band-mean">{formatMetricValue(band.mean)}</span>
      <span className="band-track" aria-hidden="true">
        <span className="band-range" style={{ left: `${pos(band.min)}%`, width: `${Math.max(1.5, pos(band.max) - pos(band.min))}%` }} />
        <span className="band-tick" style={{ left: `${pos(band.mean)}%` }} />
      </span>
    </div>
  );
}

/**
 * The runs table's columns: selection and name (pinned), status, times, then the chosen
 * metrics, params and tags, and the note last (editable cells at the end, so a click in the
 * middle of a row opens the run). Cells read live values through `ctx`.
 */
export function buildColumns(choice: ColumnChoice, ctx: { current: CellContext }): Col[] {
  const cols: Col[] = [
    {
      id: 'select',
      size: 36,
      enableResizing: false,
      enableSorting: false,
      header: ({ table }) => (
        <input
          type="checkbox"
          aria-label="Select all loaded runs"
          data-testid="select-all"
          checked={table.getIsAllRowsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = table.getIsSomeRowsSelected() && !table.getIsAllRowsSelected();
          }}
          onChange={table.getToggleAllRowsSelectedHandler()}
        />
      ),
      cell: ({ row }) => (
        <input
          type="checkbox"
          aria-label={`Select ${row.getIsGrouped() ? 'group' : row.original.run.info.name}`}
          data-testid="select-run"
          checked={row.getIsSelected()}
          ref={(el) => {
            if (el) el.indeterminate = row.getIsSomeSelected() && !row.getIsSelected();
          }}
          onChange={() => undefined}
          // A click (not change) carries Shift, which the handler uses for range selection.
          onClick={row.getToggleSelectedHandler()}
        />
      ),
    },
    {
      id: 'name',
      size: 240,
      minSize: 120,
      header: 'Name',
      accessorFn: (r) => r.run.info.name,
      cell: ({ row }) => {
        if (row.getIsGrouped()) {
          return (
            <button type="button" className="group-toggle" data-testid="group-toggle" onClick={row.getToggleExpandedHandler()} aria-expanded={row.getIsExpanded()}>
              <span className="group-caret" aria-hidden="true">{row.getIsExpanded() ? '▾' : '▸'}</span>
              <span className="group-label">
                <span className="muted">{String(row.groupingColumnId ?? '').replace(/^param:/, '')} = </span>
                {String(row.groupingValue ?? '') === '' ? '(no value)' : String(row.groupingValue)}
              </span>
              <span className="count">{row.subRows.length}</span>
            </button>
          );
        }
        const { info } = row.original.run;
        return (
          <Link to={`/runs/${encodeURIComponent(info.runId)}`} className={`run-name-link${row.depth ? ' nested' : ''}`} title={info.name || info.runId}>
            {info.name || info.runId}
          </Link>
        );
      },
    },
  ];
  if (choice.showExperiment) {
    cols.push({
      id: 'experiment',
      size: 140,
      header: 'Experiment',
      enableSorting: false,
      accessorFn: (r) => r.run.info.experimentId,
      cell: ({ row }) => (row.getIsGrouped() ? null : <span className="muted">{ctx.current.experimentNames?.get(row.original.run.info.experimentId) ?? row.original.run.info.experimentId}</span>),
    });
  }
  cols.push(
    {
      id: 'status',
      size: 112,
      header: 'Status',
      accessorFn: (r) => r.run.info.status,
      cell: ({ row }) => (row.getIsGrouped() ? null : <StatusBadge status={row.original.run.info.status} />),
    },
    {
      id: 'started',
      size: 128,
      header: 'Started',
      accessorFn: (r) => r.run.info.startTime,
      cell: ({ row }) => (row.getIsGrouped() ? null : <span title={formatDateTime(row.original.run.info.startTime)}>{formatShortDateTime(row.original.run.info.startTime)}</span>),
    },
    {
      id: 'duration',
      size: 104,
      header: 'Duration',
      meta: { numeric: true },
      accessorFn: (r) => runDuration(r.run.info, ctx.current.now),
      cell: ({ row }) => (row.getIsGrouped() ? null : formatDuration(runDuration(row.original.run.info, ctx.current.now))),
    },
  );
  for (const key of choice.metrics) {
    cols.push({
      id: columnId('metric', key),
      size: 120,
      minSize: 70,
      header: key,
      meta: { kind: 'metric', numeric: true },
      aggregationFn: 'band',
      accessorFn: (r) => r.metrics[key],
      // Group rows render aggregatedCell (FlexRender picks it for aggregated cells).
      aggregatedCell: ({ cell }) => {
        const band = cell.getValue() as Band | undefined;
        return band ? <BandCell band={band} range={ctx.current.ranges.get(key)} /> : <span className="muted">—</span>;
      },
      cell: ({ row }) => <MetricValue v={row.original.metrics[key]} />,
    });
  }
  for (const key of choice.params) {
    cols.push({
      id: columnId('param', key),
      size: 120,
      minSize: 60,
      header: key,
      meta: { kind: 'param' },
      accessorFn: (r) => r.run.params[key] ?? '',
      cell: ({ row }) => {
        if (row.getIsGrouped()) return null;
        const v = row.original.run.params[key];
        return v === undefined ? <span className="muted">—</span> : <span className="mono" title={v}>{v}</span>;
      },
    });
  }
  const editable = (key: string, label: string, placeholder: string, multiline = false): Col['cell'] =>
    function TagCell({ row }) {
      if (row.getIsGrouped()) return null;
      const run = row.original.run;
      return (
        <EditableCell
          value={run.tags[key]}
          label={label}
          placeholder={placeholder}
          multiline={multiline}
          disabled={ctx.current.readOnly}
          onSave={(next) => ctx.current.setTag(run.info.runId, key, next)}
        />
      );
    };
  for (const key of choice.tags) {
    cols.push({ id: columnId('tag', key), size: 140, minSize: 60, header: key, meta: { kind: 'tag' }, accessorFn: (r) => r.run.tags[key] ?? '', cell: editable(key, `Tag ${key}`, 'set…') });
  }
  cols.push({ id: 'note', size: 240, minSize: 100, header: 'Notes', accessorFn: (r) => r.run.tags[NOTE_TAG] ?? '', cell: editable(NOTE_TAG, 'Notes', 'Add a note…', true) });
  for (const c of cols) c.enableSorting ??= isSortable(c.id!);
  return cols;
}
