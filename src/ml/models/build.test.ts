import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHS, DEFAULT_STUDENT, DEFAULT_TEACHER, type ArchId, type ModelSpec } from '../../domain';
import { buildModel } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const SHAPES: [number, number, number][] = [[28, 28, 1], [32, 32, 3], [8, 8, 1]];
const ARCH_IDS = Object.keys(ARCHS) as ArchId[];

function sizes(arch: ArchId): { label: string; spec: ModelSpec }[] {
  const a = ARCHS[arch];
  return [
    { label: 'default', spec: { arch, width: a.defaultWidth, depth: a.defaultDepth } },
    { label: 'min', spec: { arch, width: a.widthRange[0], depth: a.depthRange[0] } },
    { label: 'max', spec: { arch, width: a.widthRange[1], depth: a.depthRange[1] } },
  ];
}

/** Expected taps, derived from the spec text rather than the builder: stage s has spatial size
 * ceil(H/2^s) (stem and stages 2, 3 halve it) and width·2^(s−1) channels. */
function expectedTaps(spec: ModelSpec, [h, w]: [number, number, number]): { names: string[]; shapes: number[][] } {
  const names: string[] = [];
  const shapes: number[][] = [];
  for (let s = 1; s <= 3; s++) {
    const shape = [Math.ceil(h / 2 ** s), Math.ceil(w / 2 ** s), spec.width * 2 ** (s - 1)];
    // Every block of every architecture is a tap (students too, since key selection needs S ≥ 6).
    const blocks = Array.from({ length: spec.depth }, (_, i) => i + 1);
    for (const b of blocks) {
      names.push(`stage${s}.block${b}`);
      shapes.push(shape);
    }
  }
  return { names, shapes };
}

describe.each(ARCH_IDS)('%s', (arch) => {
  it.each(sizes(arch).flatMap((s) => SHAPES.map((shape) => ({ ...s, shape }))))(
    '$label size builds for $shape with the right outputs and taps',
    ({ spec, shape }) => {
      const tm = buildModel(spec, shape, 10, 3);
      const exp = expectedTaps(spec, shape);
      expect(tm.tapNames).toEqual(exp.names);
      expect(tm.tapShapes).toEqual(exp.shapes);
      expect(tm.model.outputs.length).toBe(1 + exp.names.length);
      const batch = 2;
      const before = tf.memory().numTensors;
      const real = tf.tidy(() => {
        const { logits, taps } = tm.apply(tf.ones([batch, ...shape]) as tf.Tensor4D, false);
        return { logits: logits.shape, taps: taps.map((t) => t.shape), finite: logits.isFinite().all().dataSync()[0] };
      });
      expect(tf.memory().numTensors).toBe(before);
      expect(real.logits).toEqual([batch, 10]);
      expect(real.taps).toEqual(tm.tapShapes.map((s) => [batch, ...s]));
      expect(real.finite).toBe(1);
      tm.model.dispose();
    },
  );
});

describe('defaults', () => {
  it('DEFAULT_TEACHER and DEFAULT_STUDENT match the ARCHS defaults', () => {
    for (const spec of [DEFAULT_TEACHER, DEFAULT_STUDENT]) {
      expect(spec.width).toBe(ARCHS[spec.arch].defaultWidth);
      expect(spec.depth).toBe(ARCHS[spec.arch].defaultDepth);
    }
  });

  it('layer names are unique and readable', () => {
    const tm = buildModel(DEFAULT_TEACHER, [28, 28, 1], 10, 1);
    const names = tm.model.layers.map((l) => l.name);
    expect(new Set(names).size).toBe(names.length);
    expect(names).toContain('s2b1_1_conv');
    expect(names).toContain('s2b1_short_conv');
    expect(names).toContain('s3b2_out');
    expect(tm.model.outputs.map((o) => o.sourceLayer.name)).toEqual(['logits', 's1b1_out', 's1b2_out', 's2b1_out', 's2b2_out', 's3b1_out', 's3b2_out']);
    tm.model.dispose();
  });

  it('rejects a bad spec with a message naming it', () => {
    expect(() => buildModel({ arch: 'cnn-s1', width: 0, depth: 1 }, [28, 28, 1], 10, 1)).toThrow(/width of cnn-s1/);
    expect(() => buildModel({ arch: 'nope' as ArchId, width: 8, depth: 1 }, [28, 28, 1], 10, 1)).toThrow(/Unknown architecture "nope"/);
  });
});
