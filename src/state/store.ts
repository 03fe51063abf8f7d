/**
 * The studio store: plain serialisable data only. The bridge writes worker events here; the UI
 * reads with module-scope selectors (selectors.ts).
 */
import { createStore } from 'zustand/vanilla';
import type {
  BackendInfo, DatasetId, EvalReport, ImportSummary, LatencyPair, LatencyReport, MethodId, MethodOptions, ModelCosts, ModelSpec, ProgressReport,
  RunResult, RunState, TrainConfig,
} from '../domain';
import { batchAfterStudent, DEFAULT_CONFIG, datasetDefaults } from '../domain';
import { appendCurve, type CurvePoint } from './curves';
import { initialOwnTeacher, selectActiveTeacherCard, type OwnTeacherState } from './ownTeacher';

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
  /** Loss and train accuracy over steps (see curves.ts). */
  curve: CurvePoint[];
  /** Reopened from storage: its weights live in the saved checkpoint, not in this tab's worker. */
  restored: boolean;
  /** Where a run imported from a finished job ran ("PyTorch job · 2 processes · gloo · cpu"); absent for this browser's runs. */
  origin?: string;
  /**
   * The card of the user's own teacher the run distils from (absent for a shipped teacher, whose
   * card comes back from public/): an imported teacher lives only in the tab that imported it, so
   * a second visit shows the run's teacher from here (selectCardTeacher).
   */
  teacherCard?: TeacherCard;
}

export type PilotStatus = 'idle' | 'running' | 'done' | 'failed';

export interface CostEntry { costs: ModelCosts; latency: LatencyReport | null }

/** The shipped teacher's card (public/teachers/<dataset>/card.json). */
export interface TeacherCard {
  dataset: DatasetId;
  spec: ModelSpec;
  testAccuracy: number;
  costs: ModelCosts;
  recipe: Record<string, unknown>;
  trainedOn: Record<string, unknown>;
  /** The user's own teacher (ownTeacher.ts): its source, and its latency measured here. */
  imported?: OwnTeacherCardPart;
}
export interface OwnTeacherCardPart { name: string; format: string; fingerprint: string; files: string[]; taps: string[]; preprocess: string; latency: LatencyReport | null; flopsEstimated: boolean }
export type TeacherCardState = { status: 'loading' } | { status: 'ok'; card: TeacherCard } | { status: 'missing'; message: string };

/** One run of a plan: a method and a seed. */
export interface PlanItem { method: MethodId; seed: number }
/** A sequence of runs started together (the pilot, or the pilot over several seeds). */
export interface Plan {
  kind: 'pilot' | 'seeds';
  /** The configuration every item starts from (method and seed replaced per item). */
  base: TrainConfig;
  items: PlanItem[];
  /** Run id of each started item, by item index. */
  runIds: string[];
}

/** An unfinished run saved before a reload, resumable from its last finished epoch. */
export interface ResumeOffer {
  runId: string;
  method: MethodId;
  epoch: number;
  epochs: number;
  /** The plan the run belonged to, and its index there, so the rest of the plan follows. */
  plan?: Plan | null;
  index?: number;
}

export interface StorageStatus { ok: boolean; message: string }

export interface StudioState {
  config: TrainConfig;
  backend: BackendInfo | null;
  runs: Record<string, RunRecord>;
  runOrder: string[];
  pilot: { status: PilotStatus; startedAt: number; wallMs: number; message: string };
  plan: Plan | null;
  costs: Record<string, CostEntry>;
  /** Teacher and student latency measured together, by `pairKey` (selectors.ts); measured on each visit, not saved. */
  latencyPairs: Record<string, LatencyPair>;
  teacherCards: Record<string, TeacherCardState>;
  lastError: string | null;
  /** Problems found in the page URL (bad values replaced by defaults). */
  urlIssues: string[];
  presenter: boolean;
  storage: StorageStatus;
  resumeOffer: ResumeOffer | null;
  /** Runs the charts show; null = the latest run of each method. */
  viewRunIds: string[] | null;
  /** Datasets the user imported into this browser, by id (src/domain/imports.ts). */
  imported: Record<string, ImportSummary>;
  /** A shared link's configuration that names an imported dataset this browser lacks (applied once it is imported). */
  pendingLink: TrainConfig | null;
  /** The user's own teacher: import status, what it offers, its baseline (ownTeacher.ts). */
  ownTeacher: OwnTeacherState;
  /** Built-in datasets this machine has not prepared (public/datasets/index.json), id → why and the fix; null until read. */
  datasetsNotReady: Record<string, string> | null;
}

export interface StudioActions {
  setConfig(patch: Partial<TrainConfig>): void;
  setStudent(patch: Partial<ModelSpec>): void;
  setOptions<K extends keyof MethodOptions>(key: K, patch: Partial<MethodOptions[K]>): void;
  setBackend(info: BackendInfo): void;
  addRun(runId: string, config: TrainConfig): void;
  updateRun(runId: string, patch: Partial<RunRecord>): void;
  addEval(runId: string, report: EvalReport): void;
  /** Adds a finished run that ran elsewhere (an imported job); replaces one with the same id. */
  importRun(record: RunRecord): void;
  /** Adds saved runs (reopened after a reload) before the runs of this session. */
  restoreRuns(records: RunRecord[]): void;
  setPilot(patch: Partial<StudioState['pilot']>): void;
  setPlan(plan: Plan | null): void;
  setCosts(key: string, entry: CostEntry): void;
  setLatencyPair(key: string, pair: LatencyPair): void;
  setTeacherCard(dataset: DatasetId, state: TeacherCardState): void;
  setError(message: string | null): void;
  setUi(patch: Partial<Pick<StudioState, 'urlIssues' | 'presenter' | 'storage' | 'resumeOffer' | 'viewRunIds' | 'pendingLink' | 'datasetsNotReady'>>): void;
  /** Adds or replaces imported datasets (`remove`: ids to drop). */
  setImported(add: ImportSummary[], remove?: string[]): void;
  setOwnTeacher(patch: Partial<OwnTeacherState>): void;
}

export type Studio = StudioState & StudioActions;

export const initialState: StudioState = {
  config: DEFAULT_CONFIG,
  backend: null,
  runs: {},
  runOrder: [],
  pilot: { status: 'idle', startedAt: 0, wallMs: 0, message: '' },
  plan: null,
  costs: {},
  latencyPairs: {},
  teacherCards: {},
  lastError: null,
  urlIssues: [],
  presenter: false,
  storage: { ok: true, message: '' },
  resumeOffer: null,
  viewRunIds: null,
  imported: {},
  pendingLink: null,
  ownTeacher: initialOwnTeacher,
  datasetsNotReady: null,
};

export function newRunRecord(runId: string, config: TrainConfig): RunRecord {
  return { runId, method: config.method, config, state: 'loading', message: 'Queued', progress: null, evals: [], result: null, error: null, curve: [], restored: false };
}

export function createStudioStore(init: Partial<StudioState> = {}) {
  return createStore<Studio>()((set) => ({
    ...initialState,
    ...init,
    // A new dataset brings its own default augmentation, and when its image size calls for another
    // stride plan (photos against thumbnails) the student preset and batch for it
    // (datasetDefaults); what the patch names itself wins.
    setConfig: (patch) => set((s) => ({ config: { ...s.config,
      ...(patch.dataset && patch.dataset !== s.config.dataset ? datasetDefaults(s.config, patch.dataset) : {}), ...patch } })),
    // A student of another arch, size or plan brings its batch (batchAfterStudent) unless the batch was set by hand.
    setStudent: (patch) => set((s) => {
      const student = { ...s.config.student, ...patch };
      return { config: { ...s.config, student, batchSize: batchAfterStudent(s.config, student) } };
    }),
    setOptions: (key, patch) => set((s) => ({
      config: { ...s.config, options: { ...s.config.options, [key]: { ...s.config.options[key], ...patch } } },
    })),
    setBackend: (info) => set({ backend: info }),
    addRun: (runId, config) => set((s) => {
      const own = config.importedTeacher ? selectActiveTeacherCard(s) : undefined;
      const record = newRunRecord(runId, config);
      return {
        runs: { ...s.runs, [runId]: own?.status === 'ok' && own.card.imported ? { ...record, teacherCard: own.card } : record },
        runOrder: [...s.runOrder, runId],
      };
    }),
    updateRun: (runId, patch) => set((s) => {
      const run = s.runs[runId];
      if (!run) return {};
      const next = { ...run, ...patch };
      if (patch.progress && patch.progress !== run.progress) next.curve = appendCurve(run.curve, patch.progress);
      return { runs: { ...s.runs, [runId]: next } };
    }),
    addEval: (runId, report) => set((s) => (s.runs[runId]
      ? { runs: { ...s.runs, [runId]: { ...s.runs[runId], evals: [...s.runs[runId].evals, report] } } }
      : {})),
    importRun: (record) => set((s) => ({
      runs: { ...s.runs, [record.runId]: record },
      runOrder: s.runs[record.runId] ? s.runOrder : [...s.runOrder, record.runId],
    })),
    restoreRuns: (records) => set((s) => {
      const fresh = records.filter((r) => !s.runs[r.runId]);
      const runs = { ...s.runs };
      for (const r of fresh) runs[r.runId] = { ...r, restored: true };
      return { runs, runOrder: [...fresh.map((r) => r.runId), ...s.runOrder] };
    }),
    setPilot: (patch) => set((s) => ({ pilot: { ...s.pilot, ...patch } })),
    setPlan: (plan) => set({ plan }),
    setCosts: (key, entry) => set((s) => ({ costs: { ...s.costs, [key]: entry } })),
    setLatencyPair: (key, pair) => set((s) => ({ latencyPairs: { ...s.latencyPairs, [key]: pair } })),
    setTeacherCard: (dataset, state) => set((s) => ({ teacherCards: { ...s.teacherCards, [dataset]: state } })),
    setError: (message) => set({ lastError: message }),
    setUi: (patch) => set(patch),
    setImported: (add, remove = []) => set((s) => {
      const imported = { ...s.imported };
      for (const id of remove) delete imported[id];
      for (const x of add) imported[x.id] = x;
      return { imported };
    }),
    setOwnTeacher: (patch) => set((s) => ({ ownTeacher: { ...s.ownTeacher, ...patch } })),
  }));
}

export type StudioStore = ReturnType<typeof createStudioStore>;
