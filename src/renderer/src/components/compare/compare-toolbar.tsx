import { useState } from 'react';
import type { ChartXAxis } from '../../../../shared/api/search-types';
import { GroupBySelect } from '../group-by-select';
import { ColumnPicker } from '../runs-table/column-picker';
import { useCompareStore } from './compare-store';

interface CompareToolbarProps {
  paramKeys: string[];
  metricKeys: string[];
  chartKeys: string[];
  groupBy: string | null;
  onGroupBy(param: string | null): void;
  live: boolean;
}

const X_AXES: Array<[ChartXAxis, string]> = [
  ['step', 'Step'],
  ['wall', 'Wall time'],
  ['relative', 'Relative'],
];

/** Chart settings shared by every chart of the compare view. */
export function CompareToolbar({ paramKeys, metricKeys, chartKeys, groupBy, onGroupBy, live }: CompareToolbarProps) {
  const { xAxis, smoothing, logY, syncZoom, set, resetZoom, zoomAll } = useCompareStore();
  const [pickerOpen, setPickerOpen] = useState(false);
  return (
    <div className="compare-toolbar" data-testid="compare-toolbar">
      <div className="segmented" role="group" aria-label="X axis">
        {X_AXES.map(([value, label]) => (
          <button key={value} type="button" className={`segment${xAxis === value ? ' selected' : ''}`} onClick={() => {
              set({ xAxis: value });
              // A shared range in the old axis's units means nothing on the new one.
              zoomAll(null);
            }} data-testid={`x-axis-${value}`}>
            {label}
          </button>
        ))}
      </div>
      <label className="toolbar-field smoothing-field" title="Exponential moving average; the raw curve stays faded beneath">
        <span className="muted">Smoothing</span>
        <input type="range" min={0} max={0.99} step={0.01} value={smoothing} onChange={(e) => set({ smoothing: Number(e.target.value) })} data-testid="smoothing" />
        <span className="smoothing-value">{smoothing.toFixed(2)}</span>
      </label>
      <label className="check">
        <input type="checkbox" checked={logY} onChange={(e) => set({ logY: e.target.checked })} data-testid="log-scale" />
        Log scale
      </label>
      <GroupBySelect value={groupBy} paramKeys={paramKeys} onChange={onGroupBy} testId="compare-group-by" />
      <div className="picker-anchor">
        <button type="button" className="button" onClick={() => setPickerOpen((o) => !o)} data-testid="columns-button">
          Charts <span className="muted">{chartKeys.length}</span>
        </button>
        {pickerOpen && (
          <ColumnPicker
            keys={{ metrics: metricKeys, params: [], tags: [] }}
            kinds={['metrics']}
            chosen={{ metrics: chartKeys, params: [], tags: [] }}
            onChange={(_kind, list) => set({ chartKeys: list })}
            onClose={() => setPickerOpen(false)}
          />
        )}
      </div>
      <label className="check" title="Zooming one chart zooms every chart to the same x range">
        <input type="checkbox" checked={syncZoom} onChange={(e) => set({ syncZoom: e.target.checked })} data-testid="sync-zoom" />
        Sync zoom
      </label>
      <button type="button" className="button" onClick={resetZoom} data-testid="reset-zoom" title="Or double-click a chart">
        Reset zoom
      </button>
      {live && (
        <span className="live-badge" title="Some runs are still running: charts refresh as they log">
          <span className="live-dot" aria-hidden="true" />
          live
        </span>
      )}
    </div>
  );
}
