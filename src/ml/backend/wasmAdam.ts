/**
 * One Adam update of a float32 variable as a single wasm kernel. The stock optimiser spends 13
 * kernels per variable (multiply, add, square, divide, sqrt … each one pass over the weights plus
 * its engine overhead); on a small model that overhead is a tenth of a training step.
 *
 * Inputs x (value), g (gradient), m, v (moments); attrs lr, beta1, beta2, epsilon and the bias
 * corrections c1 = 1 − β1ᵗ, c2 = 1 − β2ᵗ. Outputs [x', m', v'] with, per element,
 *   m' = β1·m + (1 − β1)·g,   v' = β2·v + (1 − β2)·g²,
 *   x' = x − lr · (m'/c1) / (√(v'/c2) + ε)
 * which is tf.train.adam's arithmetic (it rounds each op to float32; this rounds once per value).
 */
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

export const ADAM_KERNEL = 'RtkAdamStep';

interface WasmHeap {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
}

function adamStep({ inputs, backend, attrs }: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }): TensorInfo[] {
  const { x, g, m, v } = inputs;
  for (const t of [x, g, m, v]) {
    if (t.dtype !== 'float32') throw new Error(`${ADAM_KERNEL}: float32 tensors only, got ${t.dtype}`);
  }
  const be = backend as WasmHeap;
  const lr = attrs!.lr as number;
  const b1 = attrs!.beta1 as number;
  const b2 = attrs!.beta2 as number;
  const eps = attrs!.epsilon as number;
  const c1 = attrs!.c1 as number;
  const c2 = attrs!.c2 as number;
  const outs = [be.makeOutput(x.shape.slice(), 'float32'), be.makeOutput(x.shape.slice(), 'float32'), be.makeOutput(x.shape.slice(), 'float32')];
  // Views are taken after every allocation: growing the heap detaches earlier ones.
  const [X, G, M, V] = [x, g, m, v].map((t) => be.typedArrayFromHeap(t));
  const [Xo, Mo, Vo] = outs.map((t) => be.typedArrayFromHeap(t));
  if (G.length !== X.length || M.length !== X.length || V.length !== X.length) {
    throw new Error(`${ADAM_KERNEL}: value, gradient and moments differ in size`);
  }
  for (let i = 0; i < X.length; i++) {
    const gi = G[i];
    const mi = b1 * M[i] + (1 - b1) * gi;
    const vi = b2 * V[i] + (1 - b2) * gi * gi;
    Mo[i] = mi;
    Vo[i] = vi;
    Xo[i] = X[i] - (lr * (mi / c1)) / (Math.sqrt(vi / c2) + eps);
  }
  return outs;
}

export const WASM_ADAM_KERNEL: KernelConfig = { kernelName: ADAM_KERNEL, backendName: 'wasm', kernelFunc: adamStep as unknown as KernelFunc };
