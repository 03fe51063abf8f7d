import { describe, expect, it } from 'vitest';
import type { KeyStats } from './messages';
import { biasCheck, classNullMeans, decideKeys, influenceDigits, influenceSpread, keptShare, ruleMatrix, seededRandom } from './keyEvidence';
import { selectKeys } from './rtkSelect';

/** Both importance matrices ([T,S], row n = key n) of one sample's logits z [T,S]. */
function matrices(z: number[][]): { afd: number[]; keys: number[] } {
  const T = z.length;
  const S = z[0].length;
  const afd: number[] = [];
  const keys = new Array<number>(T * S).fill(0);
  for (let n = 0; n < T; n++) {
    const e = z[n].map((v) => Math.exp(v));
    const s = e.reduce((a, b) => a + b, 0);
    afd.push(...e.map((v) => v / s)); // softmax over the student taps
  }
  for (let m = 0; m < S; m++) {
    const e = z.map((row) => Math.exp(row[m]));
    const s = e.reduce((a, b) => a + b, 0);
    for (let n = 0; n < T; n++) keys[n * S + m] = e[n] / s; // softmax over the keys
  }
  return { afd, keys };
}

describe('importance rules on peaked attention', () => {
  // Six keys, three student taps; each key sends nearly all of its attention to one tap, with
  // logits of different strength: keys 0 and 3 pick tap 0, keys 1 and 4 tap 1, keys 2 and 5 tap 2.
  const z = [[9, 0, 0], [0, 6, 0], [0, 0, 3], [5, 0, 0], [0, 8, 0], [0, 0, 7]];
  const { afd, keys } = matrices(z);
  it("'afd' ties every key at 1/k: its rows sum to 1 and are all nearly one-hot", () => {
    const sel = selectKeys(afd, 6, 3, 2, 'mean');
    for (const v of sel.influence) expect(v).toBeCloseTo(0.5, 1);
    expect(Math.max(...sel.influence) - Math.min(...sel.influence)).toBeLessThan(0.03);
  });
  it("'keys' separates them: keys that win a tap against the other keys score high, the rest low", () => {
    const sel = selectKeys(keys, 6, 3, 1, 'mean');
    expect(sel.influence[0]).toBeGreaterThan(0.9); // 9 beats 5 for tap 0
    expect(sel.influence[3]).toBeLessThan(0.1);
    expect(sel.influence[4]).toBeGreaterThan(sel.influence[1]);
    expect(sel.influence[5]).toBeGreaterThan(sel.influence[2]);
    expect(sel.kept).toEqual([1, 0, 0, 0, 1, 1]);
    // Each student tap spreads one unit over the keys.
    for (let m = 0; m < 3; m++) expect([0, 1, 2, 3, 4, 5].reduce((a, n) => a + keys[n * 3 + m], 0)).toBeCloseTo(1, 6);
  });
  it('ruleMatrix reads the stored matrix of each rule, none for evaluations without one', () => {
    const stats = { attention: afd, competition: keys } as unknown as KeyStats;
    expect(ruleMatrix(stats, 'keys')).toBe(keys);
    expect(ruleMatrix({ attention: afd } as unknown as KeyStats, 'keys')).toBeNull();
  });
});

describe('uncertainty of a selection', () => {
  it('spread is the sd over groups of the influence of each group mean', () => {
    // T = 2 keys, S = 1: the influence is the entry itself.
    const groups = [0.2, 0.8, 0.4, 0.6];
    const s = influenceSpread(groups, 2, 1, 1);
    expect(s[0]).toBeCloseTo(Math.SQRT2 * 0.1, 10);
    expect(s[1]).toBeCloseTo(Math.SQRT2 * 0.1, 10);
  });
  it('a key within its spread of τ is undecided, the others keep their side', () => {
    const sel = selectKeys([0.30, 0.26, 0.10, 0.34], 4, 1, 1, 0.25);
    expect(decideKeys(sel, [0.01, 0.02, 0.01, 0.01])).toEqual(['kept', 'undecided', 'dropped', 'kept']);
    expect(decideKeys(sel, [])).toEqual(['kept', 'kept', 'dropped', 'kept']);
  });
  it('shows enough decimals that no kept and dropped key read the same', () => {
    expect(influenceDigits([0.5, 0.4], [1, 0])).toBe(3);
    expect(influenceDigits([0.50004, 0.49996], [1, 0])).toBe(5);
    expect(influenceDigits([0.5000001, 0.5], [1, 0])).toBe(6);
    // Two kept keys may share a number: only opposite sides count.
    expect(influenceDigits([0.50001, 0.50002, 0.1], [1, 1, 0])).toBe(3);
  });
  it('kept share across seeds', () => {
    expect(keptShare([[1, 0, 1], [1, 1, 0], [1, 0, 0]])).toEqual([1, 1 / 3, 1 / 3]);
  });
});

/** N images of T×S random importance rows (each row a random distribution over S), labels over C classes. */
function randomImages(N: number, T: number, S: number, rand: () => number): Float32Array {
  const out = new Float32Array(N * T * S);
  for (let i = 0; i < N; i++) {
    for (let n = 0; n < T; n++) {
      const w = Array.from({ length: S }, () => 0.2 + rand());
      const s = w.reduce((a, b) => a + b, 0);
      for (let m = 0; m < S; m++) out[(i * T + n) * S + m] = w[m] / s;
    }
  }
  return out;
}

function check(img: Float32Array, labels: Int32Array, C: number, T: number, S: number, R: number) {
  const TS = T * S;
  const N = labels.length;
  const count = new Array<number>(C).fill(0);
  const perClass = new Array<number>(C * TS).fill(0);
  const overall = new Array<number>(TS).fill(0);
  for (let i = 0; i < N; i++) {
    count[labels[i]]++;
    for (let e = 0; e < TS; e++) { perClass[labels[i] * TS + e] += img[i * TS + e]; overall[e] += img[i * TS + e] / N; }
  }
  for (let c = 0; c < C; c++) for (let e = 0; e < TS; e++) perClass[c * TS + e] /= count[c] || 1;
  const sel = selectKeys(overall, T, S, 2, 'mean');
  return biasCheck({ T, S, k: 2, threshold: 'mean', perClass, classCount: count, overallKept: sel.kept,
    nullMeans: classNullMeans(img, N, TS, count, R, 7), R });
}

describe('bias check', () => {
  const T = 6;
  const S = 6;
  const C = 10;
  it('raises no more false alarms than its 5 % family-wise rate on labels that carry no signal', () => {
    let alarms = 0;
    const trials = 12;
    for (let t = 0; t < trials; t++) {
      const rand = seededRandom(100 + t);
      const N = 1000;
      const img = randomImages(N, T, S, rand);
      const labels = Int32Array.from({ length: N }, () => Math.floor(rand() * C));
      if (check(img, labels, C, T, S, 200).some((r) => r.verdict === 'flagged')) alarms++;
    }
    expect(alarms).toBeLessThanOrEqual(1);
  });
  it('flags a class whose images pick other keys, and only that class', () => {
    const rand = seededRandom(5);
    const N = 1000;
    const labels = Int32Array.from({ length: N }, () => Math.floor(rand() * C));
    // 'keys' matrices drawn directly: each student tap m shares one unit over the keys n. Every
    // image prefers keys 0–2 a little; class 3's images (a planted shortcut) prefer keys 4 and 5.
    const base = [1.5, 1.5, 1.5, 1, 1, 1];
    const shortcut = [0.5, 0.5, 0.5, 0.5, 4, 4];
    const img = new Float32Array(N * T * S);
    for (let i = 0; i < N; i++) {
      const pref = labels[i] === 3 ? shortcut : base;
      for (let m = 0; m < S; m++) {
        const w = pref.map((p) => p * (0.2 + rand()));
        const sum = w.reduce((a, b) => a + b, 0);
        for (let n = 0; n < T; n++) img[(i * T + n) * S + m] = w[n] / sum;
      }
    }
    const rows = check(img, labels, C, T, S, 200);
    expect(rows.filter((r) => r.verdict === 'flagged').map((r) => r.cls)).toEqual([3]);
    expect(rows[3].kept).toEqual([0, 0, 0, 0, 1, 1]);
  });
  it('does not flag classes that each prefer their own keys, as real classes do', () => {
    const rand = seededRandom(11);
    const N = 1500;
    const labels = Int32Array.from({ length: N }, () => Math.floor(rand() * C));
    // Class c leans towards key c mod 6: every class differs from the overall selection, none stands out.
    const img = new Float32Array(N * T * S);
    for (let i = 0; i < N; i++) {
      const pref = Array.from({ length: T }, (_, n) => (n === labels[i] % T ? 2.5 : 1));
      for (let m = 0; m < S; m++) {
        const w = pref.map((p) => p * (0.2 + rand()));
        const sum = w.reduce((a, b) => a + b, 0);
        for (let n = 0; n < T; n++) img[(i * T + n) * S + m] = w[n] / sum;
      }
    }
    const rows = check(img, labels, C, T, S, 200);
    expect(rows.some((r) => r.verdict === 'like-other-classes')).toBe(true);
    expect(rows.filter((r) => r.verdict === 'flagged')).toEqual([]);
  });
  it('says "too few to tell" for a class with few images and skips empty ones', () => {
    const rand = seededRandom(9);
    const N = 400;
    const labels = Int32Array.from({ length: N }, (_, i) => (i < 10 ? 0 : 1 + (i % 2)));
    const rows = check(randomImages(N, T, S, rand), labels, 4, T, S, 50);
    expect(rows[0].verdict).toBe('too-few');
    expect(rows[0].images).toBe(10);
    expect(rows[3].verdict).toBe('no-images');
  });
});
