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
  /** Zooming one chart zooms them all to the same x range. */
  syncZoom: boolean;
  /** The x range last zoomed to while in sync (null: whole range); seq tells repeats apart. */
  sharedZoom: { range: [number, number] | null; seq: number };
  set(patch: Partial<Omit<CompareStore, 'set' | 'resetZoom' | 'zoomAll'>>): void;
  resetZoom(): void;
  /** Every chart to this x range (null: whole range). */
  zoomAll(range: [number, number] | null): void;
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
      syncZoom: true,
      sharedZoom: { range: null, seq: 0 },
      set: (patch) => set(patch),
      resetZoom: () => set((s) => ({ zoomReset: s.zoomReset + 1, sharedZoom: { range: null, seq: s.sharedZoom.seq + 1 } })),
      zoomAll: (range) => set((s) => ({ sharedZoom: { range, seq: s.sharedZoom.seq + 1 } })),
    }),
    {
      name: 'lathe.compare',
      version: 1,
      partialize: (s) => ({ xAxis: s.xAxis, smoothing: s.smoothing, logY: s.logY, onlyDifferences: s.onlyDifferences, syncZoom: s.syncZoom }),
    },
  ),
);
