/** Shared shapes of the ml layer. Only src/ml and src/worker see these (they mention tensors). */
import type * as tf from '@tensorflow/tfjs';
import type { DatasetId, ModelSpec } from '../domain';

/** One split of a dataset: raw uint8 pixels N×H×W×C (row-major) and one label byte per image. */
export interface Split {
  images: Uint8Array;
  labels: Uint8Array;
  count: number;
}

export interface Dataset {
  id: DatasetId;
  shape: [number, number, number];
  numClasses: number;
  classNames: string[];
  pixelMax: number;
  train: Split;
  test: Split;
}

/** [height, width, channels] of one tap. */
export type TapShape = [number, number, number];

/**
 * A classifier that exposes its logits and ordered block outputs ("taps").
 * `model` is a tf.LayersModel whose outputs are [logits, ...taps], so it can be saved and
 * loaded back with tf.loadLayersModel.
 */
export interface TappedModel {
  spec: ModelSpec;
  model: tf.LayersModel;
  inputShape: [number, number, number];
  numClasses: number;
  tapNames: string[];
  tapShapes: TapShape[];
  /** Forward pass. training=true uses batch statistics in BN and updates the moving averages. */
  apply(x: tf.Tensor4D, training: boolean): { logits: tf.Tensor2D; taps: tf.Tensor4D[] };
}
