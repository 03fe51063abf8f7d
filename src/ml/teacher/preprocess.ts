/**
 * Input scalings of an imported teacher (PREPROCESSING in the domain registry), applied to a
 * batch of [0, 1] floats NHWC: 'unit' leaves it, 'signed' maps to [−1, 1], 'imagenet'
 * subtracts the ImageNet mean and divides by its std per channel (grey images use the mean of
 * the three channels' statistics).
 */
import type { PreprocessId } from '../../domain';

const MEAN = [0.485, 0.456, 0.406];
const STD = [0.229, 0.224, 0.225];
const avg = (a: number[]) => a.reduce((s, v) => s + v, 0) / a.length;

/** Per-channel scale and shift so that y = x·scale + shift. */
export function affineOf(id: PreprocessId, channels: number): { scale: number[]; shift: number[] } {
  if (id === 'unit') return { scale: new Array(channels).fill(1), shift: new Array(channels).fill(0) };
  if (id === 'signed') return { scale: new Array(channels).fill(2), shift: new Array(channels).fill(-1) };
  const mean = channels === 3 ? MEAN : new Array(channels).fill(avg(MEAN));
  const std = channels === 3 ? STD : new Array(channels).fill(avg(STD));
  return { scale: std.map((s) => 1 / s), shift: mean.map((m, i) => -m / std[i]) };
}

/** Applies `id` to x (NHWC, `channels` innermost) in place and returns it. */
export function preprocessInPlace(x: Float32Array, channels: number, id: PreprocessId): Float32Array {
  if (id === 'unit') return x;
  const { scale, shift } = affineOf(id, channels);
  for (let i = 0; i < x.length; i++) {
    const c = i % channels;
    x[i] = x[i] * scale[c] + shift[c];
  }
  return x;
}
