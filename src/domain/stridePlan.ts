/**
 * Stride plans: how a model's skeleton downsamples, chosen from the input size.
 *
 * - `small` (28–32 px digits and thumbnails, the studio's first plan): stem stride 2, three
 *   stages (stride 1, 2, 2), taps at H/2, H/4, H/8; the students flatten the last 4×4 map.
 * - `photo` (photos of 96 px and more): stem stride 2, four stages all opening at stride 2,
 *   taps at H/4, H/8, H/16, H/32 (56, 28, 14, 7 at 224, the sizes of MobileNetV2's and
 *   ResNet's stage outputs) and global average pooling for every arch. At 224 a flatten head
 *   would put about 250 k weights on a 28×28 map; the pooled head keeps the student 5–20×
 *   smaller than a MobileNetV2 teacher (2.24 M parameters at 10 classes).
 *
 * A ModelSpec without `plan` takes the plan of its input size (`resolvePlan`), so every spec
 * saved before plans existed builds exactly as before.
 */
import type { ModelSpec } from './config';
import type { ArchId } from './registry';
import { ARCHS } from './registry';

export type StridePlanId = 'small' | 'photo';

export interface StridePlanInfo {
  id: StridePlanId;
  label: string;
  /** Stride of each stage's first block; the number of stages is its length. */
  stageStrides: number[];
  /** 'arch': each arch's own head (students flatten); 'gap': global average pooling for all. */
  head: 'arch' | 'gap';
  blurb: string;
}

export const STRIDE_PLANS: Record<StridePlanId, StridePlanInfo> = {
  small: { id: 'small', label: 'Small images', stageStrides: [1, 2, 2], head: 'arch',
    blurb: 'Stem at stride 2 and three stages (features at 1/2, 1/4, 1/8 of the image); the student reads the whole last map.' },
  photo: { id: 'photo', label: 'Photos', stageStrides: [2, 2, 2, 2], head: 'gap',
    blurb: 'Stem at stride 2 and four stages that each halve the map (features at 1/4 to 1/32 of the image, 7×7 at 224 px); the student averages the last map.' },
};

/** The smallest image side (px) that gets the photo plan. */
export const PHOTO_MIN_SIDE = 96;

/** The plan a spec builds with on images of `inputShape` [H, W, C]: its own, else the one its size calls for. */
export function resolvePlan(spec: Pick<ModelSpec, 'plan'>, inputShape: readonly number[]): StridePlanId {
  if (spec.plan) return spec.plan;
  return Math.min(inputShape[0], inputShape[1]) >= PHOTO_MIN_SIDE ? 'photo' : 'small';
}

/** Why that plan, in a sentence for the student step. */
export function planReason(spec: Pick<ModelSpec, 'plan'>, inputShape: readonly number[]): string {
  const side = Math.min(inputShape[0], inputShape[1]);
  if (spec.plan) return `Chosen by hand (${STRIDE_PLANS[spec.plan].label.toLowerCase()}).`;
  return side >= PHOTO_MIN_SIDE
    ? `Images are ${inputShape[0]}×${inputShape[1]} px (at least ${PHOTO_MIN_SIDE}), so the model downsamples 32× and pools: no large dense layer.`
    : `Images are ${inputShape[0]}×${inputShape[1]} px (under ${PHOTO_MIN_SIDE}), so three stages down to 1/8 keep enough detail.`;
}

/** Spatial side of each stage's output for an input side, with 'same' padding (rounded up). */
export function stageSides(plan: StridePlanId, side: number): number[] {
  let s = Math.ceil(side / 2);
  return STRIDE_PLANS[plan].stageStrides.map((st) => (s = Math.ceil(s / st)));
}

/**
 * The preset of `arch` for images of `inputShape`: the arch's default width, or its photo width
 * on the photo plan (the one the size calls for, or `plan` when one is named; kept in the spec).
 */
export function archPreset(arch: ArchId, inputShape: readonly number[], plan?: StridePlanId): ModelSpec {
  const a = ARCHS[arch];
  const photo = resolvePlan({ plan }, inputShape) === 'photo';
  return { arch, width: photo ? a.photoWidth : a.defaultWidth, depth: a.defaultDepth, ...(plan ? { plan } : {}) };
}
