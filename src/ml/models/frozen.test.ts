import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import type { ArchId } from '../../domain';
import { buildModel } from './tapped';
import { disposeFrozen, frozenApply } from './frozen';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** Gives BN layers non-trivial statistics so folding is really exercised. */
function randomiseBn(model: tf.LayersModel): void {
  for (const layer of model.layers) {
    if (layer.getClassName() !== 'BatchNormalization') continue;
    const ws = layer.getWeights();
    layer.setWeights(ws.map((w, i) => (i === 3 ? tf.randomUniform(w.shape, 0.5, 2, 'float32', 7) : tf.randomNormal(w.shape, 0, 0.5, 'float32', 11 + i))));
  }
}

describe('frozenApply (BN folded into convolutions)', () => {
  for (const arch of ['resnet-t1', 'cnn-s1', 'mobile-s1', 'resnet-s1'] as ArchId[]) {
    it(`${arch}: logits and taps equal the layers model in inference mode`, () => {
      const tm = buildModel({ arch, width: 8, depth: 2 }, [12, 12, 3], 10, 3);
      randomiseBn(tm.model);
      const x = tf.randomUniform([3, 12, 12, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const ref = tm.apply(x, false);
      const before = tf.memory().numTensors;
      const got = frozenApply(tm, x);
      const second = frozenApply(tm, x);
      tf.dispose([second.logits, ...second.taps]);
      expect(got.taps).toHaveLength(ref.taps.length);
      const pairs: [tf.Tensor, tf.Tensor][] = [[got.logits, ref.logits], ...got.taps.map((t, i) => [t, ref.taps[i]] as [tf.Tensor, tf.Tensor])];
      for (const [a, b] of pairs) {
        expect(a.shape).toEqual(b.shape);
        const err = tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);
        const scale = tf.tidy(() => tf.max(tf.abs(b)).dataSync()[0]);
        expect(err).toBeLessThan(1e-4 * Math.max(1, scale));
      }
      tf.dispose([got.logits, ...got.taps]);
      const plan = tf.memory().numTensors - before;
      disposeFrozen(tm.model);
      // Only the folded weights (2 per fused conv, built once) remain until disposeFrozen.
      expect(tf.memory().numTensors).toBe(before);
      expect(plan).toBeGreaterThan(0);
      tf.dispose([x, ref.logits, ...ref.taps]);
      tm.model.dispose();
    });
  }

  it('keeps its folded weights when first built inside a tf.tidy (as in evaluation)', () => {
    const tm = buildModel({ arch: 'resnet-t1', width: 4, depth: 1 }, [8, 8, 1], 10, 4);
    const x = tf.randomUniform([2, 8, 8, 1], 0, 1, 'float32', 6) as tf.Tensor4D;
    const first = tf.tidy(() => Array.from(frozenApply(tm, x).logits.dataSync()));
    const again = frozenApply(tm, x);
    expect(Array.from(again.logits.dataSync())).toEqual(first);
    tf.dispose([again.logits, ...again.taps, x]);
    disposeFrozen(tm.model);
    tm.model.dispose();
  });
});
