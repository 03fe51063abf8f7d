/**
 * The teacher-output cache: a frozen teacher gives the same logits and taps for the same image
 * every time, so when the training images reach it unchanged (no augmentation) its outputs from
 * the first epoch can serve every later one, and its worker rests.
 *
 * It applies only when all of that holds, and says why not otherwise:
 * - the run distils from a teacher and trains more than one epoch;
 * - no augmentation: a cropped or mirrored image is another input every epoch;
 * - the outputs of every training image (logits and tap summaries, types.ts TapSummary) fit
 *   TEACHER_CACHE_BYTES. A partial cache would almost never serve a whole shuffled batch, so it
 *   is all or nothing.
 * Rows are kept per training-image index; a batch is served from the cache only when all of its
 * images are in it, and the rows it gets are exact copies of what the teacher computed. Images an
 * epoch leaves out (the remainder after whole batches) are computed when a later batch holds them.
 */
import type { TrainConfig } from '../domain';
import type { FrozenTeacher, TeacherArrays } from '../ml/types';

/** The memory the cache may take (float32 logits and tap summaries of every training image). */
export const TEACHER_CACHE_BYTES = 256 * 2 ** 20;

/** Floats a tap's summary holds per image: C pooled values and an H×W energy map. */
const summarySize = ([h, w, c]: readonly number[]) => c + h * w;

export class TeacherCache {
  private readonly logits: Float32Array;
  /** Per tap, rows of pooled [C] and energy [H·W] values. */
  private readonly rows: { pooled: Float32Array; energy: Float32Array; c: number; p: number }[];
  private readonly filled: Uint8Array;
  hits = 0;
  misses = 0;

  constructor(private readonly numClasses: number, tapShapes: readonly (readonly number[])[], images: number) {
    this.logits = new Float32Array(images * numClasses);
    this.rows = tapShapes.map(([h, w, c]) => ({ pooled: new Float32Array(images * c), energy: new Float32Array(images * h * w), c, p: h * w }));
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
    const pooled = this.rows.map((r) => new Float32Array(B * r.c));
    const energy = this.rows.map((r) => new Float32Array(B * r.p));
    for (let i = 0; i < B; i++) {
      const at = indices[i];
      logits.set(this.logits.subarray(at * this.numClasses, (at + 1) * this.numClasses), i * this.numClasses);
      this.rows.forEach((r, t) => {
        pooled[t].set(r.pooled.subarray(at * r.c, (at + 1) * r.c), i * r.c);
        energy[t].set(r.energy.subarray(at * r.p, (at + 1) * r.p), i * r.p);
      });
    }
    this.hits += 1;
    return { logits, pooled, energy };
  }

  /** Keeps the rows of a batch the teacher computed (`out` rows in the order of `indices`). */
  put(indices: ArrayLike<number>, out: TeacherArrays): void {
    this.misses += 1;
    for (let i = 0; i < indices.length; i++) {
      const at = indices[i];
      this.logits.set(out.logits.subarray(i * this.numClasses, (i + 1) * this.numClasses), at * this.numClasses);
      this.rows.forEach((r, t) => {
        r.pooled.set(out.pooled[t].subarray(i * r.c, (i + 1) * r.c), at * r.c);
        r.energy.set(out.energy[t].subarray(i * r.p, (i + 1) * r.p), at * r.p);
      });
      this.filled[at] = 1;
    }
  }
}

/** A cache for the run (or null) and one line saying whether the teacher's outputs are cached, and why not. */
export function teacherCacheFor(config: TrainConfig, teacher: FrozenTeacher, trainImages: number, budget = TEACHER_CACHE_BYTES): { cache: TeacherCache | null; note: string | null } {
  if (config.epochs < 2) return { cache: null, note: null };
  if ((config.augment ?? 'none') !== 'none') return { cache: null, note: 'teacher outputs not cached: augmentation changes its input every epoch' };
  const perImage = 4 * (teacher.numClasses + teacher.tapShapes.reduce((a, s) => a + summarySize(s), 0));
  const bytes = perImage * trainImages;
  const mb = (b: number) => `${Math.ceil(b / 2 ** 20)} MB`;
  if (bytes > budget) return { cache: null, note: `teacher outputs not cached: ${mb(bytes)} for ${trainImages} images exceeds the ${mb(budget)} budget` };
  return { cache: new TeacherCache(teacher.numClasses, teacher.tapShapes, trainImages), note: `teacher outputs cached after epoch 1 (${mb(bytes)})` };
}
