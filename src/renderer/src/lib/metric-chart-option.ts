import type { ChartOption } from './echarts';
import type { ChartColors } from './theme-colors';
import { formatDateTime, formatMetricValue } from './format';

export interface NonFiniteSummary {
  nan: number;
  posInf: number;
  negInf: number;
  /** Step of the first non-finite point, to point the reader at where a run diverged. */
  firstStep: number | null;
}

export interface PreparedSeries {
  /** [step, value, timestamp] with finite values only: a canvas cannot place NaN or ±Infinity. */
  finite: Array<[number, number, number]>;
  nonFinite: NonFiniteSummary;
}

export function prepareSeries(points: ReadonlyArray<readonly [number, number, number]>): PreparedSeries {
  const finite: Array<[number, number, number]> = [];
  const nonFinite: NonFiniteSummary = { nan: 0, posInf: 0, negInf: 0, firstStep: null };
  for (const [step, value, ts] of points) {
    if (Number.isFinite(value)) {
      finite.push([step, value, ts]);
      continue;
    }
    if (Number.isNaN(value)) nonFinite.nan += 1;
    else if (value > 0) nonFinite.posInf += 1;
    else nonFinite.negInf += 1;
    nonFinite.firstStep ??= step;
  }
  return { finite, nonFinite };
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

export function buildMetricChartOption(metricKey: string, data: Array<[number, number, number]>, colors: ChartColors): ChartOption {
  const axisCommon = {
    axisLine: { lineStyle: { color: colors.axis } },
    axisTick: { lineStyle: { color: colors.axis } },
    axisLabel: { color: colors.muted, fontSize: 11, hideOverlap: true },
    splitLine: { lineStyle: { color: colors.grid } },
  };
  // One distinct step (a final test metric): centre it rather than stretch a 0..1 axis.
  const steps = data.map((d) => d[0]);
  const singleStep = steps.length > 0 && steps.every((x) => x === steps[0]);
  const values = data.map((d) => d[1]);
  const lo = Math.min(...values);
  const hi = Math.max(...values);
  const pad = hi === lo ? Math.abs(hi) * 0.05 || 1 : 0;
  return {
    animation: false,
    textStyle: { fontFamily: 'inherit' },
    grid: { left: 4, right: 10, top: 12, bottom: 4, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
    xAxis: {
      type: 'value',
      min: singleStep ? steps[0]! - 1 : 'dataMin',
      max: singleStep ? steps[0]! + 1 : 'dataMax',
      minInterval: 1,
      ...axisCommon,
      splitLine: { show: false },
      axisLabel: { ...axisCommon.axisLabel, formatter: (v: number) => formatMetricValue(v) },
    },
    yAxis: {
      type: 'value',
      scale: true,
      ...(pad ? { min: lo - pad, max: hi + pad } : {}),
      ...axisCommon,
      axisLabel: { ...axisCommon.axisLabel, formatter: (v: number) => formatMetricValue(v) },
    },
    tooltip: {
      trigger: 'axis',
      backgroundColor: colors.tooltipBg,
      borderColor: colors.tooltipBorder,
      textStyle: { color: colors.text, fontSize: 12 },
      axisPointer: { type: 'line', lineStyle: { color: colors.axis } },
      formatter: (params: unknown) => {
        const first = (Array.isArray(params) ? params[0] : params) as { data?: [number, number, number] } | undefined;
        if (!first?.data) return '';
        const [step, value, ts] = first.data;
        return `<b>${escapeHtml(metricKey)}</b>: ${formatMetricValue(value)}<br/>step ${step}<br/><span style="opacity:.7">${formatDateTime(ts)}</span>`;
      },
    },
    dataZoom: [{ type: 'inside', xAxisIndex: 0, filterMode: 'none' }],
    series: [
      {
        type: 'line',
        name: metricKey,
        data,
        // Only visible when a series has so few points that a lone point would draw nothing.
        showSymbol: data.length < 40,
        symbolSize: 5,
        // The server already reduces to ~2 points a pixel; this only guards against a huge raw series.
        sampling: 'lttb',
        lineStyle: { width: 1.6, color: colors.line },
        itemStyle: { color: colors.line },
        emphasis: { disabled: true },
        encode: { x: 0, y: 1 },
      },
    ],
  };
}
