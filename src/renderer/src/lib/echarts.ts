/**
 * The one place ECharts is imported. Only the pieces the app draws are registered, which keeps
 * the bundle a fraction of the full `echarts` import.
 */
import { use, init, type ComposeOption, type ECharts } from 'echarts/core';
import {
  LineChart,
  ScatterChart,
  ParallelChart,
  type LineSeriesOption,
  type ScatterSeriesOption,
  type ParallelSeriesOption,
} from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  DataZoomInsideComponent,
  ParallelComponent,
  VisualMapContinuousComponent,
  type GridComponentOption,
  type TooltipComponentOption,
  type DataZoomComponentOption,
  type ParallelComponentOption,
  type VisualMapComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

// Scatter, parallel coordinates and the visual map serve the compare view (issue #4).
use([LineChart, ScatterChart, ParallelChart, GridComponent, TooltipComponent, DataZoomInsideComponent, ParallelComponent, VisualMapContinuousComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption>;
/** Kept apart from ChartOption: composing the parallel component's types changes how ECharts types every axis. */
export type ScatterOption = ComposeOption<ScatterSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption | VisualMapComponentOption>;
export type ParallelOption = ComposeOption<ParallelSeriesOption | ParallelComponentOption | TooltipComponentOption | VisualMapComponentOption>;
export type AnyChartOption = ChartOption | ScatterOption | ParallelOption;
export { init, type ECharts };
