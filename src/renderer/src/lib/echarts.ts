/**
 * The one place ECharts is imported. Only the pieces the app draws are registered, which keeps
 * the bundle a fraction of the full `echarts` import.
 */
import { use, init, type ComposeOption, type ECharts, type EChartsCoreOption } from 'echarts/core';
import {
  BarChart,
  LineChart,
  ScatterChart,
  ParallelChart,
  type BarSeriesOption,
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

// Scatter, parallel coordinates and the visual map serve the compare view (issue #4); bars the dataset inspector.
use([BarChart, LineChart, ScatterChart, ParallelChart, GridComponent, TooltipComponent, DataZoomInsideComponent, ParallelComponent, VisualMapContinuousComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption>;

/** Options of the dataset inspector's histograms and top-value bars. */
export type BarChartOption = ComposeOption<BarSeriesOption | GridComponentOption | TooltipComponentOption>;
/**
 * Scatter and parallel charts pick each axis's type (value, log, category) from the data, which
 * ECharts' composed option types cannot express without a cast per axis; these use the core
 * option type. Kept apart from ChartOption: composing the parallel component's types changes
 * how ECharts types every axis.
 */
export type ScatterOption = EChartsCoreOption;
export type ParallelOption = EChartsCoreOption;
export type AnyChartOption = ChartOption | EChartsCoreOption;
/** Series types the scatter and parallel options hold (for typing their series literals). */
export type { ScatterSeriesOption, ParallelSeriesOption, ParallelComponentOption, VisualMapComponentOption };
export { init, type ECharts };
