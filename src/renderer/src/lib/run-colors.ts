/**
 * Colours for runs in overlaid charts: 20 hues chosen to stay apart from their neighbours
 * (Tableau 10 followed by a second, shifted set), readable on the light and the dark surface.
 * With more runs than colours they repeat; the legend and tooltips still name each run.
 */
const PALETTE = [
  '#4e79a7', '#f28e2b', '#e15759', '#59a14f', '#b07aa1', '#17becf', '#edc948', '#ff9da7', '#9c755f', '#76b7b2',
  '#3366cc', '#dd4477', '#66aa00', '#b82e2e', '#8c6bb1', '#e6550d', '#31a354', '#d6616b', '#3182bd', '#bcbd22',
];

export function runColor(index: number): string {
  return PALETTE[((index % PALETTE.length) + PALETTE.length) % PALETTE.length]!;
}
