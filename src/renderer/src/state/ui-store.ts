import { create } from 'zustand';

interface UiStore {
  /** The experiment last opened on the runs page, so the sidebar link returns to it. Null: all runs. */
  lastExperimentId: string | null;
  setLastExperimentId(id: string | null): void;
  /** Page offset of the runs table; reset whenever the selected experiment changes. */
  runsOffset: number;
  setRunsOffset(offset: number): void;
}

export const useUiStore = create<UiStore>((set, get) => ({
  lastExperimentId: null,
  setLastExperimentId: (id) => {
    if (get().lastExperimentId !== id) set({ lastExperimentId: id, runsOffset: 0 });
  },
  runsOffset: 0,
  setRunsOffset: (runsOffset) => set({ runsOffset }),
}));
