import { useEffect, useRef } from 'react';
import { init, type BarChartOption, type ChartOption, type ECharts } from '../lib/echarts';

interface EChartProps {
  option: ChartOption | BarChartOption;
  className?: string;
  testId?: string;
  /** Replace the whole option on update (charts whose shape changes), instead of merging series. */
  replace?: boolean;
}

/** Owns one ECharts instance: created on mount, resized with its box, disposed on unmount. */
export function EChart({ option, className, testId, replace = false }: EChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ECharts | null>(null);

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const chart = init(box, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(box);
    return () => {
      ro.disconnect();
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  useEffect(() => {
    // Merging keeps the reader's zoom window across live updates; series are replaced so no stale points linger.
    chartRef.current?.setOption(option, replace ? { notMerge: true } : { replaceMerge: ['series'] });
  }, [option, replace]);

  return <div ref={boxRef} className={className} data-testid={testId} />;
}
