/**
 * The key explorer's own state: which run it shows and the k / threshold it recomputes the kept
 * keys with. Plain serialisable values, so the URL sync can read and write them:
 *   useExplorerStore(selectExplorerK), useExplorerStore.getState().setThreshold(0.3) …
 */
import { create } from 'zustand';
import type { ImportanceRule, ThresholdRule } from '../../domain';

export interface ExplorerState {
  /** k for the influence; null = the k the run trained with. Clamped to [1, S−1] when used. */
  k: number | null;
  /** 'mean' (default) or a fixed τ; a fixed value is clamped to [1/S, 1/k] when used. */
  threshold: ThresholdRule;
  /** Importance rule the selection is recomputed with; null = the rule the run trained with. */
  importance: ImportanceRule | null;
  /** Run shown; null = the active attention run, else the latest run with keys. */
  runId: string | null;
  /** Evaluation shown (index among the run's evaluations with key statistics); null = the latest. */
  evalIndex: number | null;
}

export interface ExplorerActions {
  setK(k: number | null): void;
  setThreshold(threshold: ThresholdRule): void;
  setImportance(importance: ImportanceRule | null): void;
  setRunId(runId: string | null): void;
  setEvalIndex(evalIndex: number | null): void;
  reset(): void;
}

export type ExplorerStore = ExplorerState & ExplorerActions;

export const initialExplorerState: ExplorerState = { k: null, threshold: 'mean', importance: null, runId: null, evalIndex: null };

export const useExplorerStore = create<ExplorerStore>()((set) => ({
  ...initialExplorerState,
  setK: (k) => set({ k: k === null || !Number.isFinite(k) ? null : Math.max(1, Math.round(k)) }),
  setThreshold: (threshold) => set({ threshold: threshold === 'mean' || !Number.isFinite(threshold) ? 'mean' : threshold }),
  setImportance: (importance) => set({ importance: importance === 'afd' || importance === 'keys' ? importance : null }),
  setRunId: (runId) => set({ runId, evalIndex: null }),
  setEvalIndex: (evalIndex) => set({ evalIndex: evalIndex === null || !Number.isFinite(evalIndex) ? null : Math.max(0, Math.round(evalIndex)) }),
  reset: () => set(initialExplorerState),
}));

export const selectExplorerK = (s: ExplorerStore) => s.k;
export const selectExplorerThreshold = (s: ExplorerStore) => s.threshold;
export const selectExplorerImportance = (s: ExplorerStore) => s.importance;
export const selectExplorerRunId = (s: ExplorerStore) => s.runId;
export const selectExplorerEvalIndex = (s: ExplorerStore) => s.evalIndex;
