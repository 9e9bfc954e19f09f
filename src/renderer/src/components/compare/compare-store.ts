import { create } from 'zustand';
import { persist } from 'zustand/middleware';
import type { ChartXAxis } from '../../../../shared/api/search-types';

interface CompareStore {
  xAxis: ChartXAxis;
  smoothing: number;
  logY: boolean;
  /** Chart keys the reader chose; null: the defaults (the runs' user metrics). */
  chartKeys: string[] | null;
  onlyDifferences: boolean;
  /** The metric at the end of the parallel-coordinates axes. */
  parallelMetric: string | null;
  /** Scatter axes as `param:<key>` / `metric:<key>`. */
  scatterX: string | null;
  scatterY: string | null;
  /** Bumped by "Reset zoom": every chart drops its zoom. */
  zoomReset: number;
  set(patch: Partial<Omit<CompareStore, 'set' | 'resetZoom'>>): void;
  resetZoom(): void;
}

/** Compare view settings; the display ones persist across sessions, like a reader's preferences. */
export const useCompareStore = create<CompareStore>()(
  persist(
    (set) => ({
      xAxis: 'step',
      smoothing: 0.6,
      logY: false,
      chartKeys: null,
      onlyDifferences: true,
      parallelMetric: null,
      scatterX: null,
      scatterY: null,
      zoomReset: 0,
      set: (patch) => set(patch),
      resetZoom: () => set((s) => ({ zoomReset: s.zoomReset + 1 })),
    }),
    {
      name: 'lathe.compare',
      version: 1,
      partialize: (s) => ({ xAxis: s.xAxis, smoothing: s.smoothing, logY: s.logY, onlyDifferences: s.onlyDifferences }),
    },
  ),
);
