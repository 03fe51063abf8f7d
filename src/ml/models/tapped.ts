/**
 * TappedModel construction: `buildModel` for a fresh seeded model, `tappedFromLayersModel` to
 * wrap a model loaded with tf.loadLayersModel (its spec and tap names travel in the model's
 * user-defined metadata under `rtkStudio`).
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec } from '../../domain';
import type { TappedModel, TapShape } from '../types';
import { fusedBatchNormAvailable } from '../backend/fusedBatchNorm';
import { buildGraph } from './archs';
import { fusedTrainingApply } from './trainingPlan';

/** What `buildModel` stores in `model.getUserDefinedMetadata()` (saved by tf.io with the model). */
export interface TappedMetadata {
  rtkStudio: { spec: ModelSpec; tapNames: string[]; numClasses: number; inputShape: [number, number, number]; seed: number };
}

function checkInt(value: number, what: string, min: number): void {
  if (!Number.isInteger(value) || value < min) {
    throw new Error(`buildModel: ${what} must be an integer ≥ ${min}, got ${value}.`);
  }
}

/**
 * Builds a classifier with taps: a tf.LayersModel with outputs [logits [B,numClasses], ...taps
 * [B,h,w,c]], seeded so the same (spec, inputShape, numClasses, seed) gives identical weights.
 */
export function buildModel(spec: ModelSpec, inputShape: [number, number, number], numClasses: number, seed: number): TappedModel {
  checkInt(spec.width, `width of ${spec.arch}`, 1);
  checkInt(spec.depth, `depth of ${spec.arch}`, 1);
  checkInt(numClasses, 'numClasses', 2);
  inputShape.forEach((d, i) => checkInt(d, `inputShape[${i}]`, 1));
  checkInt(seed, 'seed', 0);
  const { model, tapNames } = buildGraph(spec, inputShape, numClasses, seed);
  // Only the fields that are set: the metadata must be plain JSON (no `plan: undefined`).
  const own: ModelSpec = { arch: spec.arch, width: spec.width, depth: spec.depth, ...(spec.plan ? { plan: spec.plan } : {}) };
  const meta: TappedMetadata = { rtkStudio: { spec: { ...own }, tapNames, numClasses, inputShape: [...inputShape], seed } };
  model.setUserDefinedMetadata(meta as unknown as object);
  return wrap(model, own, [...inputShape], numClasses, tapNames);
}

/**
 * Wraps a LayersModel whose outputs are [logits, ...taps] (e.g. one loaded with
 * tf.loadLayersModel). Uses the `rtkStudio` metadata when present, else `fallbackSpec` and the
 * output layer names as tap names.
 */
export function tappedFromLayersModel(model: tf.LayersModel, fallbackSpec?: ModelSpec): TappedModel {
  const meta = (model.getUserDefinedMetadata() as Partial<TappedMetadata> | undefined)?.rtkStudio;
  const spec = meta?.spec ?? fallbackSpec;
  if (!spec) throw new Error(`Model "${model.name}" has no rtkStudio metadata: pass its ModelSpec to tappedFromLayersModel.`);
  const inShape = model.inputs[0].shape.slice(1) as [number, number, number];
  const logitsShape = model.outputs[0].shape;
  if (logitsShape.length !== 2) {
    throw new Error(`Model "${model.name}": its first output must be the logits [B, classes], got shape [${logitsShape.join(', ')}].`);
  }
  const tapNames = meta?.tapNames ?? model.outputs.slice(1).map((o) => o.sourceLayer.name);
  return wrap(model, spec, inShape, logitsShape[1] as number, tapNames);
}

function wrap(model: tf.LayersModel, spec: ModelSpec, inputShape: [number, number, number], numClasses: number, tapNames: string[]): TappedModel {
  const tapShapes = model.outputs.slice(1).map((o) => o.shape.slice(1) as TapShape);
  if (tapShapes.length !== tapNames.length) {
    throw new Error(`Model "${model.name}": ${tapShapes.length} tap outputs but ${tapNames.length} tap names.`);
  }
  return {
    spec, model, inputShape, numClasses, tapNames, tapShapes,
    apply(x: tf.Tensor4D, training: boolean) {
      // WebGPU and wasm: batch norm (+ ReLU) in training as fused kernels (trainingPlan.ts), same values.
      const out = training && fusedBatchNormAvailable() ? fusedTrainingApply(model, x) : model.apply(x, { training });
      const list = Array.isArray(out) ? (out as tf.Tensor[]) : [out as tf.Tensor];
      return { logits: list[0] as tf.Tensor2D, taps: list.slice(1) as tf.Tensor4D[] };
    },
  };
}
