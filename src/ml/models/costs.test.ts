import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHS, DEFAULT_STUDENT, DEFAULT_TEACHER, type ArchId } from '../../domain';
import { buildModel, flopBreakdown, measureLatency, modelCosts, paramSplit, tapFlops } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/**
 * Hand counts for width 1, depth 1 on 8×8×1 with 2 classes (stem and stages at 4×4, 2×2, 1×1 with
 * 1, 1, 2, 4 channels). conv = 2·Ho·Wo·k²·Cin·Cout, BN = 2/elem, ReLU = 1/elem, add = 1/elem,
 * flatten = 0 (students flatten the last 1×1×4 map), dense = 2·in·out + out.
 */
const HAND = {
  // stem 288+32+16; s1 288+32+16; s2 144+16+8; s3 144+8+4; flatten 0; dense 16+2.
  'cnn-s1': { flops: 336 + 336 + 168 + 156 + 18, params: (9 + 4) + (9 + 4) + (18 + 8) + (72 + 16) + 10 },
  // s1: 288+32+16 + 288+32 + add 16 + relu 16; s2: 144+16+8 + 288+16 + short 16+16 + 8+8;
  // s3: 144+8+4 + 288+8 + short 16+8 + 4+4.
  'resnet-s1': {
    flops: 336 + 688 + 520 + 484 + 18,
    params: (9 + 4) + (9 + 4 + 9 + 4) + (18 + 8 + 36 + 8 + 2 + 8) + (72 + 16 + 144 + 16 + 8 + 16) + 10,
  },
  // s1: dw 288+32+16, pw 32+32+16; s2: dw 72+8+4, pw 16+16+8; s3: dw 36+4+2, pw 16+8+4.
  'mobile-s1': { flops: 336 + 416 + 124 + 70 + 18, params: (9 + 4) + (9 + 4 + 1 + 4) + (9 + 4 + 2 + 8) + (18 + 8 + 8 + 16) + 10 },
} as const;

describe('tapFlops', () => {
  it('plain CNN, width 1 depth 1 on 8×8×1: stem + stage 1, stage 2, stage 3 (the hand counts above)', () => {
    const tm = buildModel({ arch: 'cnn-s1', width: 1, depth: 1 }, [8, 8, 1], 2, 1);
    expect(tapFlops(tm.model)).toEqual([336 + 336, 168, 156]);
    tm.model.dispose();
  });

  it.each(Object.keys(ARCHS) as ArchId[])('%s: the taps plus the head add up to the model total', (arch) => {
    const tm = buildModel({ arch, width: ARCHS[arch].defaultWidth, depth: ARCHS[arch].defaultDepth }, [28, 28, 1], 10, 1);
    const perTap = tapFlops(tm.model);
    expect(perTap).toHaveLength(tm.tapNames.length);
    for (const f of perTap) expect(f).toBeGreaterThan(0);
    const head = HEAD_FLOPS(tm.tapShapes[tm.tapShapes.length - 1], ARCHS[arch].role === 'teacher');
    expect(perTap.reduce((a, b) => a + b, 0) + head).toBe(modelCosts(tm).flopsPerImage);
    tm.model.dispose();
  });
});

/** Head after the last tap: global pooling (1 per element) + dense, or flatten (0) + dense; 10 classes. */
function HEAD_FLOPS([h, w, c]: [number, number, number], pools: boolean): number {
  const inputs = pools ? c : h * w * c;
  return (pools ? h * w * c : 0) + 2 * inputs * 10 + 10;
}

describe('modelCosts', () => {
  it.each(Object.entries(HAND))('%s, width 1 depth 1 on 8×8×1: FLOPs and params match the hand count', (arch, hand) => {
    const tm = buildModel({ arch: arch as ArchId, width: 1, depth: 1 }, [8, 8, 1], 2, 1);
    const c = modelCosts(tm);
    expect(c.flopsPerImage).toBe(hand.flops);
    expect(c.params).toBe(hand.params);
    expect(c.bytes).toEqual({ fp32: 4 * hand.params, fp16: 2 * hand.params, int8: hand.params });
    tm.model.dispose();
  });

  it.each(Object.keys(ARCHS) as ArchId[])('%s: params = model.countParams() = trainable + BN statistics', (arch) => {
    for (const shape of [[28, 28, 1], [32, 32, 3]] as [number, number, number][]) {
      const tm = buildModel({ arch, width: ARCHS[arch].defaultWidth, depth: ARCHS[arch].defaultDepth }, shape, 10, 1);
      const c = modelCosts(tm);
      const split = paramSplit(tm.model);
      expect(c.params).toBe(tm.model.countParams());
      expect(split.trainable + split.nonTrainable).toBe(c.params);
      // Non-trainable weights are exactly the BN moving mean and variance (= BN γ + β count).
      const bnParams = tm.model.layers.filter((l) => l.getClassName() === 'BatchNormalization')
        .reduce((a, l) => a + 2 * (l.outputShape as number[])[3], 0);
      expect(split.nonTrainable).toBe(bnParams);
      expect(flopBreakdown(tm.model).uncounted).toEqual([]);
      tm.model.dispose();
    }
  });

  it('defaults meet the budget on 28×28×1: student 0.5–1.5 MFLOPs, teacher 5–12 MFLOPs and ≥8× the params', () => {
    const s = buildModel(DEFAULT_STUDENT, [28, 28, 1], 10, 1);
    const t = buildModel(DEFAULT_TEACHER, [28, 28, 1], 10, 1);
    const [cs, ct] = [modelCosts(s), modelCosts(t)];
    expect(cs.flopsPerImage).toBeGreaterThanOrEqual(0.5e6);
    expect(cs.flopsPerImage).toBeLessThanOrEqual(1.5e6);
    expect(ct.flopsPerImage).toBeGreaterThanOrEqual(5e6);
    expect(ct.flopsPerImage).toBeLessThanOrEqual(12e6);
    // The student's flatten head (5,130 of its 11,794 weights) keeps it near 8.4× smaller, not 10×+.
    expect(ct.params).toBeGreaterThanOrEqual(8 * cs.params);
    s.model.dispose();
    t.model.dispose();
  });

  it('lists layer classes it does not count', () => {
    const input = tf.input({ shape: [4, 4, 1] });
    const up = tf.layers.upSampling2d({ size: [2, 2] }).apply(input) as tf.SymbolicTensor;
    const out = tf.layers.dense({ units: 3 }).apply(tf.layers.flatten().apply(up)) as tf.SymbolicTensor;
    const m = tf.model({ inputs: input, outputs: out });
    const b = flopBreakdown(m);
    expect(b.uncounted).toEqual(['UpSampling2D']);
    expect(b.total).toBe(2 * 64 * 3 + 3);
    m.dispose();
  });
});

describe('measureLatency', () => {
  it('returns finite median ≤ p95 and disposes everything', async () => {
    const tm = buildModel(DEFAULT_STUDENT, [28, 28, 1], 10, 1);
    const n = tf.memory().numTensors;
    const r = await measureLatency(tm, { warmup: 2, runs: 5 });
    expect(tf.memory().numTensors).toBe(n);
    expect(r.runs).toBe(5);
    expect(Number.isFinite(r.medianMs) && r.medianMs > 0).toBe(true);
    expect(Number.isFinite(r.p95Ms)).toBe(true);
    expect(r.p95Ms).toBeGreaterThanOrEqual(r.medianMs);
    await expect(measureLatency(tm, { warmup: 0, runs: 0 })).rejects.toThrow(/runs must be/);
    tm.model.dispose();
  });
});
