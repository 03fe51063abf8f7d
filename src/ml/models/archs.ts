/**
 * The architecture registry: one entry per ArchId, each a block type and a tap policy over the
 * same three-stage skeleton.
 *
 * Skeleton (all four archs): stem conv3×3 stride 2 → width, BN, ReLU; then three stages of
 * `depth` blocks with width, 2·width, 4·width channels, the first block of stages 2 and 3 at
 * stride 2; then the head: global average pooling (teacher) or flatten (students) and dense
 * logits. Spatial sizes are H/2, H/4, H/8
 * ('same' padding, rounded up: 28 → 14, 7, 4; 32 → 16, 8, 4; 8 → 4, 2, 1), identical for
 * teacher and students, so AT finds pairs of equal size. The stem (not stage 1) downsamples:
 * that keeps the default teacher near 6 MFLOPs and the default student near 0.5 MFLOPs on 28×28.
 * The students flatten the last 4×4 map instead of pooling it: on the MNIST pilot with 20,000
 * images, one epoch, student alone, that lifted test accuracy from 94.9 % to 97.4 % for 5,120
 * more weights (scripts/pilot-sweep.ts).
 *
 * That is the 'small' stride plan. Photos (≥ 96 px) take the 'photo' plan (src/domain/stridePlan.ts):
 * four stages, each opening at stride 2 (taps at H/4 … H/32: 56, 28, 14, 7 at 224), and global
 * average pooling for every arch, since a flatten head on a 28×28 map would be ~250 k weights.
 */
import * as tf from '@tensorflow/tfjs';
import type { ArchId, ModelSpec } from '../../domain';
import { resolvePlan, STRIDE_PLANS } from '../../domain';
import type { HeadKind } from './layers';
import { head, plainBlock, residualBlock, SeedStream, separableBlock, convBn } from './layers';

type Sym = tf.SymbolicTensor;
export type BlockFn = (x: Sym, name: string, filters: number, stride: number, seeds: SeedStream) => Sym;

export interface ArchDef {
  /** Builds one block and returns its output (after its last BN + ReLU). */
  block: BlockFn;
  /** 'block': every block output is a tap; 'stage': the last block of each stage. */
  taps: 'block' | 'stage';
  /** Classifier head (see `head`): the teacher pools, the students flatten. */
  head: HeadKind;
}

export const ARCH_DEFS: Record<ArchId, ArchDef> = {
  'resnet-t1': { block: residualBlock, taps: 'block', head: 'gap' },
  // Every block is a tap, students included, so a student of depth 2 offers S = 6 taps and k has
  // room (1 ≤ k ≤ S−1; issue "Key selection that means something"). With depth 1 this is the
  // last block of each stage, as before.
  'cnn-s1': { block: plainBlock, taps: 'block', head: 'flatten' },
  'resnet-s1': { block: residualBlock, taps: 'block', head: 'flatten' },
  'mobile-s1': { block: separableBlock, taps: 'block', head: 'flatten' },
};

/** Stages of the 'small' plan (the photo plan has STRIDE_PLANS.photo.stageStrides.length). */
export const NUM_STAGES = 3;

/** Layer-name prefix of block b (1-based) of stage s, e.g. `s2b1`; its output layer is `s2b1_out`. */
export const blockName = (stage: number, block: number): string => `s${stage}b${block}`;
/** Tap name shown to users, e.g. `stage2.block1`. */
export const tapName = (stage: number, block: number): string => `stage${stage}.block${block}`;

export interface BuiltGraph {
  model: tf.LayersModel;
  tapNames: string[];
}

/** Builds the functional graph of `spec`; outputs are [logits, ...taps]. */
export function buildGraph(spec: ModelSpec, inputShape: [number, number, number], numClasses: number, seed: number): BuiltGraph {
  const def = ARCH_DEFS[spec.arch];
  if (!def) throw new Error(`Unknown architecture "${spec.arch}": choose one of ${Object.keys(ARCH_DEFS).join(', ')}.`);
  const plan = STRIDE_PLANS[resolvePlan(spec, inputShape)];
  const seeds = new SeedStream(seed);
  const input = tf.input({ shape: inputShape, name: 'input' });
  let x = convBn(input, 'stem', { filters: spec.width, kernel: 3, stride: 2 }, seeds);
  const taps: Sym[] = [];
  const tapNames: string[] = [];
  for (let s = 1; s <= plan.stageStrides.length; s++) {
    const filters = spec.width * 2 ** (s - 1);
    for (let b = 1; b <= spec.depth; b++) {
      x = def.block(x, blockName(s, b), filters, b === 1 ? plan.stageStrides[s - 1] : 1, seeds);
      if (def.taps === 'block' || b === spec.depth) {
        taps.push(x);
        tapNames.push(tapName(s, b));
      }
    }
  }
  const logits = head(x, numClasses, seeds, plan.head === 'gap' ? 'gap' : def.head);
  const model = tf.model({ inputs: input, outputs: [logits, ...taps], name: `${spec.arch}_w${spec.width}_d${spec.depth}` });
  return { model, tapNames };
}
