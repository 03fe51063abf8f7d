/**
 * The whole configuration in the page URL: readable parameters (the main ones always, the
 * options only when they differ from the defaults), parsed back with validation (a bad value is replaced by the default and
 * named in a message). Round trip: parseConfigParams(configToParams(c)).config equals c.
 */
import type { ArchId, Augment, StridePlanId, BackendPreference, DatasetId, Granularity, ImportanceRule, LrSchedule, MethodId, OptimizerId, TrainConfig } from '../domain';
import { ARCHS, BACKEND_ORDER, DATASETS, DEFAULT_CONFIG, defaultAugment, isImportedId, METHODS } from '../domain';

/**
 * Students tap every block: S = stages × depth, at most 4 × 3 = 12 (photo plan; 3 × 3 = 9 on small
 * images), so k ranges over 1..11 here;
 * the trainer clamps k to S − 1 of the student it builds.
 */
export const STUDENT_TAPS = 12;

interface Field {
  key: string;
  get(c: TrainConfig): string;
  /** Returns the new config, or a message saying why `raw` is refused. */
  set(c: TrainConfig, raw: string): TrainConfig | string;
  /** The value `c` gets when the parameter is absent, where it depends on other fields (default: the defaults' value). */
  implied?(c: TrainConfig): string;
}

function num(raw: string, lo: number, hi: number, integer: boolean, what: string): number | string {
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v)) return `${what} must be a number, got "${raw}"`;
  if (integer && !Number.isInteger(v)) return `${what} must be a whole number, got ${raw}`;
  if (v < lo || v > hi) return `${what} must be between ${lo} and ${hi}, got ${raw}`;
  return v;
}

function oneOf<T extends string>(raw: string, allowed: readonly T[], what: string): T | string {
  return (allowed as readonly string[]).includes(raw) ? (raw as T) : `${what} must be one of ${allowed.join(', ')}, got "${raw}"`;
}

type Rtk = TrainConfig['options']['rtk'];
const opt = <K extends keyof TrainConfig['options']>(c: TrainConfig, k: K, patch: Partial<TrainConfig['options'][K]>): TrainConfig =>
  ({ ...c, options: { ...c.options, [k]: { ...c.options[k], ...patch } } });

function numField(key: string, what: string, lo: number, hi: number, integer: boolean,
  get: (c: TrainConfig) => number, put: (c: TrainConfig, v: number) => TrainConfig): Field {
  return {
    key, get: (c) => String(get(c)),
    set: (c, raw) => { const v = num(raw, lo, hi, integer, what); return typeof v === 'string' ? v : put(c, v); },
  };
}

function enumField<T extends string>(key: string, what: string, allowed: () => readonly T[],
  get: (c: TrainConfig) => T, put: (c: TrainConfig, v: T) => TrainConfig, aliases: Record<string, T> = {}): Field {
  return {
    key, get,
    set: (c, raw) => {
      const name = Object.hasOwn(aliases, raw) ? aliases[raw] : raw;
      const v = oneOf(name, allowed(), what);
      return v === name ? put(c, v as T) : v;
    },
  };
}

const STUDENT_ARCHS = (Object.keys(ARCHS) as ArchId[]).filter((a) => ARCHS[a].role === 'student');

/** In the order they are written and read (the student arch before its width and depth). */
export const FIELDS: Field[] = [
  {
    // A built-in id, or an imported dataset named by its fingerprint (user-<16 hex digits>).
    key: 'dataset', get: (c) => c.dataset,
    // The dataset brings its default augmentation; an augment parameter, read later, overrides it.
    set: (c, raw) => (raw in DATASETS || isImportedId(raw) ? { ...c, dataset: raw as DatasetId, augment: defaultAugment(raw as DatasetId) }
      : `dataset must be one of ${Object.keys(DATASETS).join(', ')} or an imported dataset's id (user-…), got "${raw}"`),
  },
  enumField('method', 'method', () => Object.keys(METHODS) as MethodId[], (c) => c.method, (c, v) => ({ ...c, method: v })),
  enumField('student', 'student', () => STUDENT_ARCHS, (c) => c.student.arch, (c, v) => ({ ...c, student: { ...c.student, arch: v } })),
  {
    key: 'width', get: (c) => String(c.student.width),
    set: (c, raw) => {
      const [lo, hi] = ARCHS[c.student.arch].widthRange;
      const v = num(raw, lo, hi, true, `width of ${ARCHS[c.student.arch].label}`);
      return typeof v === 'string' ? v : { ...c, student: { ...c.student, width: v } };
    },
  },
  {
    key: 'depth', get: (c) => String(c.student.depth),
    set: (c, raw) => {
      const [lo, hi] = ARCHS[c.student.arch].depthRange;
      const v = num(raw, lo, hi, true, `depth of ${ARCHS[c.student.arch].label}`);
      return typeof v === 'string' ? v : { ...c, student: { ...c.student, depth: v } };
    },
  },
  // The stride plan: 'auto' (not written) follows the image size (stridePlan.ts).
  enumField<StridePlanId | 'auto'>('plan', 'stride plan', () => ['auto', 'small', 'photo'], (c) => c.student.plan ?? 'auto', (c, v) => {
    const { plan: _drop, ...rest } = c.student;
    return { ...c, student: v === 'auto' ? rest : { ...rest, plan: v } };
  }),
  numField('alpha', 'KD α', 0, 1, false, (c) => c.options.kd.alpha, (c, v) => opt(c, 'kd', { alpha: v })),
  numField('tau', 'KD temperature τ', 0.1, 100, false, (c) => c.options.kd.tau, (c, v) => opt(c, 'kd', { tau: v })),
  numField('betaAt', 'AT β_at', 0, 1e6, false, (c) => c.options.at.betaAt, (c, v) => opt(c, 'at', { betaAt: v })),
  numField('beta', 'feature-loss weight β', 0, 1e6, false, (c) => c.options.afd.beta, (c, v) => opt(c, 'afd', { beta: v })),
  numField('d', 'attention width d', 1, 1024, true, (c) => c.options.afd.attnDim, (c, v) => opt(c, 'afd', { attnDim: v })),
  // 'teacher-softmax' is the earlier name of 'keys' (links made before the rename still open).
  enumField<ImportanceRule>('importance', 'importance rule', () => ['afd', 'keys'], (c) => c.options.rtk.importance,
    (c, v) => opt(c, 'rtk', { importance: v }), { 'teacher-softmax': 'keys' }),
  numField('k', 'k', 1, STUDENT_TAPS - 1, true, (c) => c.options.rtk.k, (c, v) => opt(c, 'rtk', { k: v })),
  {
    key: 'threshold', get: (c) => String(c.options.rtk.threshold),
    set: (c, raw) => {
      if (raw === 'mean') return opt(c, 'rtk', { threshold: 'mean' } as Partial<Rtk>);
      const v = num(raw, 0, 1, false, 'threshold (use "mean" or a number)');
      return typeof v === 'string' ? v : opt(c, 'rtk', { threshold: v });
    },
  },
  enumField<Granularity>('granularity', 'granularity', () => ['sample', 'batch'], (c) => c.options.rtk.granularity, (c, v) => opt(c, 'rtk', { granularity: v })),
  numField('warmup', 'warm-up epochs', 0, 1000, true, (c) => c.options.rtk.warmupEpochs, (c, v) => opt(c, 'rtk', { warmupEpochs: v })),
  numField('epochs', 'epochs', 1, 1000, true, (c) => c.epochs, (c, v) => ({ ...c, epochs: v })),
  numField('batchSize', 'batch size', 1, 4096, true, (c) => c.batchSize, (c, v) => ({ ...c, batchSize: v })),
  numField('lr', 'learning rate', 1e-7, 10, false, (c) => c.learningRate, (c, v) => ({ ...c, learningRate: v })),
  enumField<LrSchedule>('schedule', 'learning-rate schedule', () => ['constant', 'cosine', 'one-cycle'], (c) => c.lrSchedule, (c, v) => ({ ...c, lrSchedule: v })),
  enumField<OptimizerId>('optimizer', 'optimiser', () => ['adam', 'sgd'], (c) => c.optimizer ?? 'adam', (c, v) => ({ ...c, optimizer: v })),
  numField('momentum', 'SGD momentum', 0, 0.999, false, (c) => c.momentum ?? DEFAULT_CONFIG.momentum, (c, v) => ({ ...c, momentum: v })),
  numField('weightDecay', 'SGD weight decay', 0, 0.1, false, (c) => c.weightDecay ?? DEFAULT_CONFIG.weightDecay, (c, v) => ({ ...c, weightDecay: v })),
  // Configurations saved before these four existed ran Adam without augmentation: the getters say so.
  { ...enumField<Augment>('augment', 'augmentation', () => ['none', 'crop-flip'], (c) => c.augment ?? 'none', (c, v) => ({ ...c, augment: v })),
    implied: (c) => defaultAugment(c.dataset) },
  numField('seed', 'seed', 0, 2 ** 31 - 1, true, (c) => c.seed, (c, v) => ({ ...c, seed: v })),
  numField('trainLimit', 'training images', 0, 1e7, true, (c) => c.trainLimit, (c, v) => ({ ...c, trainLimit: v })),
  numField('testLimit', 'test images', 0, 1e7, true, (c) => c.testLimit, (c, v) => ({ ...c, testLimit: v })),
  numField('val', 'validation fraction', 0, 0.5, false, (c) => c.valFraction, (c, v) => ({ ...c, valFraction: v })),
  enumField<BackendPreference>('backend', 'backend', () => ['auto', ...BACKEND_ORDER], (c) => c.backend, (c, v) => ({ ...c, backend: v })),
];

export const CONFIG_KEYS = new Set(FIELDS.map((f) => f.key));

/** Written even when they equal today's defaults, so a shared link survives a change of defaults. */
export const ALWAYS_WRITTEN = new Set(['dataset', 'method', 'student', 'width', 'depth', 'epochs', 'batchSize', 'lr', 'seed']);

/** The parameters of `config` in a fixed order: the ones always written, and the others that differ from the defaults. */
export function configToParams(config: TrainConfig, defaults: TrainConfig = DEFAULT_CONFIG): [string, string][] {
  const out: [string, string][] = [];
  for (const f of FIELDS) {
    const v = f.get(config);
    if (ALWAYS_WRITTEN.has(f.key) || v !== (f.implied ? f.implied(config) : f.get(defaults))) out.push([f.key, v]);
  }
  return out;
}

export interface ParsedConfig { config: TrainConfig; issues: string[]; /** Whether any config parameter was present. */ present: boolean }

/** Reads every known parameter of `q` over `base`; bad values keep the base value and add an issue. */
export function parseConfigParams(q: URLSearchParams, base: TrainConfig = DEFAULT_CONFIG): ParsedConfig {
  let config = base;
  const issues: string[] = [];
  let present = false;
  for (const f of FIELDS) {
    const raw = q.get(f.key);
    if (raw === null) continue;
    present = true;
    const next = f.set(config, raw);
    if (typeof next === 'string') issues.push(`URL parameter ${f.key}: ${next}; using ${f.get(config)}.`);
    else config = next;
  }
  // A student arch change keeps the width and depth only when they fit the new arch.
  const a = ARCHS[config.student.arch];
  const clamp = (v: number, [lo, hi]: [number, number]) => Math.min(hi, Math.max(lo, v));
  const student = { ...config.student, width: clamp(config.student.width, a.widthRange), depth: clamp(config.student.depth, a.depthRange) };
  if (student.width !== config.student.width || student.depth !== config.student.depth) config = { ...config, student };
  return { config, issues, present };
}

/** Writes `config` into `search`, keeping the parameters that are not configuration. */
export function mergeIntoSearch(search: string, config: TrainConfig, defaults: TrainConfig = DEFAULT_CONFIG): string {
  const q = new URLSearchParams(search);
  for (const key of CONFIG_KEYS) q.delete(key);
  q.delete('config');
  for (const [k, v] of configToParams(config, defaults)) q.set(k, v);
  const s = q.toString();
  return s ? `?${s}` : '';
}
