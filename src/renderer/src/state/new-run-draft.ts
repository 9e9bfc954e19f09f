import { create } from 'zustand';
import { emptyForm, type NewRunForm } from '../lib/new-run-form';

interface NewRunDraftStore {
  form: NewRunForm;
  /** Whether the person chose the runtime; until then the server's default is applied. */
  runtimeTouched: boolean;
  patch(patch: Partial<NewRunForm>): void;
  setRuntime(runtime: NewRunForm['runtime'], byUser: boolean): void;
}

/**
 * The new-run form's content, kept while the app is open: leaving the page (to look something
 * up) and coming back, or starting the next run after one, starts from what was typed.
 */
export const useNewRunDraft = create<NewRunDraftStore>((set) => ({
  form: emptyForm(),
  runtimeTouched: false,
  patch: (patch) => set((s) => ({ form: { ...s.form, ...patch } })),
  setRuntime: (runtime, byUser) => set((s) => ({ form: { ...s.form, runtime }, runtimeTouched: s.runtimeTouched || byUser })),
}));
