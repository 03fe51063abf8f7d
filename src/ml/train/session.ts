/**
 * One distillation session: a student (and optionally a frozen teacher and the attention
 * module), an optimiser, and the single training step every method shares.
 *
 * The teacher's forward pass runs before and outside the gradient tape, so it never receives
 * gradients; only the student's and the attention module's variables are optimised.
 */
import * as tf from '@tensorflow/tfjs';
import type { CheckpointData, MethodOptions, TrainConfig } from '../../domain';
import { METHODS, defaultK } from '../../domain';
import type { FrozenTeacher, TappedModel, TeacherTap } from '../types';
import { FeatureAttention } from '../losses/attention';
import { methodLoss } from '../losses/method';
import { teacherForwardHere } from '../teacher/forward';
import { registerLeanBatchNormGradient } from '../models/bnGradient';
import { registerLeanReduceGradients } from '../models/reduceGradient';
import { flushWebGpu } from '../backend/webgpuRaw';
import { Adam, type Optimiser } from './adam';
import { Sgd } from './sgd';

/**
 * The frozen teacher's outputs for one batch: logits [B,classes] and its taps [B,h,w,c] (a teacher
 * in this thread) or their summaries (one in another worker; teacherTap.ts).
 */
export interface TeacherOutputs {
  logits: tf.Tensor2D;
  taps: TeacherTap[];
}

export interface StepStats {
  /** Scalars kept alive until read: total, ce, kd, feat, correct (count of right answers). */
  total: tf.Scalar;
  ce: tf.Scalar;
  kd: tf.Scalar;
  feat: tf.Scalar;
  correct: tf.Scalar;
}

/** Weights of the student (all, BN statistics included) and of the attention module. */
export type Snapshot = CheckpointData;

export class DistillSession {
  readonly attention: FeatureAttention | null;
  readonly options: MethodOptions;
  private readonly optimizer: Optimiser;
  private readonly vars: tf.Variable[];

  constructor(
    readonly config: TrainConfig,
    readonly student: TappedModel,
    readonly teacher: FrozenTeacher | null,
  ) {
    registerLeanBatchNormGradient();
    registerLeanReduceGradients();
    const info = METHODS[config.method];
    if (info.usesTeacher && !teacher) throw new Error(`${info.label} needs a teacher; none was loaded.`);
    const k = Math.min(config.options.rtk.k, Math.max(1, student.tapShapes.length - 1)) || defaultK(student.tapShapes.length);
    this.options = { ...config.options, rtk: { ...config.options.rtk, k } };
    this.attention = info.usesAttention && teacher
      ? new FeatureAttention(teacher.tapShapes, student.tapShapes, config.options.afd.attnDim, config.seed + 7)
      : null;
    this.optimizer = config.optimizer === 'sgd'
      ? new Sgd(config.learningRate, config.momentum, config.weightDecay)
      : new Adam(config.learningRate);
    this.vars = [
      ...student.model.trainableWeights.map((w) => w.read() as tf.Variable),
      ...(this.attention ? this.attention.variables : []),
    ];
  }

  /**
   * One optimiser step on a batch. x: [B,H,W,C] floats in [0,1], labels: [B] class ids.
   * `given`: the teacher's frozen outputs for this x when they were computed elsewhere
   * (e.g. in a second worker while the previous step ran); the step takes ownership and
   * disposes them. Without it the teacher runs here (a teacher that runs only in its own worker
   * must be given).
   * Returns scalars the caller reads (throttled) and disposes.
   */
  trainStep(x: tf.Tensor4D, labels: tf.Tensor1D, epoch: number, given?: TeacherOutputs | null): StepStats {
    if (given && !this.teacher) {
      tf.dispose([given.logits, ...given.taps]);
      throw new Error('trainStep: teacher outputs were given to a session without a teacher.');
    }
    const teacherOut = given ?? (this.teacher ? teacherForwardHere(this.teacher, x) : null);
    let kept: Omit<StepStats, 'total'> | null = null;
    const { value, grads } = tf.variableGrads(() => {
      const out = this.student.apply(x, true);
      const loss = methodLoss(this.config.method, this.options, {
        labels,
        studentLogits: out.logits,
        studentTaps: out.taps,
        teacherLogits: teacherOut?.logits,
        teacherTaps: teacherOut?.taps,
        attention: this.attention ?? undefined,
        epoch,
      });
      const correct = tf.sum(tf.cast(tf.equal(tf.argMax(out.logits, 1), labels), 'float32')) as tf.Scalar;
      kept = { ce: tf.keep(loss.ce), kd: tf.keep(loss.kd), feat: tf.keep(loss.feat), correct: tf.keep(correct) };
      return loss.total;
    }, this.vars);
    this.optimizer.applyGradients(grads);
    tf.dispose(grads);
    if (teacherOut) tf.dispose([teacherOut.logits, ...teacherOut.taps]);
    // WebGPU: the whole step goes to the device in one submit (no-op on other backends).
    flushWebGpu();
    return { total: value, ...kept! };
  }

  /**
   * Sets the learning rate for the next steps (the optimiser reads the plain field on every
   * applyGradients, so a schedule can update it in place).
   */
  setLearningRate(lr: number): void {
    this.optimizer.learningRate = lr;
  }

  /**
   * Copies every trainable and BN statistic of the student (and attention) and the optimiser's
   * state to plain arrays.
   */
  async snapshot(epoch: number): Promise<Snapshot> {
    return {
      student: await Promise.all(this.student.model.getWeights().map(async (w) => Float32Array.from(await w.data()))),
      attention: this.attention ? await this.attention.readWeights() : null,
      optimiser: await this.optimizer.readState(this.vars),
      epoch,
    };
  }

  restore(s: Snapshot): void {
    const shapes = this.student.model.getWeights().map((w) => w.shape);
    const tensors = s.student.map((a, i) => tf.tensor(a, shapes[i]));
    this.student.model.setWeights(tensors);
    tf.dispose(tensors);
    if (this.attention && s.attention) this.attention.setWeights(s.attention);
    if (s.optimiser) this.optimizer.setState(this.vars, s.optimiser);
  }

  dispose(): void {
    this.optimizer.dispose();
    this.attention?.dispose();
    this.student.model.dispose();
  }
}
