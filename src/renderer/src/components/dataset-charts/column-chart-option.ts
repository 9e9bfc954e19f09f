import type { ColumnProfile, ProfileValue } from '../../../../shared/api/dataset-types';
import type { ChartColors } from '../../lib/theme-colors';
import type { BarChartOption } from '../../lib/echarts';

/** Compact number for axis labels and tooltips: 1.2k, 3.4M, 0.0012. */
export function compactNumber(v: number): string {
  if (!Number.isFinite(v)) return String(v);
  const a = Math.abs(v);
  if (a >= 1e9) return `${(v / 1e9).toPrecision(3)}G`;
  if (a >= 1e6) return `${(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${(v / 1e3).toPrecision(3)}k`;
  if (a === 0) return '0';
  if (a < 1e-3) return v.toExponential(1);
  return String(Number(v.toPrecision(4)));
}

/** A top value as a label: text as is (shortened), lists and booleans as JSON. */
export function valueLabel(v: ProfileValue, max = 28): string {
  const s = typeof v === 'string' ? v : JSON.stringify(v);
  const visible = s.replace(/\r/g, '␍').replace(/\n/g, '␤').replace(/\t/g, '⇥');
  return visible.length > max ? `${visible.slice(0, max - 1)}…` : visible === '' ? '(empty)' : visible;
}

const base = (colors: ChartColors) => ({
  animation: false,
  grid: { left: 8, right: 12, top: 8, bottom: 4, containLabel: true },
  tooltip: {
    trigger: 'axis' as const,
    axisPointer: { type: 'shadow' as const },
    backgroundColor: colors.tooltipBg,
    borderColor: colors.tooltipBorder,
    textStyle: { color: colors.text, fontSize: 12 },
    confine: true,
  },
});

/**
 * The chart of a column: its histogram (numpy bins, labelled by bin range) for numeric
 * columns, its time histogram for dates and timestamps, otherwise a horizontal bar chart of
 * its top values. Null when there is nothing to draw.
 */
export function columnChartOption(col: ColumnProfile, colors: ChartColors): BarChartOption | null {
  if (col.histogram) {
    const { edges, counts } = col.histogram;
    const labels = counts.map((_, i) => `${compactNumber(edges[i]!)} – ${compactNumber(edges[i + 1]!)}`);
    return {
      ...base(colors),
      xAxis: {
        type: 'category',
        data: labels,
        axisLabel: { color: colors.muted, fontSize: 10, interval: 'auto', formatter: (_v: string, i: number) => compactNumber(edges[i]!) },
        axisLine: { lineStyle: { color: colors.axis } },
        axisTick: { show: false },
      },
      yAxis: { type: 'value', axisLabel: { color: colors.muted, fontSize: 10, formatter: (v: number) => compactNumber(v) }, splitLine: { lineStyle: { color: colors.grid } } },
      series: [{ type: 'bar', data: counts, barCategoryGap: '8%', itemStyle: { color: colors.line, borderRadius: [2, 2, 0, 0] }, name: 'rows' }],
    };
  }
  if (col.time_histogram) {
    const { edges, counts } = col.time_histogram;
    const spanDays = (Date.parse(edges.at(-1)!.replace(/\+00:00$/, 'Z')) - Date.parse(edges[0]!.replace(/\+00:00$/, 'Z'))) / 86_400_000;
    const short = (iso: string) => (spanDays > 3 || Number.isNaN(spanDays) ? iso.slice(0, 10) : iso.slice(5, 16).replace('T', ' '));
    return {
      ...base(colors),
      xAxis: {
        type: 'category',
        data: counts.map((_, i) => `${edges[i]} – ${edges[i + 1]}`),
        axisLabel: { color: colors.muted, fontSize: 10, formatter: (_v: string, i: number) => short(edges[i]!) },
        axisLine: { lineStyle: { color: colors.axis } },
        axisTick: { show: false },
      },
      yAxis: { type: 'value', axisLabel: { color: colors.muted, fontSize: 10, formatter: (v: number) => compactNumber(v) }, splitLine: { lineStyle: { color: colors.grid } } },
      series: [{ type: 'bar', data: counts, barCategoryGap: '8%', itemStyle: { color: colors.line, opacity: 0.85, borderRadius: [2, 2, 0, 0] }, name: 'rows' }],
    };
  }
  if (col.top5.length === 0) return null;
  const entries = [...col.top5].reverse();
  return {
    ...base(colors),
    xAxis: { type: 'value', axisLabel: { color: colors.muted, fontSize: 10, formatter: (v: number) => compactNumber(v) }, splitLine: { lineStyle: { color: colors.grid } } },
    yAxis: {
      type: 'category',
      data: entries.map(([v]) => valueLabel(v, 22)),
      axisLabel: { color: colors.text, fontSize: 11 },
      axisLine: { lineStyle: { color: colors.axis } },
      axisTick: { show: false },
    },
    series: [{ type: 'bar', data: entries.map(([, n]) => n), barCategoryGap: '25%', itemStyle: { color: colors.line, opacity: 0.8, borderRadius: [0, 2, 2, 0] }, name: 'rows' }],
  };
}
