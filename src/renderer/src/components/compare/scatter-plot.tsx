import { useMemo } from 'react';
import type { Run } from '../../../../shared/api/types';
import { axisRefString, axisScale, axisValue, parseAxisRef, placeOnAxis, type AxisRef, type LatestMetrics } from '../../lib/compare-axes';
import type { RunStyle } from '../../lib/compare-chart-option';
import type { ScatterOption } from '../../lib/echarts';
import { formatMetricValue } from '../../lib/format';
import { readChartColors } from '../../lib/theme-colors';
import { useColorScheme } from '../../hooks/use-color-scheme';
import { EChart } from '../echart';
import { useCompareStore } from './compare-store';

interface ScatterPlotProps {
  runs: Run[];
  styles: Map<string, RunStyle>;
  latest: LatestMetrics;
  paramKeys: string[];
  metricKeys: string[];
  /** Defaults: the first param that differs against the first metric. */
  defaultX?: AxisRef;
  defaultY?: AxisRef;
}

function escapeHtml(s: string): string {
  return s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
}

function AxisSelect({ label, value, onChange, paramKeys, metricKeys, testId }: { label: string; value: string; onChange(v: string): void; paramKeys: string[]; metricKeys: string[]; testId: string }) {
  return (
    <label className="toolbar-field">
      <span className="muted">{label}</span>
      <select className="input" value={value} onChange={(e) => onChange(e.target.value)} data-testid={testId}>
        <optgroup label="Metrics">
          {metricKeys.map((k) => (
            <option key={`m${k}`} value={`metric:${k}`}>
              {k}
            </option>
          ))}
        </optgroup>
        <optgroup label="Params">
          {paramKeys.map((k) => (
            <option key={`p${k}`} value={`param:${k}`}>
              {k}
            </option>
          ))}
        </optgroup>
      </select>
    </label>
  );
}

/** Any param or metric against any other, one point per run in its colour. */
export function ScatterPlot({ runs, styles, latest, paramKeys, metricKeys, defaultX, defaultY }: ScatterPlotProps) {
  const { scatterX, scatterY, set } = useCompareStore();
  const scheme = useColorScheme();
  const x = parseAxisRef(scatterX) ?? defaultX;
  const y = parseAxisRef(scatterY) ?? defaultY;

  const option = useMemo((): ScatterOption | null => {
    if (!x || !y) return null;
    const colors = readChartColors(scheme);
    const points = runs.map((r) => ({ run: r, xv: axisValue(r, x, latest), yv: axisValue(r, y, latest) })).filter((p) => p.xv !== undefined && p.yv !== undefined);
    if (points.length === 0) return null;
    const xs = axisScale(points.map((p) => p.xv));
    const ys = axisScale(points.map((p) => p.yv));
    const axis = (ref: AxisRef, scale: ReturnType<typeof axisScale>) => ({
      type: scale.type,
      data: scale.categories,
      name: ref.key,
      nameLocation: 'middle' as const,
      nameGap: 28,
      nameTextStyle: { color: colors.muted, fontSize: 12 },
      scale: true,
      axisLine: { lineStyle: { color: colors.axis } },
      axisLabel: { color: colors.muted, fontSize: 11, hideOverlap: true, formatter: scale.type === 'category' ? undefined : (v: number) => formatMetricValue(v) },
      splitLine: { lineStyle: { color: colors.grid } },
    });
    return {
      animation: false,
      textStyle: { fontFamily: 'inherit' },
      grid: { left: 30, right: 20, top: 16, bottom: 34, outerBoundsMode: 'same', outerBoundsContain: 'axisLabel' },
      xAxis: axis(x, xs),
      yAxis: { ...axis(y, ys), nameGap: 44, nameRotate: 90 },
      tooltip: {
        trigger: 'item',
        backgroundColor: colors.tooltipBg,
        borderColor: colors.tooltipBorder,
        textStyle: { color: colors.text, fontSize: 12 },
        formatter: (p: unknown) => {
          const d = (p as { data?: { name: string; raw: [string | number, string | number] } }).data;
          if (!d) return '';
          const f = (v: string | number) => (typeof v === 'number' ? formatMetricValue(v) : escapeHtml(v));
          return `<b>${escapeHtml(d.name)}</b><br/>${escapeHtml(x.key)}: ${f(d.raw[0])}<br/>${escapeHtml(y.key)}: ${f(d.raw[1])}`;
        },
      },
      series: [
        {
          type: 'scatter',
          symbolSize: 11,
          emphasis: { scale: 1.4 },
          data: points.map((p) => ({
            name: styles.get(p.run.info.runId)?.name ?? p.run.info.name,
            value: [placeOnAxis(p.xv, xs), placeOnAxis(p.yv, ys)],
            raw: [p.xv!, p.yv!],
            itemStyle: { color: styles.get(p.run.info.runId)?.color, borderColor: colors.tooltipBg, borderWidth: 1 },
          })),
        },
      ],
    };
  }, [x, y, runs, latest, styles, scheme]);

  return (
    <div className="scatter-plot" data-testid="scatter-plot">
      <div className="compare-section-tools">
        <AxisSelect label="X" value={x ? axisRefString(x) : ''} onChange={(v) => set({ scatterX: v })} paramKeys={paramKeys} metricKeys={metricKeys} testId="scatter-x" />
        <AxisSelect label="Y" value={y ? axisRefString(y) : ''} onChange={(v) => set({ scatterY: v })} paramKeys={paramKeys} metricKeys={metricKeys} testId="scatter-y" />
      </div>
      {option ? (
        <EChart option={option} className="scatter-canvas" replace={['series', 'xAxis', 'yAxis']} />
      ) : (
        <div className="muted compare-empty">Choose two params or metrics the runs have.</div>
      )}
    </div>
  );
}
