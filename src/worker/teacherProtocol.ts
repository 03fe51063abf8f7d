/** Messages between the training worker and its teacher worker (teacherWorker.ts). */
import type * as tf from '@tensorflow/tfjs';

export type TeacherCommand =
  | { type: 'init'; artifacts: tf.io.ModelArtifacts }
  | { type: 'forward'; id: number; x: Float32Array; shape: [number, number, number, number] };

export type TeacherReply =
  | { type: 'ready'; backend: string }
  | { type: 'forward'; id: number; logits: Float32Array; taps: Float32Array[] }
  | { type: 'error'; id: number | null; message: string };
