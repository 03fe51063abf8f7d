/**
 * Page layout state (UI only, not part of the experiment): which steps the user opened or
 * folded by hand. A step without an entry follows its automatic rule (stepStatus.ts).
 */
import { create } from 'zustand';

export interface LayoutState {
  /** true = opened by hand, false = folded by hand. */
  open: Record<string, boolean>;
  setOpen(id: string, open: boolean): void;
}

export const useLayoutStore = create<LayoutState>()((set) => ({
  open: {},
  setOpen: (id, open) => set((s) => ({ open: { ...s.open, [id]: open } })),
}));

const openSelectors = new Map<string, (s: LayoutState) => boolean | undefined>();
/** Module-scope selector of one step's hand-set state (one cached function per step id). */
export function selectStepOpen(id: string): (s: LayoutState) => boolean | undefined {
  let f = openSelectors.get(id);
  if (!f) { f = (s) => s.open[id]; openSelectors.set(id, f); }
  return f;
}

/** Opens a step (a deep link or a rail link to a folded step). */
export function openStep(id: string): void {
  useLayoutStore.getState().setOpen(id, true);
}
