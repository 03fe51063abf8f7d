/**
 * The studio store: plain serialisable data only. The bridge writes worker events here; the UI
 * reads with module-scope selectors (selectors.ts).
 */
import { createStore } from 'zustand/vanilla';
import type {
  BackendInfo, EvalReport, LatencyReport, MethodId, ModelCosts, ProgressReport, RunResult, RunState, TrainConfig,
} from '../domain';
import { DEFAULT_CONFIG } from '../domain';

export interface RunRecord {
  runId: string;
  method: MethodId;
  config: TrainConfig;
  state: RunState;
  message: string;
  progress: ProgressReport | null;
  evals: EvalReport[];
  result: RunResult | null;
  error: string | null;
}

export type PilotStatus = 'idle' | 'running' | 'done' | 'failed';

export interface CostEntry { costs: ModelCosts; latency: LatencyReport | null }

export interface StudioState {
  config: TrainConfig;
  backend: BackendInfo | null;
  runs: Record<string, RunRecord>;
  runOrder: string[];
  pilot: { status: PilotStatus; startedAt: number; wallMs: number; message: string };
  costs: Record<string, CostEntry>;
  lastError: string | null;
}

export interface StudioActions {
  setConfig(patch: Partial<TrainConfig>): void;
  setBackend(info: BackendInfo): void;
  addRun(runId: string, config: TrainConfig): void;
  updateRun(runId: string, patch: Partial<RunRecord>): void;
  addEval(runId: string, report: EvalReport): void;
  setPilot(patch: Partial<StudioState['pilot']>): void;
  setCosts(key: string, entry: CostEntry): void;
  setError(message: string | null): void;
}

export type Studio = StudioState & StudioActions;

export const initialState: StudioState = {
  config: DEFAULT_CONFIG,
  backend: null,
  runs: {},
  runOrder: [],
  pilot: { status: 'idle', startedAt: 0, wallMs: 0, message: '' },
  costs: {},
  lastError: null,
};

export function createStudioStore(init: Partial<StudioState> = {}) {
  return createStore<Studio>()((set) => ({
    ...initialState,
    ...init,
    setConfig: (patch) => set((s) => ({ config: { ...s.config, ...patch } })),
    setBackend: (info) => set({ backend: info }),
    addRun: (runId, config) => set((s) => ({
      runs: { ...s.runs, [runId]: { runId, method: config.method, config, state: 'loading', message: 'Queued', progress: null, evals: [], result: null, error: null } },
      runOrder: [...s.runOrder, runId],
    })),
    updateRun: (runId, patch) => set((s) => (s.runs[runId] ? { runs: { ...s.runs, [runId]: { ...s.runs[runId], ...patch } } } : {})),
    addEval: (runId, report) => set((s) => (s.runs[runId]
      ? { runs: { ...s.runs, [runId]: { ...s.runs[runId], evals: [...s.runs[runId].evals, report] } } }
      : {})),
    setPilot: (patch) => set((s) => ({ pilot: { ...s.pilot, ...patch } })),
    setCosts: (key, entry) => set((s) => ({ costs: { ...s.costs, [key]: entry } })),
    setError: (message) => set({ lastError: message }),
  }));
}

export type StudioStore = ReturnType<typeof createStudioStore>;
