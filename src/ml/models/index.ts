export { buildModel, tappedFromLayersModel } from './tapped';
export type { TappedMetadata } from './tapped';
export { ARCH_DEFS, blockName, tapName, NUM_STAGES } from './archs';
export type { ArchDef } from './archs';
export { modelCosts, flopBreakdown, paramSplit, measureLatency, measureLatencyPair, tapFlops } from './costs';
export type { LayerFlops, LatencyStats } from './costs';
export { BN_MOMENTUM, BN_EPSILON } from './layers';
export { frozenApply, disposeFrozen } from './frozen';
export { registerLeanBatchNormGradient } from './bnGradient';
