/**
 * Cost metrics of a TappedModel: parameters, FLOPs per image, bytes, latency.
 *
 * FLOP convention (forward pass of one image, 1 multiply-add = 2 FLOPs):
 * - weighted layers (Conv2D, DepthwiseConv2D, SeparableConv2D, Conv1D, Dense): 2 × kernel
 *   elements × output positions, i.e. conv 2·H_out·W_out·k²·C_in·C_out, depthwise
 *   2·H_out·W_out·k²·C, dense 2·in·out; + 1 per output element for a bias and 1 for a fused
 *   non-linear activation;
 * - BatchNormalization: 2 per element (inference form x·scale + shift);
 * - ReLU / Activation / other activations: 1 per element; Add and friends: (inputs − 1) per
 *   element; GlobalAveragePooling: 1 per input element; Average/MaxPooling: pool area per output;
 * - Input, Flatten, Reshape, Dropout, ZeroPadding, Concatenate: 0. Any other layer counts 0 and
 *   is listed in `flopBreakdown(...).uncounted`.
 * Taps are outputs of layers that run anyway, so they add nothing.
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelCosts } from '../../domain';
import type { TappedModel } from '../types';

export interface LayerFlops { name: string; className: string; flops: number }

const ZERO = new Set(['InputLayer', 'Flatten', 'Reshape', 'Dropout', 'SpatialDropout1D', 'SpatialDropout2D', 'ZeroPadding2D',
  'Concatenate', 'Permute', 'RepeatVector', 'GaussianNoise', 'GaussianDropout', 'AlphaDropout', 'Cropping2D', 'Masking']);
const WEIGHTED = new Set(['Conv2D', 'DepthwiseConv2D', 'SeparableConv2D', 'Conv1D', 'Dense']);
const ACTIVATIONS = new Set(['ReLU', 'Activation', 'LeakyReLU', 'ELU', 'PReLU', 'ThresholdedReLU', 'Softmax']);
const MERGES = new Set(['Add', 'Subtract', 'Multiply', 'Average', 'Maximum', 'Minimum']);
const GLOBAL_POOLS = new Set(['GlobalAveragePooling2D', 'GlobalAveragePooling1D', 'GlobalMaxPooling2D', 'GlobalMaxPooling1D']);
const POOLS = new Set(['AveragePooling2D', 'MaxPooling2D', 'AveragePooling1D', 'MaxPooling1D']);

/** Number of elements of a full shape. */
const size = (shape: (number | null)[]): number => shape.reduce<number>((a, d) => a * (d ?? 1), 1);
/** Elements of one sample of a shape (batch dimension dropped). */
const perSample = (shape: (number | null)[]): number => shape.slice(1).reduce<number>((a, d) => a * (d ?? 1), 1);

function layerFlops(layer: tf.layers.Layer, inShapes: (number | null)[][], outShape: (number | null)[]): number | null {
  const cls = layer.getClassName();
  const out = perSample(outShape);
  if (ZERO.has(cls)) return 0;
  if (WEIGHTED.has(cls)) {
    const cfg = layer.getConfig();
    const positions = out / (outShape[outShape.length - 1] ?? 1);
    let flops = 0;
    for (const w of layer.weights) {
      if (w.shape.length >= 2) flops += 2 * positions * size(w.shape);
    }
    if (cfg.useBias) flops += out;
    if (cfg.activation != null && cfg.activation !== 'linear') flops += out;
    return flops;
  }
  if (cls === 'BatchNormalization') return 2 * out;
  if (ACTIVATIONS.has(cls)) return out;
  if (MERGES.has(cls)) return (inShapes.length - 1) * out;
  if (GLOBAL_POOLS.has(cls)) return perSample(inShapes[0]);
  if (POOLS.has(cls)) {
    const size = layer.getConfig().poolSize as number | number[];
    return out * (Array.isArray(size) ? size.reduce((a, d) => a * d, 1) : size * size);
  }
  return null;
}

/** Per-layer forward FLOPs of one image, and the class names of layers the convention does not cover. */
export function flopBreakdown(model: tf.LayersModel): { layers: LayerFlops[]; total: number; uncounted: string[] } {
  const layers: LayerFlops[] = [];
  const uncounted: string[] = [];
  for (const layer of model.layers) {
    let flops = 0;
    // A layer reused inside the model has one inbound node per call.
    for (const node of layer.inboundNodes) {
      const inShapes = node.inputTensors.map((t) => t.shape);
      for (const o of node.outputTensors) {
        const f = layerFlops(layer, inShapes, o.shape);
        if (f === null) {
          if (!uncounted.includes(layer.getClassName())) uncounted.push(layer.getClassName());
        } else {
          flops += f;
        }
      }
    }
    layers.push({ name: layer.name, className: layer.getClassName(), flops });
  }
  return { layers, total: layers.reduce((a, l) => a + l.flops, 0), uncounted };
}

/**
 * Forward FLOPs of one image per tap: the layers each tap depends on that no earlier tap
 * depends on (so the stem counts in the first tap, a residual shortcut in its block). The
 * model's outputs are [logits, ...taps]; the head after the last tap is left out.
 */
export function tapFlops(model: tf.LayersModel): number[] {
  const perLayer = new Map(flopBreakdown(model).layers.map((l) => [l.name, l.flops]));
  const seen = new Set<string>();
  return model.outputs.slice(1).map((out) => {
    let sum = 0;
    const stack: tf.layers.Layer[] = [out.sourceLayer as tf.layers.Layer];
    while (stack.length) {
      const layer = stack.pop()!;
      if (seen.has(layer.name)) continue;
      seen.add(layer.name);
      sum += perLayer.get(layer.name) ?? 0;
      for (const node of layer.inboundNodes) for (const l of node.inboundLayers) stack.push(l as tf.layers.Layer);
    }
    return sum;
  });
}

/** Trainable and non-trainable (BN moving mean/variance) weight counts. */
export function paramSplit(model: tf.LayersModel): { trainable: number; nonTrainable: number } {
  const count = (ws: tf.LayerVariable[]) => ws.reduce((a, w) => a + size(w.shape), 0);
  return { trainable: count(model.trainableWeights), nonTrainable: count(model.nonTrainableWeights) };
}

/**
 * Size and compute of a model.
 * - `params`: every weight the model stores = trainable (kernels, biases, BN γ/β) +
 *   non-trainable (BN moving mean/variance); equals `model.countParams()`.
 * - `flopsPerImage`: forward FLOPs of one image under the convention at the top of this file.
 * - `bytes`: params × 4 / 2 / 1 for fp32 / fp16 / int8 weights; no file overhead, no
 *   quantisation scales, no activations.
 */
export function modelCosts(tm: { model: tf.LayersModel }): ModelCosts {
  const { trainable, nonTrainable } = paramSplit(tm.model);
  const params = trainable + nonTrainable;
  return {
    params,
    flopsPerImage: flopBreakdown(tm.model).total,
    bytes: { fp32: params * 4, fp16: params * 2, int8: params },
  };
}

export interface LatencyStats { medianMs: number; p95Ms: number; runs: number }

/** Nearest-rank percentile of sorted values, p in (0, 100]. */
function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

/**
 * Batch-1 inference latency on the current backend: `warmup` untimed runs, then `runs` timed
 * runs, each timed from dispatch until `logits.data()` resolves. Median and p95 (nearest rank).
 * Disposes every tensor it makes.
 */
export async function measureLatency(tm: TappedModel, opts: { warmup: number; runs: number }): Promise<LatencyStats> {
  if (!(opts.runs >= 1)) throw new Error(`measureLatency: runs must be ≥ 1, got ${opts.runs}.`);
  const x = tf.tidy(() => tf.randomUniform([1, ...tm.inputShape], 0, 1, 'float32', 1234) as tf.Tensor4D);
  const once = async (): Promise<number> => {
    const t0 = performance.now();
    const { logits, taps } = tm.apply(x, false);
    await logits.data();
    const ms = performance.now() - t0;
    logits.dispose();
    tf.dispose(taps);
    return ms;
  };
  try {
    for (let i = 0; i < opts.warmup; i++) await once();
    const times: number[] = [];
    for (let i = 0; i < opts.runs; i++) times.push(await once());
    times.sort((a, b) => a - b);
    return { medianMs: percentile(times, 50), p95Ms: percentile(times, 95), runs: times.length };
  } finally {
    x.dispose();
  }
}

/**
 * Latency of two models in the same window (teacher and student, src/domain/latencyPair.ts):
 * `warmup` untimed runs of each, then each model's block length chosen so one block lasts about
 * `blockMs`, then `rounds` rounds of one block of each, back to back, the order alternating
 * (ABBA) so a slow spell of the machine hits both. Per-image ms of each block. Disposes every tensor.
 */
export async function measureLatencyPair(a: TappedModel, b: TappedModel, opts: { warmup: number; rounds: number; blockMs: number }): Promise<{ a: number[]; b: number[]; block: [number, number] }> {
  const input = (tm: TappedModel) => tf.tidy(() => tf.randomUniform([1, ...tm.inputShape], 0, 1, 'float32', 1234) as tf.Tensor4D);
  const xa = input(a);
  const xb = input(b);
  const block = async (tm: TappedModel, x: tf.Tensor4D, n: number): Promise<number> => {
    const t0 = performance.now();
    for (let i = 0; i < n; i++) {
      const { logits, taps } = tm.apply(x, false);
      await logits.data();
      logits.dispose();
      tf.dispose(taps);
    }
    return (performance.now() - t0) / n;
  };
  try {
    for (let i = 0; i < opts.warmup; i++) { await block(a, xa, 1); await block(b, xb, 1); }
    const size = async (tm: TappedModel, x: tf.Tensor4D) => {
      const one = await block(tm, x, 3);
      return Math.max(1, Math.min(200, Math.ceil(opts.blockMs / Math.max(one, 0.005))));
    };
    const na = await size(a, xa);
    const nb = await size(b, xb);
    const ta: number[] = [];
    const tb: number[] = [];
    for (let r = 0; r < opts.rounds; r++) {
      if (r % 2 === 0) { ta.push(await block(a, xa, na)); tb.push(await block(b, xb, nb)); }
      else { tb.push(await block(b, xb, nb)); ta.push(await block(a, xa, na)); }
    }
    return { a: ta, b: tb, block: [na, nb] };
  } finally {
    xa.dispose();
    xb.dispose();
  }
}
