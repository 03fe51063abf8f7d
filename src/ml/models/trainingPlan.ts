/**
 * The training-mode forward pass of a model with each BatchNormalization (and the ReLU that
 * alone reads it) run as one fused op (backend/fusedBatchNorm.ts: 2 dispatches forward and 2
 * backward on WebGPU, instead of about 40 through tfjs-layers). Every other layer runs its own
 * `apply(…, {training: true})`, in the model's layer order, as tfjs-layers' executor does, so the
 * outputs, gradients and moving-statistics updates are those of `model.apply(x, {training: true})`.
 *
 * Used by TappedModel.apply(x, true) where `fusedBatchNormAvailable()` (WebGPU; wasm, where it
 * also keeps two full-size tensors per BN for the backward pass instead of about five).
 */
import * as tf from '@tensorflow/tfjs';
import { fusedBatchNormTrain } from '../backend/fusedBatchNorm';
import { consumersOf, inboundNames } from './frozen';

type Layer = tf.layers.Layer;
interface LayerVar { originalName: string; read(): tf.Tensor; write(v: tf.Tensor): unknown }
interface Step { out: string; inputs: string[]; run(inputs: tf.Tensor[]): tf.Tensor }
interface TrainingPlan { steps: Step[]; inputName: string; outputs: string[] }

function weight(layer: Layer, vars: unknown[], suffix: string): LayerVar | null {
  return (vars as LayerVar[]).find((w) => w.originalName.endsWith(suffix)) ?? null;
}

/** The fused step for a channels-last BN layer with γ and β, or null (then the layer runs as is). */
function fusedBnStep(bn: Layer, inputs: string[], out: string, relu: boolean): Step | null {
  const c = bn.getConfig() as { axis?: number; center?: boolean; scale?: boolean; epsilon?: number; momentum?: number };
  const rank = bn.inputSpec?.[0]?.ndim ?? 4;
  const axis = c.axis ?? -1;
  if (!c.center || !c.scale || (axis !== -1 && axis !== rank - 1)) return null;
  const gamma = weight(bn, bn.trainableWeights, '/gamma');
  const beta = weight(bn, bn.trainableWeights, '/beta');
  const movingMean = weight(bn, bn.nonTrainableWeights, '/moving_mean');
  const movingVariance = weight(bn, bn.nonTrainableWeights, '/moving_variance');
  if (!gamma || !beta || !movingMean || !movingVariance) return null;
  const o = { epsilon: c.epsilon ?? 1e-3, momentum: c.momentum ?? 0.99, relu, movingMean, movingVariance };
  return { out, inputs, run: ([x]) => fusedBatchNormTrain(x, gamma.read(), beta.read(), o) };
}

function buildPlan(model: tf.LayersModel): TrainingPlan {
  const consumers = consumersOf(model);
  const outputs = model.outputs.map((o) => o.sourceLayer.name);
  const isOutput = new Set(outputs);
  const byName = new Map(model.layers.map((l) => [l.name, l]));
  const plainRelu = (l: Layer | undefined) =>
    l != null && l.getClassName() === 'ReLU' && (l.getConfig() as { maxValue?: number | null }).maxValue == null;
  const absorbed = new Set<string>();
  const steps: Step[] = [];
  let inputName = '';
  for (const layer of model.layers) {
    if (absorbed.has(layer.name)) continue;
    const inputs = inboundNames(layer);
    if (layer.getClassName() === 'InputLayer') { inputName = layer.name; continue; }
    if (layer.getClassName() === 'BatchNormalization' && inputs.length === 1) {
      const next = consumers.get(layer.name) ?? [];
      const relu = next.length === 1 && !isOutput.has(layer.name) && plainRelu(byName.get(next[0])) ? next[0] : null;
      const step = fusedBnStep(layer, inputs, relu ?? layer.name, relu != null);
      if (step) {
        if (relu) absorbed.add(relu);
        steps.push(step);
        continue;
      }
    }
    steps.push({ out: layer.name, inputs, run: (xs) => layer.apply(xs.length === 1 ? xs[0] : xs, { training: true }) as tf.Tensor });
  }
  return { steps, inputName, outputs };
}

const plans = new WeakMap<tf.LayersModel, TrainingPlan>();

/**
 * `model.apply(x, {training: true})` with fused BN (+ ReLU); outputs in the model's output order.
 * Caller checks `fusedBatchNormAvailable()` first.
 */
export function fusedTrainingApply(model: tf.LayersModel, x: tf.Tensor): tf.Tensor[] {
  let plan = plans.get(model);
  if (!plan) {
    plan = buildPlan(model);
    plans.set(model, plan);
  }
  const p = plan;
  return tf.tidy(() => {
    const values = new Map<string, tf.Tensor>([[p.inputName, x]]);
    for (const s of p.steps) values.set(s.out, s.run(s.inputs.map((n) => values.get(n)!)));
    return p.outputs.map((n) => values.get(n)!);
  });
}
