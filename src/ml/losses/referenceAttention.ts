/**
 * Plain-TypeScript reference of AFD steps 1–4 (attention logits and α) given the same weights
 * as a FeatureAttention (float64 loops; BN with batch statistics in training, moving ones in eval).
 */
import type { Tap } from './reference';

type Vec = ArrayLike<number>;

/** One Linear (no bias, W [in,out] row-major) + BN layer. */
export interface RefLinearBn {
  W: Vec;
  inDim: number;
  outDim: number;
  gamma: Vec;
  beta: Vec;
  movingMean: Vec;
  movingVar: Vec;
}

export interface RefAttentionParams {
  d: number;
  query: RefLinearBn[];
  key: RefLinearBn[];
  bilinear: RefLinearBn;
  /** P_t [T,d], P_s [S,d] row-major. */
  Pt: Vec;
  Ps: Vec;
}

export const REF_BN_EPS = 1e-5;

/** Builds params from FeatureAttention's `weightNames` / `getWeights()` (arrays shared, not copied). */
export function refParamsFromWeights(names: string[], weights: Vec[], d: number, teacherC: number[], studentC: number[]): RefAttentionParams {
  const get = (name: string): Vec => {
    const i = names.indexOf(name);
    if (i < 0) throw new Error(`refParamsFromWeights: no weight named ${name}`);
    return weights[i];
  };
  const layer = (l: string, inDim: number, outDim: number): RefLinearBn => ({
    W: get(`${l}/W`), inDim, outDim, gamma: get(`${l}/gamma`), beta: get(`${l}/beta`),
    movingMean: get(`${l}/movingMean`), movingVar: get(`${l}/movingVar`),
  });
  return {
    d,
    query: teacherC.map((c, n) => layer(`q${n}`, c, d)),
    key: studentC.map((c, m) => layer(`k${m}`, c, d)),
    bilinear: layer('bil', d, teacherC.length * d),
    Pt: get('Pt'),
    Ps: get('Ps'),
  };
}

/** GAP: [B][H][W][C] → [B][C]. */
export function refGap(f: Tap): number[][] {
  return f.map((img) => {
    const C = img[0][0].length;
    const acc = new Array<number>(C).fill(0);
    let count = 0;
    for (const row of img) for (const px of row) { px.forEach((x, c) => (acc[c] += x)); count++; }
    return acc.map((x) => x / count);
  });
}

/** y = γ·(xW − μ)/sqrt(σ² + ε) + β over the rows of x [N][in] → [N][out]. */
export function refLinearBn(x: number[][], p: RefLinearBn, training: boolean): number[][] {
  const h = x.map((row) => {
    const out = new Array<number>(p.outDim).fill(0);
    for (let i = 0; i < p.inDim; i++) for (let o = 0; o < p.outDim; o++) out[o] += row[i] * p.W[i * p.outDim + o];
    return out;
  });
  const N = h.length;
  const mu: number[] = [];
  const va: number[] = [];
  for (let o = 0; o < p.outDim; o++) {
    if (training) {
      const m = h.reduce((a, r) => a + r[o], 0) / N;
      mu.push(m);
      va.push(h.reduce((a, r) => a + (r[o] - m) ** 2, 0) / N);
    } else {
      mu.push(p.movingMean[o]);
      va.push(p.movingVar[o]);
    }
  }
  return h.map((r) => r.map((v, o) => (p.gamma[o] * (v - mu[o])) / Math.sqrt(va[o] + REF_BN_EPS) + p.beta[o]));
}

/** z[b][n][m] = (q_n·K̃[b,m,n] + (P_t P_sᵀ)[n,m]) / √d and α = softmax over m. */
export function refAttentionLogits(tTaps: Tap[], sTaps: Tap[], p: RefAttentionParams, training: boolean): { z: number[][][]; alpha: number[][][] } {
  const { d } = p;
  const T = tTaps.length;
  const S = sTaps.length;
  const B = tTaps[0].length;
  const Q = tTaps.map((t, n) => refLinearBn(refGap(t), p.query[n], training)); // [T][B][d]
  const K = sTaps.map((s, m) => refLinearBn(refGap(s), p.key[m], training).map((r) => r.map((v) => Math.max(0, v)))); // [S][B][d]
  const rows: number[][] = [];
  for (let b = 0; b < B; b++) for (let m = 0; m < S; m++) rows.push(K[m][b]); // row b·S + m
  const Kb = refLinearBn(rows, p.bilinear, training); // [B·S][T·d]
  const z: number[][][] = [];
  const alpha: number[][][] = [];
  for (let b = 0; b < B; b++) {
    const zb: number[][] = [];
    for (let n = 0; n < T; n++) {
      const row: number[] = [];
      for (let m = 0; m < S; m++) {
        let acc = 0;
        for (let e = 0; e < d; e++) acc += Q[n][b][e] * Kb[b * S + m][n * d + e] + p.Pt[n * d + e] * p.Ps[m * d + e];
        row.push(acc / Math.sqrt(d));
      }
      zb.push(row);
    }
    z.push(zb);
    const mx = zb.map((row) => Math.max(...row));
    alpha.push(zb.map((row, n) => {
      const ex = row.map((v) => Math.exp(v - mx[n]));
      const s = ex.reduce((a, c) => a + c, 0);
      return ex.map((v) => v / s);
    }));
  }
  return { z, alpha };
}
