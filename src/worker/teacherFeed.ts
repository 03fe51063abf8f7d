/**
 * Keeping the frozen teacher one batch ahead of the student.
 *
 * The teacher's forward pass is a fixed cost of every distillation step and depends only on the
 * batch's images, so it can run elsewhere (a second worker on another core, teacherClient.ts)
 * while the student's step on the previous batch runs here. A `TeacherFeed` computes it;
 * `TeacherPrefetch` queues batches in order and hands their outputs to `trainStep` as tensors.
 * When the feed fails, `take` answers null and the caller's session runs the teacher itself, so
 * a run never stops because of the feed.
 */
import * as tf from '@tensorflow/tfjs';
import type { FrozenTeacher, TeacherArrays } from '../ml/types';
import type { TeacherOutputs } from '../ml/train/session';
import { teacherTensors } from '../ml/teacher/forward';
import type { TeacherCache } from './teacherCache';

export type { TeacherArrays };
export { teacherTensors };

export interface TeacherFeed {
  /** Where the teacher runs, for status lines and benchmark records. */
  readonly where: string;
  /** Starts the forward pass of a batch x [B,H,W,C]; the array is handed over (not reused). */
  request(x: Float32Array, batchSize: number): Promise<TeacherArrays>;
  /** Arrays of outputs nothing reads any more, for later outputs (RemoteTeacher.recycle). */
  recycle?(arrays: Float32Array[]): void;
  /** An array of n floats for a batch's images (RemoteTeacher.inputArray). */
  inputArray?(n: number): Float32Array;
  /** Drops the arrays kept for reuse (RemoteTeacher.forgetArrays). */
  forgetArrays?(): void;
  dispose(): void;
}

/** The feed a run gets (null: the session runs the teacher itself) and a line saying where the teacher runs. */
export interface TeacherFeedChoice {
  feed: TeacherFeed | null;
  note: string;
}

/** Topology and weights of a model, for tf.io.fromMemory elsewhere (weights copied out). */
export async function modelArtifacts(model: tf.LayersModel): Promise<tf.io.ModelArtifacts> {
  let saved: tf.io.ModelArtifacts | null = null;
  await model.save(tf.io.withSaveHandler(async (art) => {
    saved = art;
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  if (!saved) throw new Error('The teacher could not be serialised for the teacher worker.');
  return saved;
}

export class TeacherPrefetch {
  private readonly pending = new Map<string, Promise<TeacherArrays | null>>();
  private broken: string | null = null;

  /** `cache` (teacherCache.ts): batches whose images are all in it are answered from it, the rest are kept in it. */
  constructor(private readonly feed: TeacherFeed, private readonly teacher: FrozenTeacher, private readonly batchSize: number, private readonly cache: TeacherCache | null = null) {}

  /** Why the feed was given up (null while it works). */
  get failure(): string | null { return this.broken; }

  /** Queues the teacher's forward pass of batch `key` (x is copied; `indices`: its training images, for the cache); no-op if already queued. */
  queue(key: string, x: Float32Array, indices?: ArrayLike<number>): void {
    if (this.broken != null || this.pending.has(key)) return;
    const { cache } = this;
    if (cache && indices && cache.has(indices)) {
      this.pending.set(key, Promise.resolve(cache.get(indices)));
      return;
    }
    const copy = this.feed.inputArray?.(x.length) ?? new Float32Array(x.length);
    copy.set(x);
    const p = this.feed.request(copy, this.batchSize).then((out) => {
      if (cache && indices) cache.put(indices, out);
      return out;
    }, (err: unknown) => {
      this.broken = err instanceof Error ? err.message : String(err);
      return null;
    });
    this.pending.set(key, p);
  }

  /** The outputs of batch `key` as tensors the caller owns; null when the feed has failed. */
  async take(key: string): Promise<TeacherOutputs | null> {
    const p = this.pending.get(key);
    this.pending.delete(key);
    const arrays = p ? await p : null;
    if (!arrays) return null;
    const out = teacherTensors(arrays, this.teacher, this.batchSize);
    // wasm copies a tensor's values into its heap when it is made, so the arrays are free now
    // (other backends may keep them until the tensor is first used).
    if (tf.getBackend() === 'wasm') this.feed.recycle?.([arrays.logits, ...arrays.pooled, ...arrays.energy]);
    return out;
  }

  /**
   * One step's worth of look-ahead: queues batch `key` (x) if it is not queued yet, queues the
   * batch after it (`next`, filled on demand) so the teacher works on it during this step, and
   * returns `key`'s outputs.
   */
  ahead(key: string, x: Float32Array, next: { key: string; fill(): Float32Array; indices?: ArrayLike<number> } | null, indices?: ArrayLike<number>): Promise<TeacherOutputs | null> {
    this.queue(key, x, indices);
    if (next) this.queue(next.key, next.fill(), next.indices);
    return this.take(key);
  }

  /** Forgets queued batches (their results are dropped when they arrive) and the arrays kept for reuse. */
  clear(): void {
    this.pending.clear();
    this.feed.forgetArrays?.();
  }
}
