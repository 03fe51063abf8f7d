/** The store, the worker client and the saved checkpoints, provided once by the app shell. */
import { createContext, useContext } from 'react';
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
