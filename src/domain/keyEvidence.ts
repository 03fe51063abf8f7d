/**
 * How sure a key selection is (RTK.md "Selection and its uncertainty"): each key's influence with
 * its spread, keys within that spread of τ marked undecided, the agreement across seeds, and the
 * per-class bias check as a resampling test. Pure functions of stored statistics, so the explorer
 * recomputes all of it for any rule, k and τ without retraining.
 *
 * Matrices are laid out as `KeyStats.attention`: [T,S] row-major, row n = importance column n
 * (key n) of the rule in use.
 */
import type { ImportanceRule, ThresholdRule } from './config';
import type { KeyStats } from './messages';
import { influenceFromAttention, keptMask, selectKeys, thresholdValue, type KeySelection } from './rtkSelect';

export type KeyDecision = 'kept' | 'dropped' | 'undecided';

/** The [T,S] matrix of a rule: 'afd' = α (rows over students), 'keys' = softmax over keys. Null when not recorded. */
export function ruleMatrix(keys: KeyStats, rule: ImportanceRule): number[] | null {
  if (rule === 'afd') return keys.attention;
  return keys.competition ?? null;
}

/** The rules whose matrices an evaluation recorded ('keys' only in evaluations made since it was). */
export function rulesAvailable(keys: KeyStats): ImportanceRule[] {
  return keys.competition ? ['keys', 'afd'] : ['afd'];
}

/** The selection the explorer shows: the mask of `selectKeys` plus its uncertainty. */
export interface ShownSelection extends KeySelection {
  rule: ImportanceRule;
  /** Spread of each key's influence over groups of evaluated images ([] when not recorded). */
  spread: number[];
  decisions: KeyDecision[];
  /** Decimals that tell kept and dropped keys apart (influenceDigits). */
  digits: number;
}

/** The selection for one rule, k and threshold from an evaluation's stored statistics; null if the rule was not recorded. */
export function shownSelection(keys: KeyStats, rule: ImportanceRule, k: number, threshold: ThresholdRule): ShownSelection | null {
  const m = ruleMatrix(keys, rule);
  if (!m) return null;
  const sel = selectKeys(m, keys.T, keys.S, k, threshold);
  const spread = keys.groups ? influenceSpread(keys.groups[rule], keys.T, keys.S, k) : [];
  return { ...sel, rule, spread, decisions: decideKeys(sel, spread), digits: influenceDigits(sel.influence, sel.kept) };
}

/** Sample standard deviation (n − 1); 0 for fewer than two values. */
export function sd(values: ArrayLike<number>): number {
  const n = values.length;
  if (n < 2) return 0;
  let m = 0;
  for (let i = 0; i < n; i++) m += values[i];
  m /= n;
  let s = 0;
  for (let i = 0; i < n; i++) s += (values[i] - m) ** 2;
  return Math.sqrt(s / (n - 1));
}

/**
 * Spread of each key's influence over evaluation groups: the sd over groups of the influence
 * computed from each group's mean matrix. groups: G × [T,S] flat. Returns [T] (zeros for G < 2).
 */
export function influenceSpread(groups: ArrayLike<number>, T: number, S: number, k: number): number[] {
  const G = Math.floor(groups.length / (T * S));
  const per: number[][] = Array.from({ length: T }, () => []);
  for (let g = 0; g < G; g++) {
    const inf = influenceFromAttention(Array.prototype.slice.call(groups, g * T * S, (g + 1) * T * S) as number[], T, S, k);
    for (let n = 0; n < T; n++) per[n].push(inf[n]);
  }
  return per.map((v) => sd(v));
}

/**
 * Kept, dropped or undecided: a key whose influence lies within its spread of τ is undecided
 * (|I − τ| ≤ spread). Without a spread (0) every key is decided by the mask.
 */
export function decideKeys(sel: KeySelection, spread: ArrayLike<number>): KeyDecision[] {
  return sel.influence.map((v, n) => {
    const s = spread[n] ?? 0;
    if (s > 0 && Math.abs(v - sel.tau) <= s) return 'undecided';
    return sel.kept[n] === 1 ? 'kept' : 'dropped';
  });
}

/**
 * Decimals to show influences with (3 to 6), so that no kept key and dropped key display the
 * same number; when even 6 decimals tie, the values are equal and 6 is returned.
 */
export function influenceDigits(influence: ArrayLike<number>, kept: ArrayLike<number>): number {
  for (let d = 3; d < 6; d++) {
    const keptTexts = new Set<string>();
    const droppedTexts = new Set<string>();
    for (let n = 0; n < influence.length; n++) (kept[n] === 1 ? keptTexts : droppedTexts).add(influence[n].toFixed(d));
    if (![...keptTexts].some((t) => droppedTexts.has(t))) return d;
  }
  return 6;
}

/** For each key, the share of selections (seeds) that kept it. */
export function keptShare(masks: ArrayLike<number>[]): number[] {
  if (!masks.length) return [];
  const T = masks[0].length;
  return Array.from({ length: T }, (_, n) => masks.reduce((a, m) => a + (m[n] === 1 ? 1 : 0), 0) / masks.length);
}

/** Jaccard distance 1 − |A∩B| / |A∪B| of two 0/1 masks; two empty sets are identical (0). */
export function jaccardDistance(a: ArrayLike<number>, b: ArrayLike<number>): number {
  if (a.length !== b.length) throw new Error(`masks have ${a.length} and ${b.length} entries`);
  let inter = 0;
  let union = 0;
  for (let i = 0; i < a.length; i++) {
    const x = a[i] === 1;
    const y = b[i] === 1;
    if (x && y) inter++;
    if (x || y) union++;
  }
  return union === 0 ? 0 : 1 - inter / union;
}

/** A class's figures rest on too few images to tell below this count. */
export const MIN_CLASS_IMAGES = 30;
/** A class must keep keys at least this Jaccard distance from the overall kept keys to be flagged. */
export const SHARP_DIVERGENCE = 0.5;
/** Family-wise false-alarm rate of the bias check (Bonferroni over the classes). */
export const BIAS_ALPHA = 0.05;
/**
 * Classes differ from each other by nature (a truck is not a cat), so with enough images almost
 * every class differs from the overall selection beyond chance. A class is flagged only when it
 * is also an outlier among the classes: its influence vector is at least this many times farther
 * from the overall one than the median class's.
 */
export const OUTLIER_FACTOR = 2;

export interface ClassCheck {
  cls: number;
  /** Images of the class the figures rest on. */
  images: number;
  /** Kept mask of the class's own selection (null without images). */
  kept: number[] | null;
  influence: number[] | null;
  /** Jaccard distance of the class's kept keys from the overall ones. */
  distance: number;
  /** Share of random image sets of the same size whose selection is at least this far (null: not tested). */
  pValue: number | null;
  /** L1 distance of the class's influence vector from the overall one, over the median of the classes' (1 = a typical class). */
  outlier: number | null;
  verdict: 'no-images' | 'too-few' | 'same' | 'within-chance' | 'like-other-classes' | 'flagged' | 'untested';
}

/** The influence and kept mask of one [T,S] matrix. */
function selectionOf(matrix: ArrayLike<number>, T: number, S: number, k: number, threshold: ThresholdRule): { influence: number[]; kept: number[] } {
  const influence = influenceFromAttention(matrix, T, S, k);
  return { influence, kept: keptMask(influence, thresholdValue(influence, threshold)) };
}

export interface BiasInput {
  T: number;
  S: number;
  k: number;
  threshold: ThresholdRule;
  /** Mean matrix per class, C × [T,S]. */
  perClass: ArrayLike<number>;
  classCount: number[];
  /** Overall kept mask (the selection shown). */
  overallKept: ArrayLike<number>;
  /** Null samples: for class c, R mean matrices of random image sets of the class's size, C × R × [T,S]; absent: untested. */
  nullMeans?: ArrayLike<number>;
  /** The same samples' influences for this k, C × R × [T] (`nullInfluences`), if already computed. */
  nullInfluence?: Float64Array;
  R?: number;
}

/** Influences [T] of each null sample for one k: C × R × [T]. Depends on k only, not on τ. */
export function nullInfluences(nullMeans: ArrayLike<number>, C: number, R: number, T: number, S: number, k: number): Float64Array {
  const out = new Float64Array(C * R * T);
  const TS = T * S;
  const kk = Math.max(1, Math.min(Math.floor(k), S));
  const row = new Float64Array(S);
  for (let i = 0; i < C * R; i++) {
    for (let n = 0; n < T; n++) {
      for (let m = 0; m < S; m++) row[m] = nullMeans[i * TS + n * S + m];
      row.sort();
      let sum = 0;
      for (let j = 0; j < kk; j++) sum += row[S - 1 - j];
      out[i * T + n] = sum / kk;
    }
  }
  return out;
}

/**
 * The bias check (RTK.md "Selection and its uncertainty"). Class c is flagged only when
 *   1. its kept keys are sharply different from the overall ones (Jaccard ≥ SHARP_DIVERGENCE);
 *   2. random image sets of the same size, drawn from all evaluated images, are that far in at
 *      most BIAS_ALPHA / C of draws (a resampling test, Bonferroni over classes): not noise;
 *   3. it is an outlier among the classes (OUTLIER_FACTOR): not the ordinary difference between
 *      one class and the others.
 * A class that passes 1–2 but not 3 is "like other classes"; classes with fewer than
 * MIN_CLASS_IMAGES images are "too few to tell".
 */
export function biasCheck(input: BiasInput): ClassCheck[] {
  const { T, S, k, threshold, perClass, classCount, overallKept, nullMeans, R = 0 } = input;
  const C = classCount.length;
  const TS = T * S;
  const nullInf = input.nullInfluence ?? (nullMeans && R > 0 ? nullInfluences(nullMeans, C, R, T, S, k) : null);
  // Overall influence: the image-weighted mean of the classes' matrices.
  const total = classCount.reduce((a, b) => a + b, 0) || 1;
  const overallM = new Array<number>(TS).fill(0);
  for (let c = 0; c < C; c++) for (let e = 0; e < TS; e++) overallM[e] += (perClass[c * TS + e] * (classCount[c] ?? 0)) / total;
  const overallInf = influenceFromAttention(overallM, T, S, k);
  const own = classCount.map((n, c) => (n ? selectionOf(Array.prototype.slice.call(perClass, c * TS, (c + 1) * TS) as number[], T, S, k, threshold) : null));
  const l1 = own.map((o) => (o ? o.influence.reduce((a, v, n) => a + Math.abs(v - overallInf[n]), 0) : NaN));
  const typical = median(l1.filter((v, c) => Number.isFinite(v) && (classCount[c] ?? 0) >= MIN_CLASS_IMAGES));
  const out: ClassCheck[] = [];
  const inf = new Array<number>(T);
  for (let c = 0; c < C; c++) {
    const images = classCount[c] ?? 0;
    const o = own[c];
    if (!o) { out.push({ cls: c, images, kept: null, influence: null, distance: 0, pValue: null, outlier: null, verdict: 'no-images' }); continue; }
    const distance = jaccardDistance(o.kept, overallKept);
    const outlier = typical > 0 ? l1[c] / typical : null;
    const base = { cls: c, images, kept: o.kept, influence: o.influence, distance, outlier };
    if (images < MIN_CLASS_IMAGES) { out.push({ ...base, pValue: null, verdict: 'too-few' }); continue; }
    if (distance === 0) { out.push({ ...base, pValue: 1, verdict: 'same' }); continue; }
    if (!nullInf) { out.push({ ...base, pValue: null, verdict: 'untested' }); continue; }
    let atLeast = 0;
    for (let r = 0; r < R; r++) {
      const off = (c * R + r) * T;
      for (let n = 0; n < T; n++) inf[n] = nullInf[off + n];
      const nulKept = keptMask(inf, thresholdValue(inf, threshold));
      if (jaccardDistance(nulKept, overallKept) >= distance) atLeast++;
    }
    const pValue = (1 + atLeast) / (1 + R);
    const beyondChance = distance >= SHARP_DIVERGENCE && pValue <= BIAS_ALPHA / C;
    const verdict = !beyondChance ? 'within-chance' : outlier !== null && outlier >= OUTLIER_FACTOR ? 'flagged' : 'like-other-classes';
    out.push({ ...base, pValue, verdict });
  }
  return out;
}

function median(v: number[]): number {
  if (!v.length) return 0;
  const s = [...v].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/** A seeded uniform [0,1) generator (mulberry32), so a resampling test gives the same answer each time. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Null samples for the bias check: for each class c with n_c images, R mean matrices of n_c
 * images drawn without replacement from all N images. perImage: N × [T,S]. Returns C × R × [T,S].
 */
export function classNullMeans(perImage: ArrayLike<number>, N: number, TS: number, classCount: number[], R: number, seed = 1): Float32Array {
  const C = classCount.length;
  const out = new Float32Array(C * R * TS);
  const rand = seededRandom(seed);
  const idx = Int32Array.from({ length: N }, (_, i) => i);
  for (let c = 0; c < C; c++) {
    const n = Math.min(classCount[c], N);
    if (n < MIN_CLASS_IMAGES) continue;
    for (let r = 0; r < R; r++) {
      // Partial Fisher–Yates: the first n entries of idx become a random subset.
      for (let i = 0; i < n; i++) {
        const j = i + Math.floor(rand() * (N - i));
        const t = idx[i]; idx[i] = idx[j]; idx[j] = t;
      }
      const off = (c * R + r) * TS;
      for (let i = 0; i < n; i++) {
        const src = idx[i] * TS;
        for (let e = 0; e < TS; e++) out[off + e] += perImage[src + e];
      }
      for (let e = 0; e < TS; e++) out[off + e] /= n;
    }
  }
  return out;
}
