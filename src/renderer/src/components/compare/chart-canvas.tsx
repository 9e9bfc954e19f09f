import { useEffect, useRef } from 'react';
import { init, type AnyChartOption, type ECharts } from '../../lib/echarts';

interface ChartCanvasProps {
  option: AnyChartOption;
  className?: string;
  /** Called once with the instance (for events and actions), and with null when it is disposed. */
  onInstance?(chart: ECharts | null): void;
  /** Merge ids of components whose old entries must go (default: series). */
  replace?: Array<'series' | 'parallelAxis' | 'visualMap' | 'xAxis' | 'yAxis'>;
}

/**
 * One ECharts instance for the compare view: created on mount, resized with its box,
 * disposed on unmount. Options are merged, so the reader's zoom window and tooltip survive
 * live refreshes; series are replaced so hidden runs' curves do not linger.
 */
export function ChartCanvas({ option, className, onInstance, replace = ['series'] }: ChartCanvasProps) {
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

  const replaceKey = replace.join(',');
  useEffect(() => {
    chartRef.current?.setOption(option, { replaceMerge: replaceKey.split(',') });
  }, [option, replaceKey]);

  return <div ref={boxRef} className={className} />;
}
