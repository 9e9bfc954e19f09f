import { create } from 'zustand';

interface UiStore {
  /** The experiment last opened on the runs page, so the sidebar link returns to it. Null: all runs. */
  lastExperimentId: string | null;
  setLastExperimentId(id: string | null): void;
}

export const useUiStore = create<UiStore>((set, get) => ({
  lastExperimentId: null,
  setLastExperimentId: (id) => {
    if (get().lastExperimentId !== id) set({ lastExperimentId: id });
  },
}));
