/**
 * The fused AFD distance D on WebGPU (Dawn, fusedAfdDistance.ts) against afdValues.ts's
 * composed ops on cpu: D and its gradient in every student tap, for taps at several resolutions
 * (shrinking, growing, non-integer and equal resizes, two teacher taps sharing a resolution),
 * odd channel counts, batch 1; the teacher taps' pools the same kernel gives; 3 dispatches
 * forward and 3 backward; no tensor left behind.
 */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { afdDistance } from '../losses/afdValues';
import { NORM_EPS, resizeMatrix } from '../losses/energy';
import type { TapShape } from '../types';
import { afdDistanceGeometry, afdDistanceLayout, fusedAfdDistance, fusedAfdDistanceAvailable, fusedAfdTeacher } from './fusedAfdDistance';
import { webgpuCounter } from './webgpuCounter';
import { flushWebGpu } from './webgpuRaw';
import { startTrainingWebGpu, testValues } from './webgpuTestDevice';

let available = false;
beforeAll(async () => {
  available = await startTrainingWebGpu();
});

const rand = (n: number, seed: number) => testValues(n, seed);

const prod = (s: number[]) => s.reduce((a, b) => a * b, 1);

/** D and its gradients in the student taps for Σ D·w, fused on webgpu, composed elsewhere. */
async function run(B: number, teacher: TapShape[], student: TapShape[], fused: boolean): Promise<number[][]> {
  const tT = teacher.map((s, i) => tf.tensor4d(rand(B * prod(s), 1 + i), [B, ...s]));
  const sT = student.map((s, i) => tf.tensor4d(rand(B * prod(s), 30 + i), [B, ...s]));
  const w = tf.tensor3d(rand(B * teacher.length * student.length, 99), [B, teacher.length, student.length]);
  const geometry = fused ? afdDistanceGeometry(afdDistanceLayout(teacher, student, resizeMatrix)) : null;
  const side = geometry ? fusedAfdTeacher(tT, geometry, NORM_EPS) : null;
  // The teacher taps' pools, packed in tap order ([B, Σ C_n]), as the fused teacher kernel gives them.
  const pooled = side ? side.pooled! : tf.tidy(() => tf.concat(tT.map((t) => tf.mean(t, [1, 2])), 1));
  const distance = (xs: tf.Tensor4D[]) => (side ? fusedAfdDistance(side.values, xs, geometry!, NORM_EPS) : afdDistance(tT, xs));
  const D = tf.tidy(() => distance(sT));
  const grads = tf.grads((...xs: tf.Tensor[]) => tf.sum(tf.mul(distance(xs as tf.Tensor4D[]), w)))(sT);
  flushWebGpu();
  const out = [Array.from(await D.data()), ...(await Promise.all(grads.map(async (g) => Array.from(await g.data())))), Array.from(await pooled.data())];
  tf.dispose([...tT, ...sT, w, D, ...grads, pooled, ...(side ? [side.values] : [])]);
  if (geometry) tf.dispose([geometry.meta, geometry.weights]);
  return out;
}

async function compare(B: number, teacher: TapShape[], student: TapShape[]): Promise<void> {
  await tf.setBackend('cpu');
  expect(fusedAfdDistanceAvailable(B, teacher.length, student.length)).toBe(false);
  const want = await run(B, teacher, student, false);
  await tf.setBackend('webgpu');
  expect(fusedAfdDistanceAvailable(B, teacher.length, student.length)).toBe(true);
  const before = tf.memory().numTensors;
  const got = await run(B, teacher, student, true);
  expect(tf.memory().numTensors).toBe(before);
  expect(got.length).toBe(want.length);
  want.forEach((wv, k) => {
    const scale = Math.max(1e-6, ...wv.map(Math.abs));
    expect(got[k].length).toBe(wv.length);
    wv.forEach((v, i) => expect(Math.abs(got[k][i] - v) / scale, `${k === 0 ? 'D' : k === want.length - 1 ? 'pooled' : `dF${k - 1}`}[${i}]`).toBeLessThan(1e-4));
  });
}

describe('the fused AFD distance on WebGPU (Dawn) vs the composed ops on cpu', () => {
  it('six teacher taps at three resolutions, three student taps (the studio default shape)', async (ctx) => {
    if (!available) ctx.skip();
    await compare(3, [[14, 14, 5], [14, 14, 5], [7, 7, 6], [7, 7, 6], [4, 4, 9], [4, 4, 9]], [[14, 14, 3], [7, 7, 4], [4, 4, 7]]);
  });

  it('odd resizes both ways (9→4, 4→9, 5×3→2×6), rows longer than a workgroup, more channels than threads', async (ctx) => {
    if (!available) ctx.skip();
    await compare(2, [[9, 9, 2], [2, 6, 3], [11, 11, 1], [3, 3, 70]], [[4, 4, 5], [5, 3, 2]]);
  });

  it('batch 1, one teacher tap, one student tap', async (ctx) => {
    if (!available) ctx.skip();
    await compare(1, [[5, 5, 2]], [[3, 3, 4]]);
  });

  it('is 3 dispatches forward and 3 backward', async (ctx) => {
    if (!available) ctx.skip();
    await tf.setBackend('webgpu');
    const teacher: TapShape[] = [[6, 6, 3], [3, 3, 4]];
    const student: TapShape[] = [[6, 6, 2], [3, 3, 2]];
    await run(2, teacher, student, true);
    const counter = webgpuCounter()!;
    counter.reset();
    await run(2, teacher, student, true);
    const by = Object.fromEntries(counter.breakdown(40).map((r) => [r.program.split(':')[0], r.dispatches]));
    // run() computes D once alone and once under tf.grads, from one teacher side.
    expect(by).toMatchObject({ RtkAfdTeacherValues: 1, RtkAfdStudentEnergy: 2, RtkAfdDistance: 2, RtkAfdDistanceGrad: 1, RtkAfdResizeGrad: 1, RtkAfdStudentEnergyGrad: 1 });
    expect(by.BatchMatMul).toBeUndefined();
    expect(by.RtkL2NormRows).toBeUndefined();
  });
});
