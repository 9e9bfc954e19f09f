import { useEffect, useRef } from 'react';
import { init, type AnyChartOption, type ECharts } from '../lib/echarts';

type MergeId = 'series' | 'parallelAxis' | 'visualMap' | 'xAxis' | 'yAxis';

interface EChartProps {
  option: AnyChartOption;
  className?: string;
  testId?: string;
  /**
   * How an updated option is applied: `true` replaces the whole option (charts whose shape
   * changes); a list merges the option but drops the old entries of those components
   * (default: series).
   */
  replace?: true | MergeId[];
  /** Called once with the instance (for events and actions), and with null when it is disposed. */
  onInstance?(chart: ECharts | null): void;
}

/** Owns one ECharts instance: created on mount, resized with its box, disposed on unmount. */
export function EChart({ option, className, testId, replace = ['series'], onInstance }: EChartProps) {
  const boxRef = useRef<HTMLDivElement>(null);
  const chartRef = useRef<ECharts | null>(null);
  const onInstanceRef = useRef(onInstance);
  onInstanceRef.current = onInstance;

  useEffect(() => {
    const box = boxRef.current;
    if (!box) return;
    const chart = init(box, undefined, { renderer: 'canvas' });
    chartRef.current = chart;
    onInstanceRef.current?.(chart);
    const ro = new ResizeObserver(() => chart.resize());
    ro.observe(box);
    return () => {
      ro.disconnect();
      onInstanceRef.current?.(null);
      chart.dispose();
      chartRef.current = null;
    };
  }, []);

  const replaceKey = replace === true ? null : replace.join(',');
  useEffect(() => {
    // Merging keeps the reader's zoom window and tooltip across live updates; the listed
    // components are replaced so no stale series (or axes) linger.
    chartRef.current?.setOption(option, replaceKey === null ? { notMerge: true } : { replaceMerge: replaceKey.split(',') });
  }, [option, replaceKey]);

  return <div ref={boxRef} className={className} data-testid={testId} />;
}
