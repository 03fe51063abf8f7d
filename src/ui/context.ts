/** The store, the worker client and the saved checkpoints, provided once by the app shell. */
import { createContext, startTransition, useContext, useEffect, useState } from 'react';
import { useStore } from 'zustand';
import type { StudioClient } from '../bridge/client';
import type { ImportClient } from '../bridge/importClient';
import type { SavedCheckpoint } from '../state/persist';
import type { Studio, StudioStore } from '../state/store';

export interface StudioHandles {
  store: StudioStore;
  client: StudioClient;
  /** The import worker's client (the user's own images). */
  importer: ImportClient;
  /** The autosaved checkpoint of a run (null when none was saved or storage is off). */
  loadCheckpoint(runId: string): Promise<SavedCheckpoint | null>;
}
export const StudioContext = createContext<StudioHandles | null>(null);

export function useHandles(): StudioHandles {
  const h = useContext(StudioContext);
  if (!h) throw new Error('StudioContext is missing: render inside <StudioContext.Provider>.');
  return h;
}

/** Select one thing from the studio store. */
export function useStudio<T>(selector: (s: Studio) => T): T {
  return useStore(useHandles().store, selector);
}

/**
 * Select one thing from the store, re-rendering in a transition: React renders the change in
 * short slices after the click or worker message that made it, not inside it. For wide
 * subtrees whose change may lag a frame (the setup forms locking while a run trains). The
 * selector must be stable (module scope) and return a value compared with Object.is.
 */
export function useStudioDeferred<T>(selector: (s: Studio) => T): T {
  const { store } = useHandles();
  const [value, setValue] = useState(() => selector(store.getState()));
  useEffect(() => {
    const sync = () => {
      const next = selector(store.getState());
      startTransition(() => setValue(next));
    };
    sync();
    return store.subscribe(sync);
  }, [store, selector]);
  return value;
}
