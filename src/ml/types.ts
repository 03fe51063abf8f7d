/** Shared shapes of the ml layer. Only src/ml and src/worker see these (they mention tensors). */
import type * as tf from '@tensorflow/tfjs';
import type { DatasetId, ModelSpec, PreprocessId } from '../domain';

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

/**
 * What the losses read of a teacher tap F [B,H,W,C] (RTK.md: AFD's queries pool it, AFD's D and
 * AT compare its energy map): its per-channel mean over the map, `pooled` = mean_{h,w} F [B,C],
 * and its energy map, `energy` = mean_c F² [B,H,W]. A teacher in another worker sends these
 * instead of its taps: for a 224 px MobileNetV2 they are 122× smaller (teacherTap.ts).
 */
export type TapSummary = { pooled: tf.Tensor2D; energy: tf.Tensor3D };

/** A teacher tap as the losses get it: the feature map itself (a teacher in this thread) or its summary. */
export type TeacherTap = tf.Tensor4D | TapSummary;

/**
 * Teacher outputs as plain arrays (what crosses between workers): logits [B,classes] and, for
 * each tap, its summary (TapSummary) row-major: pooled [B,C] and energy [B,H,W].
 */
export interface TeacherArrays {
  logits: Float32Array;
  pooled: Float32Array[];
  energy: Float32Array[];
}

/**
 * A frozen teacher, whatever its source (shipped, trained here, imported TF.js Layers, imported
 * ONNX): input, logits, taps (NHWC) and how to run it. A TappedModel is one (it has `model`).
 * - `model`: a TF.js teacher runs in this thread with BN folded (frozen.ts) and can be copied
 *   into a teacher worker;
 * - `remote`: a teacher that runs only in its own worker (ONNX through onnxruntime-web).
 * Inputs are always [B,H,W,C] floats in [0, 1] of `inputShape` (the dataset's; a model that reads
 * another size resizes them itself); `preprocess` (default 'unit': as is) is applied
 * by the teacher's runner; `softmaxOutput` means its first output is probabilities (log used).
 */
export interface FrozenTeacher {
  inputShape: [number, number, number];
  numClasses: number;
  tapNames: string[];
  tapShapes: TapShape[];
  model?: tf.LayersModel;
  remote?: RemoteTeacher;
  preprocess?: PreprocessId;
  softmaxOutput?: boolean;
  /** Dataset class j is the teacher's class classOrder[j] (a label map); absent: same order. */
  classOrder?: number[];
}

/** A teacher's forward pass in another worker (batches in order; logits and tap summaries as arrays). */
export interface RemoteTeacher {
  readonly where: string;
  forward(x: Float32Array, batchSize: number, preprocess: PreprocessId): Promise<TeacherArrays>;
  /** Logits only (scoring): the taps are neither fetched nor sent. */
  logits?(x: Float32Array, batchSize: number, preprocess: PreprocessId): Promise<Float32Array>;
  /**
   * Arrays of earlier outputs the caller has finished with: the teacher may write later outputs
   * into them. Only for arrays nothing reads any more (on wasm, tf.tensor copies at once).
   */
  recycle?(arrays: Float32Array[]): void;
  /** An array of n floats for a batch's images (one the teacher handed back, else new). */
  inputArray?(n: number): Float32Array;
  /** Drops the arrays kept for reuse (a run ended: an idle teacher keeps none). */
  forgetArrays?(): void;
  dispose(): void;
}
