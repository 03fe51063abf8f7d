/** The learning rate of one step under each schedule of TrainConfig.lrSchedule (plain maths). */
import type { LrSchedule } from '../../domain';

/** One-cycle: share of the steps spent rising, start = lr / DIV, end = lr / FINAL_DIV (torch's OneCycleLR defaults). */
const ONE_CYCLE_RISE = 0.3;
const ONE_CYCLE_DIV = 25;
const ONE_CYCLE_FINAL_DIV = 1e4;

const cosineFrom = (from: number, to: number, t: number) => to + (from - to) * 0.5 * (1 + Math.cos(Math.PI * t));

/**
 * Learning rate for step `step` (0-based) of `totalSteps`, peak `lr`:
 *   constant:  lr
 *   cosine:    lr · ½(1 + cos(π·step/total))
 *   one-cycle: lr/25 → lr linearly over the first 30 % of the steps, then a cosine from lr to lr/10⁴.
 */
export function learningRateAt(schedule: LrSchedule, lr: number, step: number, totalSteps: number): number {
  const total = Math.max(1, totalSteps);
  if (schedule === 'cosine') return lr * 0.5 * (1 + Math.cos((Math.PI * step) / total));
  if (schedule === 'one-cycle') {
    const rise = Math.max(1, Math.round(ONE_CYCLE_RISE * total));
    const start = lr / ONE_CYCLE_DIV;
    if (step < rise) return start + (lr - start) * (step / rise);
    const fall = Math.max(1, total - 1 - rise);
    return cosineFrom(lr, start / ONE_CYCLE_FINAL_DIV, Math.min(1, (step - rise) / fall));
  }
  return lr;
}
