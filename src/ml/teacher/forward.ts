/**
 * The forward pass of any FrozenTeacher: in this thread for a TF.js teacher (BN folded), in its
 * own worker for a remote one. Callers (training step, evaluation, energy maps, baseline) use
 * these two functions and never look at where the teacher came from.
 */
import * as tf from '@tensorflow/tfjs';
import type { FrozenTeacher, TeacherArrays } from '../types';
import type { TeacherOutputs } from '../train/session';
import { frozenApply } from '../models/frozen';
import { affineOf } from './preprocess';

/** Whether `teacher` can run synchronously in this thread. */
export const runsHere = (teacher: FrozenTeacher): boolean => teacher.model != null;

/** Synchronous forward pass in this thread (TF.js teachers). Caller owns the outputs. */
export function teacherForwardHere(teacher: FrozenTeacher, x: tf.Tensor4D): { logits: tf.Tensor2D; taps: tf.Tensor4D[] } {
  if (!teacher.model) throw new Error('This teacher runs in its own worker: use teacherForward (asynchronous).');
  const pre = teacher.preprocess ?? 'unit';
  const [, mh, mw] = teacher.model.inputs[0].shape as number[];
  const resize = mh !== x.shape[1] || mw !== x.shape[2];
  const input = pre === 'unit' && !resize ? x : tf.tidy(() => {
    // Images of another size than the model reads are resized first (half-pixel bilinear, as ONNX Resize).
    const sized = resize ? tf.image.resizeBilinear(x, [mh, mw], false, true) : x;
    if (pre === 'unit') return sized;
    const { scale, shift } = affineOf(pre, teacher.inputShape[2]);
    return tf.add(tf.mul(sized, tf.tensor1d(scale)), tf.tensor1d(shift)) as tf.Tensor4D;
  });
  const out = frozenApply({ model: teacher.model }, input);
  if (input !== x) input.dispose();
  if (!teacher.softmaxOutput && !teacher.classOrder) return out;
  const logits = tf.tidy(() => {
    const l = teacher.softmaxOutput ? tf.log(tf.maximum(out.logits, 1e-12)) as tf.Tensor2D : out.logits;
    return reorder(l, teacher.classOrder);
  });
  out.logits.dispose();
  return { logits, taps: out.taps };
}

/** Columns of `logits` in dataset class order. */
function reorder(logits: tf.Tensor2D, order: number[] | undefined): tf.Tensor2D {
  return order ? tf.gather(logits, tf.tensor1d(order, 'int32'), 1) as tf.Tensor2D : logits;
}

/** Tensors of `arrays` (logits, tap summaries) in the shapes of `teacher`'s outputs for a batch of B images. */
export function teacherTensors(arrays: TeacherArrays, teacher: FrozenTeacher, B: number): TeacherOutputs {
  const T = teacher.tapShapes.length;
  if (arrays.pooled.length !== T || arrays.energy.length !== T) {
    throw new Error(`The teacher sent ${arrays.pooled.length} tap summaries; the teacher has ${T} taps.`);
  }
  const order = teacher.classOrder;
  return {
    logits: order ? tf.tidy(() => reorder(tf.tensor2d(arrays.logits, [B, teacher.numClasses]), order)) : tf.tensor2d(arrays.logits, [B, teacher.numClasses]),
    taps: teacher.tapShapes.map(([h, w, c], i) => ({ pooled: tf.tensor2d(arrays.pooled[i], [B, c]), energy: tf.tensor3d(arrays.energy[i], [B, h, w]) })),
  };
}

/**
 * Forward pass wherever the teacher runs. x: [B,H,W,C] in [0, 1]. Caller owns the outputs: taps
 * from a teacher in this thread, their summaries from one in its own worker.
 */
export async function teacherForward(teacher: FrozenTeacher, x: tf.Tensor4D): Promise<TeacherOutputs> {
  if (teacher.model) return teacherForwardHere(teacher, x);
  if (!teacher.remote) throw new Error('The teacher has neither a TF.js model nor a worker to run in.');
  const data = Float32Array.from(await x.data());
  const arrays = await teacher.remote.forward(data, x.shape[0], teacher.preprocess ?? 'unit');
  return teacherTensors(arrays, teacher, x.shape[0]);
}
