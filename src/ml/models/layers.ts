/**
 * Building blocks shared by the architectures: seeded initialisers, conv-BN-ReLU units,
 * residual and depthwise-separable blocks. Everything is a standard tf.layers layer, so the
 * models save and load with tf.io / tf.loadLayersModel without custom classes.
 */
import * as tf from '@tensorflow/tfjs';

type Sym = tf.SymbolicTensor;

/** BN momentum 0.9 (PyTorch's 0.1): moving statistics settle within ~30 steps, which short
 * and fast-test runs need; tfjs' default 0.99 would leave them near their init. */
export const BN_MOMENTUM = 0.9;
export const BN_EPSILON = 1e-3;

/**
 * Deterministic initialiser seeds: the layer counter and the model seed are mixed into one
 * 31-bit integer, so the same (seed, architecture) always gives the same weights.
 */
export class SeedStream {
  private index = 0;
  constructor(private readonly seed: number) {}
  next(): number {
    let h = Math.imul(this.seed ^ 0x9e3779b9, 0x85ebca6b) ^ Math.imul(++this.index, 0xc2b2ae35);
    h = Math.imul(h ^ (h >>> 16), 0x7feb352d);
    h = Math.imul(h ^ (h >>> 15), 0x846ca68b);
    return (h ^ (h >>> 16)) >>> 1;
  }
}

export interface ConvOpts {
  filters: number;
  kernel: number;
  stride: number;
}

/** conv(k×k, no bias) → BN → optional ReLU; names `${name}_conv`, `${name}_bn`, `${name}_relu`. */
export function convBn(x: Sym, name: string, o: ConvOpts, seeds: SeedStream, relu = true): Sym {
  const conv = tf.layers.conv2d({
    name: `${name}_conv`, filters: o.filters, kernelSize: o.kernel, strides: o.stride, padding: 'same',
    useBias: false, kernelInitializer: tf.initializers.heNormal({ seed: seeds.next() }),
  });
  return bnRelu(conv.apply(x) as Sym, name, relu);
}

/** BN (+ ReLU) after a conv; the ReLU output is a block's "feature" when it ends a block. */
export function bnRelu(x: Sym, name: string, relu = true): Sym {
  const y = tf.layers.batchNormalization({ name: `${name}_bn`, momentum: BN_MOMENTUM, epsilon: BN_EPSILON }).apply(x) as Sym;
  return relu ? (tf.layers.reLU({ name: `${name}_relu` }).apply(y) as Sym) : y;
}

/** Number of channels of a symbolic 4-D tensor. */
export function channels(x: Sym): number {
  return x.shape[3] as number;
}

/**
 * Basic residual block: conv3×3-BN-ReLU → conv3×3-BN, shortcut (1×1 conv-BN when the stride or
 * the channel count changes, identity otherwise), add, ReLU. Returns the block output (the tap).
 */
export function residualBlock(x: Sym, name: string, filters: number, stride: number, seeds: SeedStream): Sym {
  const a = convBn(x, `${name}_1`, { filters, kernel: 3, stride }, seeds);
  const b = convBn(a, `${name}_2`, { filters, kernel: 3, stride: 1 }, seeds, false);
  const short = stride !== 1 || channels(x) !== filters
    ? convBn(x, `${name}_short`, { filters, kernel: 1, stride }, seeds, false)
    : x;
  const sum = tf.layers.add({ name: `${name}_add` }).apply([b, short]) as Sym;
  return tf.layers.reLU({ name: `${name}_out` }).apply(sum) as Sym;
}

/** Plain block: conv3×3-BN-ReLU; the ReLU layer (the tap) is named `${name}_out`. */
export function plainBlock(x: Sym, name: string, filters: number, stride: number, seeds: SeedStream): Sym {
  const y = convBn(x, name, { filters, kernel: 3, stride }, seeds, false);
  return tf.layers.reLU({ name: `${name}_out` }).apply(y) as Sym;
}

/**
 * MobileNet-style depthwise-separable block: depthwise 3×3 (stride) - BN - ReLU - conv 1×1 - BN -
 * ReLU. The last ReLU (the tap) is named `${name}_out`.
 */
export function separableBlock(x: Sym, name: string, filters: number, stride: number, seeds: SeedStream): Sym {
  const dw = tf.layers.depthwiseConv2d({
    name: `${name}_dw`, kernelSize: 3, strides: stride, padding: 'same', useBias: false, depthMultiplier: 1,
    depthwiseInitializer: tf.initializers.heNormal({ seed: seeds.next() }),
  }).apply(x) as Sym;
  const dwOut = bnRelu(dw, `${name}_dw`);
  const pw = convBn(dwOut, `${name}_pw`, { filters, kernel: 1, stride: 1 }, seeds, false);
  return tf.layers.reLU({ name: `${name}_out` }).apply(pw) as Sym;
}

/**
 * The classifier head: 'gap' is global average pooling + dense logits (no softmax); 'flatten'
 * flattens the last feature map (4×4×C on 28×28 or 32×32 input) before the dense layer, which
 * keeps where a stroke sits and lets a small student learn much faster.
 */
export type HeadKind = 'gap' | 'flatten';

export function head(x: Sym, numClasses: number, seeds: SeedStream, kind: HeadKind = 'gap'): Sym {
  const pooled = (kind === 'flatten'
    ? tf.layers.flatten({ name: 'flatten' })
    : tf.layers.globalAveragePooling2d({ name: 'gap' })).apply(x) as Sym;
  return tf.layers.dense({
    name: 'logits', units: numClasses, kernelInitializer: tf.initializers.glorotUniform({ seed: seeds.next() }),
    biasInitializer: 'zeros',
  }).apply(pooled) as Sym;
}
