import { useMemo } from 'react';
import type { ChartOption } from '../../lib/echarts';
import { EChart } from '../echart';

interface SparklineProps {
  points: Array<[number, number]>;
  /** Fixed top of the y axis (100 for percentages); data max otherwise. */
  max?: number | null;
  color: string;
  label: string;
  /** Shown instead of the line when there is nothing to draw. */
  emptyText?: string;
}

/** A tiny live line (no axes) for a GPU card; gaps where the driver gave no reading. */
export function Sparkline({ points, max, color, label, emptyText = 'no readings' }: SparklineProps) {
  const option = useMemo<ChartOption>(
    () => ({
      animation: false,
      grid: { left: 0, right: 0, top: 2, bottom: 2 },
      xAxis: { type: 'time', show: false },
      yAxis: { type: 'value', show: false, min: 0, max: max ?? undefined },
      series: [{ type: 'line', data: points, showSymbol: false, lineStyle: { width: 1.4, color }, areaStyle: { color, opacity: 0.12 }, emphasis: { disabled: true } }],
    }),
    [points, max, color],
  );
  return (
    <div className="gpu-sparkline" role="img" aria-label={label} data-points={points.length}>
      {points.length > 1 ? <EChart option={option} className="gpu-sparkline-canvas" /> : <span className="muted gpu-sparkline-empty">{points.length ? '' : emptyText}</span>}
    </div>
  );
}
