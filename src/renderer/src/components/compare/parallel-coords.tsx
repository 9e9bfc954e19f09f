import { useMemo } from 'react';
import type { Run } from '../../../../shared/api/types';
import { axisScale, axisValue, placeOnAxis, type AxisRef, type LatestMetrics } from '../../lib/compare-axes';
import type { RunStyle } from '../../lib/compare-chart-option';
import type { ParallelOption } from '../../lib/echarts';
import { formatMetricValue } from '../../lib/format';
import { readChartColors } from '../../lib/theme-colors';
import { useColorScheme } from '../../hooks/use-color-scheme';
import { EChart } from '../echart';
import { useCompareStore } from './compare-store';
import { differingKeys } from './params-diff';

interface ParallelCoordsProps {
  runs: Run[];
  styles: Map<string, RunStyle>;
  latest: LatestMetrics;
  metricKeys: string[];
}

/** More axes than this crowd the chart; the params that vary come first. */
const MAX_PARAM_AXES = 10;

/**
 * Params → a chosen metric as parallel coordinates (ECharts `parallel`): one line per run,
 * coloured by the metric, so which settings lead to good results reads left to right. Drag
 * along an axis to brush a range; lines outside it fade.
 */
export function ParallelCoords({ runs, styles, latest, metricKeys }: ParallelCoordsProps) {
  const { parallelMetric, set } = useCompareStore();
  const scheme = useColorScheme();
  const metric = parallelMetric && metricKeys.includes(parallelMetric) ? parallelMetric : metricKeys[0];
  const paramKeys = useMemo(() => {
    const all = [...new Set(runs.flatMap((r) => Object.keys(r.params)))].sort();
    return differingKeys(runs, all).slice(0, MAX_PARAM_AXES);
  }, [runs]);

  const option = useMemo((): ParallelOption | null => {
    if (!metric) return null;
    const colors = readChartColors(scheme);
    const refs: AxisRef[] = [...paramKeys.map((key) => ({ kind: 'param' as const, key })), { kind: 'metric', key: metric }];
    const withMetric = runs.filter((r) => Number.isFinite(latest.get(r.info.runId)?.[metric] ?? Number.NaN));
    if (withMetric.length === 0) return null;
    const scales = refs.map((ref) => axisScale(withMetric.map((r) => axisValue(r, ref, latest))));
    const values = withMetric.map((r) => latest.get(r.info.runId)![metric]!);
    const axisText = { color: colors.muted, fontSize: 11 };
    return {
      animation: false,
      textStyle: { fontFamily: 'inherit' },
      parallel: { left: 60, right: 70, top: 36, bottom: 64, parallelAxisDefault: { nameTextStyle: { color: colors.text, fontSize: 12 }, axisLine: { lineStyle: { color: colors.axis } }, axisLabel: axisText, axisTick: { lineStyle: { color: colors.axis } } } },
      parallelAxis: refs.map((ref, dim) => ({
        dim,
        name: ref.kind === 'metric' ? `★ ${ref.key}` : ref.key,
        type: scales[dim]!.type,
        data: scales[dim]!.categories,
        scale: true,
        nameTruncate: { maxWidth: 110 },
        axisLabel: { ...axisText, formatter: scales[dim]!.type === 'category' ? undefined : (v: number) => formatMetricValue(v) },
      })),
      visualMap: {
        type: 'continuous',
        dimension: refs.length - 1,
        min: Math.min(...values),
        max: Math.max(...values),
        orient: 'horizontal',
        left: 'center',
        bottom: 4,
        itemWidth: 12,
        itemHeight: 220,
        calculable: true,
        precision: 4,
        text: [`high ${metric}`, 'low'],
        textStyle: { color: colors.muted, fontSize: 11 },
        inRange: { color: ['#3b6ef5', '#22b3a6', '#f0c419', '#e8603c'] },
      },
      tooltip: { trigger: 'item', backgroundColor: colors.tooltipBg, borderColor: colors.tooltipBorder, textStyle: { color: colors.text, fontSize: 12 } },
      series: [
        {
          type: 'parallel',
          lineStyle: { width: 1.6, opacity: 0.75 },
          inactiveOpacity: 0.06,
          activeOpacity: 1,
          smooth: false,
          data: withMetric.map((r) => ({
            name: styles.get(r.info.runId)?.name ?? r.info.name,
            value: refs.map((ref, dim) => placeOnAxis(axisValue(r, ref, latest), scales[dim]!)),
          })),
        },
      ],
    };
  }, [metric, paramKeys, runs, latest, styles, scheme]);

  return (
    <div className="parallel-coords" data-testid="parallel-coords">
      <div className="compare-section-tools">
        <label className="toolbar-field">
          <span className="muted">Metric</span>
          <select className="input" value={metric ?? ''} onChange={(e) => set({ parallelMetric: e.target.value })} data-testid="parallel-metric">
            {metricKeys.map((k) => (
              <option key={k} value={k}>
                {k}
              </option>
            ))}
          </select>
        </label>
        <span className="muted">
          {paramKeys.length ? `${paramKeys.length} param${paramKeys.length === 1 ? '' : 's'} that differ between the runs` : 'No param differs between these runs'}
        </span>
      </div>
      {option ? (
        <EChart option={option} className="parallel-canvas" replace={['series', 'parallelAxis']} />
      ) : (
        <div className="muted compare-empty">{metric ? `No run has a finite value of ${metric}.` : 'These runs have no metrics.'}</div>
      )}
    </div>
  );
}
