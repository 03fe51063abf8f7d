/**
 * How big one teacher pass may be, and how many threads its runtime gets: pure rules shared by
 * the teacher worker (batches, threads), the training worker (scoring batches) and the card.
 */

/**
 * Memory budget of one teacher pass (scoring, or the teacher's forward of a training batch):
 * 64 MiB. A pass of B images holds at most B × (every intermediate value of one image + the
 * input twice, NHWC and its NCHW copy) floats, so B is chosen to keep that under the budget; a
 * MobileNetV2 at 224 × 224 (49.6 MiB of intermediate values per image, as its probe measures)
 * runs 1 image at a time. Part of the renderer's 1 GiB for a 224 px pilot (bench:photo): the
 * runtime's heap keeps its largest pass for good, and on this CPU runtime 1 image a pass scores
 * as fast as 3 (issue 26's measurements).
 */
export const TEACHER_PASS_BUDGET_BYTES = 64 * 1024 * 1024;
/** Batches above this gain no speed on a CPU runtime and only hold memory. */
export const TEACHER_MAX_BATCH = 256;

/** Bytes one image takes in a teacher pass: its activations and its input (twice), as float32. */
export function passBytesPerImage(activationFloats: number, inputFloats: number): number {
  return 4 * (Math.max(0, activationFloats) + 2 * inputFloats);
}

/**
 * The largest batch (1 … TEACHER_MAX_BATCH) whose pass stays within `budget` bytes:
 * floor(budget / passBytesPerImage), at least 1 (a single image over budget still runs alone).
 */
export function batchForBudget(activationFloats: number, inputFloats: number, budget = TEACHER_PASS_BUDGET_BYTES, max = TEACHER_MAX_BATCH): number {
  const per = passBytesPerImage(activationFloats, inputFloats);
  if (!(per > 0)) return max;
  return Math.max(1, Math.min(max, Math.floor(budget / per)));
}

/**
 * Threads for onnxruntime-web in the teacher worker. Without cross-origin isolation there is no
 * SharedArrayBuffer, so one thread. With it: every core but one, at least one. The runtime fixes
 * its thread count when it first starts in a worker, and the same session scores the baseline
 * (nothing else runs) and feeds the teacher's outputs while the training worker trains (which
 * needs a core of its own), so the count is the training-time one: cores − 1.
 */
export function teacherThreads(cores: number | undefined, isolated: boolean): number {
  if (!isolated) return 1;
  return Math.max(1, Math.min(16, (cores ?? 1) - 1));
}
