import { create } from 'zustand';
import { persist } from 'zustand/middleware';

/** What the runs table shows for one scope (an experiment, or all runs). */
export interface RunsView {
  /** Chosen columns; null until the reader picks (then defaults come from the experiment's keys). */
  params: string[] | null;
  metrics: string[] | null;
  tags: string[] | null;
  sorting: Array<{ id: string; desc: boolean }>;
  /** MLflow filter as applied (the box may hold an edited, not yet applied, text). */
  filter: string;
  /** Param key the runs are grouped by, or null. */
  groupBy: string | null;
  deleted: boolean;
  /** Column widths the reader dragged, by column id. */
  sizing: Record<string, number>;
}

export const DEFAULT_VIEW: RunsView = { params: null, metrics: null, tags: null, sorting: [], filter: '', groupBy: null, deleted: false, sizing: {} };

interface RunsViewStore {
  views: Record<string, RunsView>;
  /** Selected run ids per scope (kept across navigation, so the compare view can be left and re-entered). */
  selection: Record<string, Record<string, true>>;
  update(scope: string, patch: Partial<RunsView>): void;
  setSelection(scope: string, selection: Record<string, true>): void;
}

/**
 * The runs table's settings, per scope, kept in localStorage so a reader's columns, sort,
 * filter and grouping survive a restart. Selection is remembered for the session only.
 */
export const useRunsViewStore = create<RunsViewStore>()(
  persist(
    (set) => ({
      views: {},
      selection: {},
      update: (scope, patch) => set((s) => ({ views: { ...s.views, [scope]: { ...DEFAULT_VIEW, ...s.views[scope], ...patch } } })),
      setSelection: (scope, selection) => set((s) => ({ selection: { ...s.selection, [scope]: selection } })),
    }),
    { name: 'lathe.runs-view', version: 1, partialize: (s) => ({ views: s.views }) },
  ),
);

const EMPTY_SELECTION: Record<string, true> = {};

export function useRunsView(scope: string): RunsView {
  return useRunsViewStore((s) => s.views[scope]) ?? DEFAULT_VIEW;
}

export function useRunSelection(scope: string): Record<string, true> {
  return useRunsViewStore((s) => s.selection[scope]) ?? EMPTY_SELECTION;
}
