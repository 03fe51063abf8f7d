/**
 * Plain-TypeScript references (no tf, float64) for every loss in this folder, written straight
 * from RTK.md with loops, for the tests. Arrays: logits [B][C]; taps [B][H][W][C];
 * α, z, D [B][T][S]; influence, mask [B][T]. The AFD logits live in referenceAttention.ts.
 */
import type { Granularity, ImportanceRule, RtkOptions, ThresholdRule } from '../../domain';

export type Tap = number[][][][];
export const REF_NORM_EPS = 1e-12;

const sum = (v: number[]): number => v.reduce((a, b) => a + b, 0);
const mean = (v: number[]): number => sum(v) / v.length;

export function refLogSoftmax(row: number[]): number[] {
  const mx = Math.max(...row);
  const lse = mx + Math.log(sum(row.map((x) => Math.exp(x - mx))));
  return row.map((x) => x - lse);
}

export const refSoftmax = (row: number[]): number[] => refLogSoftmax(row).map(Math.exp);

/** CE = −mean_b log softmax(logits_b)[y_b]. */
export function refCrossEntropy(logits: number[][], labels: number[]): number {
  return -mean(logits.map((row, b) => refLogSoftmax(row)[labels[b]]));
}

/** α·τ²·mean_b Σ_c p_t (log p_t − log p_s), p = softmax(·/τ). */
export function refKd(student: number[][], teacher: number[][], alpha: number, tau: number): number {
  const kl = student.map((s, b) => {
    const lt = refLogSoftmax(teacher[b].map((x) => x / tau));
    const ls = refLogSoftmax(s.map((x) => x / tau));
    return sum(lt.map((l, c) => Math.exp(l) * (l - ls[c])));
  });
  return alpha * tau * tau * mean(kl);
}

/** Energy e[b][h][w] = mean_c F[b][h][w][c]². */
export function refEnergy(f: Tap): number[][][] {
  return f.map((img) => img.map((row) => row.map((px) => mean(px.map((x) => x * x)))));
}

/** v / sqrt(Σv² + ε). */
export function refNormalize(v: number[]): number[] {
  const norm = Math.sqrt(sum(v.map((x) => x * x)) + REF_NORM_EPS);
  return v.map((x) => x / norm);
}

/** Source cells and weights for output cell i of one axis: area average (shrink) or nearest (grow). */
function axisWeights(from: number, to: number, i: number): [number, number][] {
  if (to >= from) return [[Math.floor((i * from) / to), 1]];
  const lo = (i * from) / to;
  const hi = ((i + 1) * from) / to;
  const out: [number, number][] = [];
  for (let j = 0; j < from; j++) {
    const overlap = Math.min(hi, j + 1) - Math.max(lo, j);
    if (overlap > 0) out.push([j, overlap / (hi - lo)]);
  }
  return out;
}

/** Resize one energy map [h][w] → [H][W] (per axis: area average when shrinking, nearest when growing). */
export function refResize(e: number[][], H: number, W: number): number[][] {
  const h = e.length;
  const w = e[0].length;
  const out: number[][] = [];
  for (let i = 0; i < H; i++) {
    const row: number[] = [];
    for (let j = 0; j < W; j++) {
      let acc = 0;
      for (const [p, wp] of axisWeights(h, H, i)) for (const [q, wq] of axisWeights(w, W, j)) acc += wp * wq * e[p][q];
      row.push(acc);
    }
    out.push(row);
  }
  return out;
}

/** AT/AFD value: L2-normalised flattened energy of one image [H][W][C], optionally resized first. */
export function refValue(img: number[][][], size?: [number, number]): number[] {
  let e = refEnergy([img])[0];
  if (size) e = refResize(e, size[0], size[1]);
  return refNormalize(e.flat());
}

/** β_at · Σ_pairs mean_b ‖a_s − a_t‖². */
export function refAtLoss(tTaps: Tap[], sTaps: Tap[], pairs: [number, number][], betaAt: number): number {
  let total = 0;
  for (const [n, m] of pairs) {
    total += mean(tTaps[n].map((img, b) => {
      const at = refValue(img);
      const as = refValue(sTaps[m][b]);
      return sum(at.map((x, i) => (as[i] - x) ** 2));
    }));
  }
  return betaAt * total;
}

/** D[b][n][m] = mean over teacher pixels of (v̂_s^{m→n} − v_t^n)². */
export function refAfdDistance(tTaps: Tap[], sTaps: Tap[]): number[][][] {
  const B = tTaps[0].length;
  const D: number[][][] = [];
  for (let b = 0; b < B; b++) {
    D.push(tTaps.map((t) => {
      const size: [number, number] = [t[b].length, t[b][0].length];
      const vt = refValue(t[b]);
      return sTaps.map((s) => {
        const vs = refValue(s[b], size);
        return mean(vt.map((x, i) => (vs[i] - x) ** 2));
      });
    }));
  }
  return D;
}

/** Σ_n mean_b Σ_m α·D. */
export function refAfdLoss(alpha: number[][][], D: number[][][]): number {
  return mean(alpha.map((a, b) => sum(a.map((row, n) => sum(row.map((x, m) => x * D[b][n][m]))))));
}

/** I[b][n] = mean of the top-k entries of importance column n (k clamped to [1,S]). */
export function refInfluence(alpha: number[][][], z: number[][][], rule: ImportanceRule, k: number): number[][] {
  return alpha.map((a, b) => {
    const T = a.length;
    const S = a[0].length;
    const kk = Math.max(1, Math.min(Math.floor(k), S));
    const cols: number[][] = [];
    for (let n = 0; n < T; n++) cols.push([]);
    for (let m = 0; m < S; m++) {
      const imp = rule === 'afd' ? a.map((row) => row[m]) : refSoftmax(z[b].map((row) => row[m]));
      imp.forEach((v, n) => cols[n].push(v));
    }
    return cols.map((c) => mean([...c].sort((x, y) => y - x).slice(0, kk)));
  });
}

function maskRow(inf: number[], threshold: ThresholdRule): number[] {
  const tau = threshold === 'mean' ? mean(inf) : threshold;
  const r = inf.map((v) => (v > tau ? 1 : 0));
  if (!r.includes(1)) r[inf.indexOf(Math.max(...inf))] = 1;
  return r;
}

/** Kept mask r[b][n] (per sample, or one row from the batch-mean influence). */
export function refMask(influence: number[][], threshold: ThresholdRule, granularity: Granularity): number[][] {
  if (granularity === 'sample') return influence.map((row) => maskRow(row, threshold));
  const T = influence[0].length;
  const avg = Array.from({ length: T }, (_, n) => mean(influence.map((row) => row[n])));
  const r = maskRow(avg, threshold);
  return influence.map(() => [...r]);
}

/** L_rtk = Σ_n mean_b r[b][n]·Σ_m α·D, with the mask and influence. */
export function refRtkLoss(alpha: number[][][], D: number[][][], z: number[][][], opts: RtkOptions): { loss: number; mask: number[][]; influence: number[][] } {
  const influence = refInfluence(alpha, z, opts.importance, opts.k);
  const mask = refMask(influence, opts.threshold, opts.granularity);
  const loss = mean(alpha.map((a, b) => sum(a.map((row, n) => mask[b][n] * sum(row.map((x, m) => x * D[b][n][m]))))));
  return { loss, mask, influence };
}

export * from './referenceAttention';
