/**
 * The one place ECharts is imported. Only the pieces the app draws are registered, which keeps
 * the bundle a fraction of the full `echarts` import.
 */
import { use, init, type ComposeOption, type ECharts } from 'echarts/core';
import { LineChart, type LineSeriesOption } from 'echarts/charts';
import {
  GridComponent,
  TooltipComponent,
  DataZoomInsideComponent,
  type GridComponentOption,
  type TooltipComponentOption,
  type DataZoomComponentOption,
} from 'echarts/components';
import { CanvasRenderer } from 'echarts/renderers';

use([LineChart, GridComponent, TooltipComponent, DataZoomInsideComponent, CanvasRenderer]);

export type ChartOption = ComposeOption<LineSeriesOption | GridComponentOption | TooltipComponentOption | DataZoomComponentOption>;
export { init, type ECharts };
