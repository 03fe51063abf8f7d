/**
 * Inference-only forward pass of a frozen model (the teacher) with every BatchNormalization folded
 * into the convolution before it, and a following ReLU fused into the same kernel:
 *   W' = W·s,  b' = β − μ·s,  s = γ / √(σ² + ε)   (per output channel)
 * so conv → BN → ReLU runs as one fused conv (bias + activation) instead of four passes, and a
 * residual add → ReLU as one op (`addRelu`). Exact up to float rounding; layers it does not know
 * fall back to their own `apply(…, {training:false})`.
 */
import * as tf from '@tensorflow/tfjs';
import { addRelu } from '../backend/fusedAddRelu';

type Layer = tf.layers.Layer;
interface Step {
  /** Name the result is stored under (the last layer absorbed into this step). */
  out: string;
  inputs: string[];
  run(inputs: tf.Tensor[]): tf.Tensor;
}

interface FrozenPlan { steps: Step[]; inputName: string; outputs: string[]; owned: tf.Tensor[] }

/** Names of the layers feeding `layer` (its first inbound node). */
export function inboundNames(layer: Layer): string[] {
  const node = layer.inboundNodes[0] as unknown as { inboundLayers: Layer[] } | undefined;
  return node ? node.inboundLayers.map((l) => l.name) : [];
}

/** For each layer name, the names of the layers that read its output. */
export function consumersOf(model: tf.LayersModel): Map<string, string[]> {
  const map = new Map<string, string[]>();
  for (const layer of model.layers) {
    for (const src of inboundNames(layer)) map.set(src, [...(map.get(src) ?? []), layer.name]);
  }
  return map;
}

function cfg<T>(layer: Layer, key: string): T {
  return (layer.getConfig() as Record<string, unknown>)[key] as T;
}

/** Per-channel scale and shift of an inference-mode BN layer. */
function bnAffine(bn: Layer): { scale: tf.Tensor1D; shift: tf.Tensor1D } {
  return tf.tidy(() => {
    const [gamma, beta, mean, variance] = bn.getWeights();
    const scale = tf.div(gamma, tf.sqrt(tf.add(variance, cfg<number>(bn, 'epsilon')))) as tf.Tensor1D;
    return { scale, shift: tf.sub(beta, tf.mul(mean, scale)) as tf.Tensor1D };
  });
}

function buildPlan(model: tf.LayersModel): FrozenPlan {
  const consumers = consumersOf(model);
  const outputs = model.outputs.map((o) => o.sourceLayer.name);
  const isOutput = new Set(outputs);
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const soleConsumer = (name: string, cls: string): Layer | null => {
    const c = consumers.get(name) ?? [];
    const next = c.length === 1 && !isOutput.has(name) ? byName.get(c[0])! : null;
    return next && next.getClassName() === cls ? next : null;
  };
  const absorbed = new Set<string>();
  const steps: Step[] = [];
  const owned: tf.Tensor[] = [];
  let inputName = '';
  for (const layer of model.layers) {
    if (absorbed.has(layer.name)) continue;
    const cls = layer.getClassName();
    const inputs = inboundNames(layer);
    if (cls === 'InputLayer') { inputName = layer.name; continue; }
    const bn = cls === 'Conv2D' || cls === 'DepthwiseConv2D' ? soleConsumer(layer.name, 'BatchNormalization') : null;
    if (bn) {
      const relu = soleConsumer(bn.name, 'ReLU');
      absorbed.add(bn.name);
      if (relu) absorbed.add(relu.name);
      const { scale, shift } = bnAffine(bn);
      const [kernel, bias] = layer.getWeights();
      const strides = cfg<number[]>(layer, 'strides') as [number, number];
      const pad = cfg<'same' | 'valid'>(layer, 'padding');
      const activation = relu ? 'relu' : 'linear';
      const depthwise = cls === 'DepthwiseConv2D';
      const [w, b] = tf.tidy(() => {
        const s = depthwise ? tf.reshape(scale, [1, 1, kernel.shape[2] as number, kernel.shape[3] as number]) : scale;
        const b0 = bias ? tf.add(shift, tf.mul(bias, scale)) : tf.clone(shift);
        return [tf.mul(kernel, s), b0];
      });
      tf.dispose([scale, shift]);
      // Kept: the plan may first be built inside a caller's tf.tidy (evaluation), and must outlive it.
      owned.push(tf.keep(w), tf.keep(b));
      steps.push({
        out: relu ? relu.name : bn.name, inputs,
        run: ([x]) => depthwise
          ? tf.fused.depthwiseConv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides, pad, bias: b, activation })
          : tf.fused.conv2d({ x: x as tf.Tensor4D, filter: w as tf.Tensor4D, strides, pad, bias: b, activation }),
      });
      continue;
    }
    if (cls === 'ReLU') { steps.push({ out: layer.name, inputs, run: ([x]) => tf.relu(x) }); continue; }
    if (cls === 'Add') {
      // A residual add read only by a ReLU: both in one op (one kernel on WebGPU).
      const relu = inputs.length === 2 ? soleConsumer(layer.name, 'ReLU') : null;
      if (relu && (relu.getConfig() as { maxValue?: number | null }).maxValue == null) {
        absorbed.add(relu.name);
        steps.push({ out: relu.name, inputs, run: ([a, b]) => addRelu(a, b) });
        continue;
      }
      steps.push({ out: layer.name, inputs, run: (xs) => tf.addN(xs) });
      continue;
    }
    if (cls === 'Flatten') { steps.push({ out: layer.name, inputs, run: ([x]) => tf.reshape(x, [x.shape[0], -1]) }); continue; }
    if (cls === 'GlobalAveragePooling2D') { steps.push({ out: layer.name, inputs, run: ([x]) => tf.mean(x, [1, 2]) }); continue; }
    if (cls === 'Dense' && cfg<string>(layer, 'activation') === 'linear') {
      const [kernel, bias] = layer.getWeights();
      steps.push({ out: layer.name, inputs, run: ([x]) => tf.fused.matMul({ a: x as tf.Tensor2D, b: kernel as tf.Tensor2D, bias }) });
      continue;
    }
    steps.push({ out: layer.name, inputs, run: (xs) => layer.apply(xs.length === 1 ? xs[0] : xs, { training: false }) as tf.Tensor });
  }
  return { steps, inputName, outputs, owned };
}

const plans = new WeakMap<tf.LayersModel, FrozenPlan>();

/**
 * Forward pass of `tm` in inference mode with folded BN. The plan (folded weights) is built on
 * first use and cached per model; the model's weights must not change afterwards.
 */
export function frozenApply(tm: { model: tf.LayersModel }, x: tf.Tensor4D): { logits: tf.Tensor2D; taps: tf.Tensor4D[] } {
  let plan = plans.get(tm.model);
  if (!plan) {
    plan = buildPlan(tm.model);
    plans.set(tm.model, plan);
  }
  const p = plan;
  const outs = tf.tidy(() => {
    const values = new Map<string, tf.Tensor>([[p.inputName, x]]);
    for (const s of p.steps) values.set(s.out, s.run(s.inputs.map((n) => values.get(n)!)));
    return p.outputs.map((n) => values.get(n)!);
  });
  return { logits: outs[0] as tf.Tensor2D, taps: outs.slice(1) as tf.Tensor4D[] };
}

/** Frees the folded weights of a model's plan (call before disposing the model). */
export function disposeFrozen(model: tf.LayersModel): void {
  const plan = plans.get(model);
  if (plan) tf.dispose(plan.owned);
  plans.delete(model);
}
