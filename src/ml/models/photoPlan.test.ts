import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHS, archPreset, planReason, resolvePlan, type ArchId } from '../../domain';
import { buildModel, modelCosts } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** torchvision MobileNetV2 with a 10-class head (the 224 px photo teacher fixture). */
const MOBILENET_V2_PARAMS = 2_236_682;
const STUDENTS = (Object.keys(ARCHS) as ArchId[]).filter((a) => ARCHS[a].role === 'student');

describe('photo stride plan', () => {
  it('is chosen from 96 px up, and a spec may name its plan', () => {
    expect(resolvePlan({}, [28, 28, 1])).toBe('small');
    expect(resolvePlan({}, [95, 224, 3])).toBe('small');
    expect(resolvePlan({}, [96, 96, 3])).toBe('photo');
    expect(resolvePlan({ plan: 'small' }, [224, 224, 3])).toBe('small');
    expect(resolvePlan({ plan: 'photo' }, [32, 32, 3])).toBe('photo');
    expect(planReason({}, [224, 224, 3])).toMatch(/224×224 px/);
  });

  it.each(STUDENTS)('%s preset at 224 px: ≤ 450 k parameters, ≥ 5× below MobileNetV2, pooled head', (arch) => {
    const spec = archPreset(arch, [224, 224, 3]);
    expect(spec.width).toBe(ARCHS[arch].photoWidth);
    const tm = buildModel(spec, [224, 224, 3], 10, 1);
    const { params, flopsPerImage } = modelCosts(tm);
    expect(params).toBeLessThanOrEqual(450_000);
    expect(params).toBeGreaterThanOrEqual(100_000);
    expect(params * 5).toBeLessThanOrEqual(MOBILENET_V2_PARAMS);
    expect(flopsPerImage).toBeGreaterThan(0);
    const names = tm.model.layers.map((l) => l.name);
    expect(names).toContain('gap');
    expect(names).not.toContain('flatten');
    // The dense layer reads the pooled channels only: 8·width inputs, not a flattened map.
    const dense = tm.model.getLayer('logits').getWeights()[0].shape;
    expect(dense).toEqual([8 * spec.width, 10]);
    tm.model.dispose();
  });

  it.each([[96, [24, 12, 6, 3]], [160, [40, 20, 10, 5]], [224, [56, 28, 14, 7]]] as const)(
    'at %i px every block is a tap, four stages at sides %j',
    (side, sides) => {
      const spec = { arch: 'resnet-s1' as const, width: 8, depth: 2 };
      const tm = buildModel(spec, [side, side, 3], 10, 2);
      expect(tm.tapNames).toEqual(['stage1.block1', 'stage1.block2', 'stage2.block1', 'stage2.block2',
        'stage3.block1', 'stage3.block2', 'stage4.block1', 'stage4.block2']);
      expect(tm.tapShapes).toEqual(sides.flatMap((s, i) => [[s, s, 8 * 2 ** i], [s, s, 8 * 2 ** i]]));
      const out = tf.tidy(() => {
        const { logits, taps } = tm.apply(tf.ones([1, side, side, 3]) as tf.Tensor4D, false);
        return { logits: logits.shape, last: taps[taps.length - 1].shape };
      });
      expect(out).toEqual({ logits: [1, 10], last: [1, sides[3], sides[3], 64] });
      tm.model.dispose();
    },
  );

  it('small images keep the small plan: three stages, students flatten', () => {
    const tm = buildModel({ arch: 'cnn-s1', width: 8, depth: 1 }, [32, 32, 3], 10, 1);
    expect(tm.tapShapes).toEqual([[16, 16, 8], [8, 8, 16], [4, 4, 32]]);
    expect(tm.model.layers.map((l) => l.name)).toContain('flatten');
    expect(modelCosts(tm).params).toBe(3 * 9 * 8 + 9 * 8 * 8 + 9 * 8 * 16 + 9 * 16 * 32 + 4 * 4 * 32 * 10 + 10 + 4 * (8 + 8 + 16 + 32));
    expect(archPreset('cnn-s1', [32, 32, 3])).toEqual({ arch: 'cnn-s1', width: 8, depth: 1 });
    expect(archPreset('cnn-s1', [32, 32, 3], 'photo')).toEqual({ arch: 'cnn-s1', width: 24, depth: 1, plan: 'photo' });
    expect(archPreset('cnn-s1', [224, 224, 3], 'small')).toEqual({ arch: 'cnn-s1', width: 8, depth: 1, plan: 'small' });
    tm.model.dispose();
  });

  it('a named plan travels with the spec in the model metadata', () => {
    const tm = buildModel({ arch: 'mobile-s1', width: 8, depth: 1, plan: 'photo' }, [32, 32, 3], 10, 1);
    expect(tm.tapShapes.map((s) => s[0])).toEqual([8, 4, 2, 1]);
    expect((tm.model.getUserDefinedMetadata() as { rtkStudio: { spec: unknown } }).rtkStudio.spec).toMatchObject({ plan: 'photo' });
    tm.model.dispose();
  });
});
