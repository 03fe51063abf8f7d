/**
 * The teacher-output cache: a frozen teacher gives the same logits and taps for the same image
 * every time, so when the training images reach it unchanged (no augmentation) its outputs from
 * the first epoch can serve every later one, and its worker rests.
 *
 * It applies only when all of that holds, and says why not otherwise:
 * - the run distils from a teacher and trains more than one epoch;
 * - no augmentation: a cropped or mirrored image is another input every epoch;
 * - the outputs of every training image fit TEACHER_CACHE_BYTES. A partial cache would almost
 *   never serve a whole shuffled batch, so it is all or nothing.
 * Rows are kept per training-image index; a batch is served from the cache only when all of its
 * images are in it, and the rows it gets are exact copies of what the teacher computed. Images an
 * epoch leaves out (the remainder after whole batches) are computed when a later batch holds them.
 */
import type { TrainConfig } from '../domain';
import type { FrozenTeacher, TeacherArrays } from '../ml/types';

/** The memory the cache may take (float32 logits and taps of every training image). */
export const TEACHER_CACHE_BYTES = 256 * 2 ** 20;

const sizeOf = (shape: readonly number[]) => shape.reduce((a, d) => a * d, 1);

export class TeacherCache {
  private readonly logits: Float32Array;
  private readonly taps: Float32Array[];
  private readonly filled: Uint8Array;
  private readonly tapSizes: number[];
  hits = 0;
  misses = 0;

  constructor(private readonly numClasses: number, tapShapes: readonly (readonly number[])[], images: number) {
    this.tapSizes = tapShapes.map(sizeOf);
    this.logits = new Float32Array(images * numClasses);
    this.taps = this.tapSizes.map((n) => new Float32Array(images * n));
    this.filled = new Uint8Array(images);
  }

  /** Whether every image of the batch is cached. */
  has(indices: ArrayLike<number>): boolean {
    for (let i = 0; i < indices.length; i++) if (!this.filled[indices[i]]) return false;
    return true;
  }

  /** The batch's outputs, rows in the batch's order (call only when `has`). */
  get(indices: ArrayLike<number>): TeacherArrays {
    const B = indices.length;
    const logits = new Float32Array(B * this.numClasses);
    const taps = this.tapSizes.map((n) => new Float32Array(B * n));
    for (let i = 0; i < B; i++) {
      const at = indices[i];
      logits.set(this.logits.subarray(at * this.numClasses, (at + 1) * this.numClasses), i * this.numClasses);
      this.tapSizes.forEach((n, t) => taps[t].set(this.taps[t].subarray(at * n, (at + 1) * n), i * n));
    }
    this.hits += 1;
    return { logits, taps };
  }

  /** Keeps the rows of a batch the teacher computed (`out` rows in the order of `indices`). */
  put(indices: ArrayLike<number>, out: TeacherArrays): void {
    this.misses += 1;
    for (let i = 0; i < indices.length; i++) {
      const at = indices[i];
      this.logits.set(out.logits.subarray(i * this.numClasses, (i + 1) * this.numClasses), at * this.numClasses);
      this.tapSizes.forEach((n, t) => this.taps[t].set(out.taps[t].subarray(i * n, (i + 1) * n), at * n));
      this.filled[at] = 1;
    }
  }
}

/** A cache for the run (or null) and one line saying whether the teacher's outputs are cached, and why not. */
export function teacherCacheFor(config: TrainConfig, teacher: FrozenTeacher, trainImages: number, budget = TEACHER_CACHE_BYTES): { cache: TeacherCache | null; note: string | null } {
  if (config.epochs < 2) return { cache: null, note: null };
  if ((config.augment ?? 'none') !== 'none') return { cache: null, note: 'teacher outputs not cached: augmentation changes its input every epoch' };
  const perImage = 4 * (teacher.numClasses + teacher.tapShapes.reduce((a, s) => a + sizeOf(s), 0));
  const bytes = perImage * trainImages;
  const mb = (b: number) => `${Math.ceil(b / 2 ** 20)} MB`;
  if (bytes > budget) return { cache: null, note: `teacher outputs not cached: ${mb(bytes)} for ${trainImages} images exceeds the ${mb(budget)} budget` };
  return { cache: new TeacherCache(teacher.numClasses, teacher.tapShapes, trainImages), note: `teacher outputs cached after epoch 1 (${mb(bytes)})` };
}
