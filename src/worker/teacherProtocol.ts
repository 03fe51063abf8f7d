/** Messages between the training worker and its teacher worker (teacherWorker.ts). */
import type * as tf from '@tensorflow/tfjs';
import type { PreprocessId } from '../domain';
import type { OnnxInit, OnnxProbe } from './onnxRunner';

export type TeacherCommand =
  /** A TF.js teacher: outputs [logits, ...taps] as saved; tap names in output order. */
  | { type: 'init'; artifacts: tf.io.ModelArtifacts; tapNames: string[]; preprocess: PreprocessId; softmaxOutput: boolean; maxBatch?: number }
  /** An ONNX teacher run with onnxruntime-web (loaded only when this arrives). */
  | { type: 'init-onnx'; init: OnnxInit }
  /** Shapes of every intermediate value of an ONNX model for one image (inspection). */
  | { type: 'probe-onnx'; id: number; bytes: ArrayBuffer; inputName: string; inputDims: number[] }
  /**
   * `logitsOnly`: scoring; only the logits are computed into arrays and sent back (no tap summaries).
   * `spare`: arrays of earlier replies the training worker has read, for later outputs (arrayPool.ts).
   */
  | { type: 'forward'; id: number; x: Float32Array; shape: [number, number, number, number]; preprocess?: PreprocessId; logitsOnly?: boolean; spare?: Float32Array[] }
  /** Benchmark: `runs` bare runtime runs of a random batch (tap summaries fetched), timed inside this worker. */
  | { type: 'bench-onnx'; id: number; batchSize: number; runs: number };

export type TeacherReply =
  | { type: 'ready'; backend: string }
  | { type: 'probed'; id: number; probe: OnnxProbe }
  | { type: 'benched'; id: number; milliseconds: number[] }
  /** Logits and tap summaries (types.ts TeacherArrays); `input`: the command's x, handed back for the next batch's images. */
  | { type: 'forward'; id: number; logits: Float32Array; pooled: Float32Array[]; energy: Float32Array[]; input?: Float32Array }
  | { type: 'error'; id: number | null; message: string };
