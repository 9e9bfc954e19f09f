import type { LineSeriesOption } from 'echarts/charts';
import type { ChartXAxis, MetricChart } from '../../../shared/api/search-types';
import type { ChartOption } from './echarts';
import { groupBands, seriesCurve, smoothCurve } from './compare-series';
import { formatDateTime, formatDuration, formatMetricValue } from './format';
import type { ChartColors } from './theme-colors';

export interface CompareChartSettings {
  xAxis: ChartXAxis;
  /** EMA weight 0–0.99; 0 draws the raw curves only. */
  smoothing: number;
  logY: boolean;
  /** Zoomed x range, or null for everything. */
  zoom: [number, number] | null;
}

export interface RunStyle {
  name: string;
  color: string;
}

export interface CompareChartInput {
  chart: MetricChart;
  runs: Map<string, RunStyle>;
  hidden: ReadonlySet<string>;
  settings: CompareChartSettings;
  /** Group name of each run when grouping by a param, else null. */
  groupOf: ((runId: string) => string) | null;
  groupColor(group: string): string;
  colors: ChartColors;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function formatX(xAxis: ChartXAxis, v: number): string {
  if (xAxis === 'wall') return formatDateTime(v);
  if (xAxis === 'relative') return formatDuration(v);
  return formatMetricValue(v);
}

const TOOLTIP_ROWS = 12;

/** A `[x, y]` line series; `sampling: 'minmax'` only guards against a curve denser than the canvas. */
function line(id: string, name: string, data: Array<[number, number]>, color: string, opts: Partial<LineSeriesOption> = {}): LineSeriesOption {
  return {
    type: 'line',
    id,
    name,
    data,
    showSymbol: data.length < 3,
    symbolSize: 4,
    sampling: 'minmax',
    lineStyle: { width: 1.5, color },
    itemStyle: { color },
    emphasis: { disabled: true },
    animation: false,
    ...opts,
  };
}

/**
 * The option of one compare chart: per run a raw curve (spikes kept) and, when smoothing, an
 * EMA curve over it with the raw one faded beneath; or, when grouping, a mean line and a
 * min–max band per group. The x range follows the zoom, so refetched finer buckets fill it.
 */
export function buildCompareChartOption(input: CompareChartInput): ChartOption {
  const { chart, runs, hidden, settings, groupOf, colors } = input;
  const visible = chart.series.filter((s) => !hidden.has(s.runId) && runs.has(s.runId));
  const curves = visible.map((s) => seriesCurve(s, settings.logY));
  const series: LineSeriesOption[] = [];
  if (groupOf) {
    for (const band of groupBands(curves, groupOf, settings.smoothing)) {
      const color = input.groupColor(band.group);
      series.push(line(`lo:${band.group}`, '', band.min, color, { lineStyle: { opacity: 0 }, stack: `band:${band.group}`, silent: true, showSymbol: false, tooltip: { show: false } }));
      series.push(
        line(`band:${band.group}`, '', band.max.map(([x, y], k) => [x, y - band.min[k]![1]]), color, {
          lineStyle: { opacity: 0 },
          areaStyle: { color, opacity: 0.18 },
          stack: `band:${band.group}`,
          silent: true,
          showSymbol: false,
          tooltip: { show: false },
        }),
      );
      series.push(line(`mean:${band.group}`, `${band.group} (${band.runIds.length})`, band.mean, color, { lineStyle: { width: 2, color } }));
    }
  } else {
    for (const c of curves) {
      const style = runs.get(c.runId)!;
      if (settings.smoothing > 0) {
        series.push(line(`raw:${c.runId}`, '', c.raw, style.color, { lineStyle: { width: 1, color: style.color, opacity: 0.22 }, silent: true, z: 1, tooltip: { show: false } }));
        series.push(line(`smooth:${c.runId}`, style.name, smoothCurve(c, settings.smoothing), style.color, { z: 2 }));
      } else {
        // Its own id: charts merge series by id, and the faded raw curve's style must not carry over.
        series.push(line(`line:${c.runId}`, style.name, c.raw, style.color, { z: 2 }));
      }
    }
  }

  const axisCommon = {
    axisLine: { lineStyle: { color: colors.axis } },
    axisTick: { lineStyle: { color: colors.axis } },
    axisLabel: { color: colors.muted, fontSize: 11, hideOverlap: true },
    splitLine: { lineStyle: { color: colors.grid } },
  };
  const [xMin, xMax] = settings.zoom ?? [undefined, undefined];
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 4, right: 12, top: 10, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: settings.xAxis === 'wall' ? 'time' : 'value',
      min: xMin ?? 'dataMin',
      max: xMax ?? 'dataMax',
      ...axisCommon,
      splitLine: { show: false },
      axisLabel: { ...axisCommon.axisLabel, formatter: settings.xAxis === 'wall' ? undefined : (v: number) => formatX(settings.xAxis, v) },
    },
    yAxis: {
      type: settings.logY ? 'log' : 'value',
      scale: true,
      ...axisCommon,
      axisLabel: { ...axisCommon.axisLabel, formatter: (v: number) => formatMetricValue(v) },
    },
    tooltip: {
      trigger: 'axis',
      confine: true,
      backgroundColor: colors.tooltipBg,
      borderColor: colors.tooltipBorder,
      textStyle: { color: colors.text, fontSize: 12 },
      axisPointer: { type: 'line', lineStyle: { color: colors.axis } },
      formatter: (params: unknown) => {
        const items = (Array.isArray(params) ? params : [params]) as Array<{ seriesName?: string; color?: string; data?: [number, number] }>;
        const rows = items.filter((p) => p.seriesName && p.data).sort((a, b) => b.data![1] - a.data![1]);
        if (!rows.length) return '';
        const head = `<div style="opacity:.7;margin-bottom:2px">${escapeHtml(formatX(settings.xAxis, rows[0]!.data![0]))}</div>`;
        const body = rows
          .slice(0, TOOLTIP_ROWS)
          .map((p) => `<div><span style="display:inline-block;width:8px;height:8px;border-radius:50%;background:${p.color};margin-right:6px"></span>${escapeHtml(p.seriesName!)}: <b>${formatMetricValue(p.data![1])}</b></div>`)
          .join('');
        const more = rows.length > TOOLTIP_ROWS ? `<div style="opacity:.7">+${rows.length - TOOLTIP_ROWS} more</div>` : '';
        return head + body + more;
      },
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none', zoomOnMouseWheel: true, moveOnMouseMove: true, moveOnMouseWheel: false }],
    series,
  };
}
