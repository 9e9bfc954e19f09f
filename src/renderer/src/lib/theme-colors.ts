import type { ColorScheme } from '../hooks/use-color-scheme';

/** Colours a canvas needs, read from the CSS variables so the charts and the page share one palette. */
export interface ChartColors {
  text: string;
  muted: string;
  grid: string;
  axis: string;
  line: string;
  tooltipBg: string;
  tooltipBorder: string;
}

/** `scheme` is only a cache key: the variables already resolve for the active scheme. */
export function readChartColors(_scheme: ColorScheme): ChartColors {
  const css = getComputedStyle(document.documentElement);
  const v = (name: string, fallback: string) => css.getPropertyValue(name).trim() || fallback;
  return {
    text: v('--text', '#1b1f24'),
    muted: v('--text-muted', '#5f6b7a'),
    grid: v('--chart-grid', '#e7eaee'),
    axis: v('--chart-axis', '#c5cbd3'),
    line: v('--chart-line', '#3b6ef5'),
    tooltipBg: v('--surface', '#ffffff'),
    tooltipBorder: v('--border', '#e2e5e9'),
  };
}
