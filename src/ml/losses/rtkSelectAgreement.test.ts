import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { selectKeys } from '../../domain';
import { rtkLoss } from './rtk';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

// T = 3 keys × S = 4 students, rows sum to 1.
const attention = [
  0.7, 0.1, 0.1, 0.1,
  0.25, 0.25, 0.25, 0.25,
  0.4, 0.4, 0.1, 0.1,
];

describe('the explorer\'s pure selection (src/domain/rtkSelect) and the training loss agree', () => {
  it("agrees with rtkLoss's influence and mask for 'afd' importance on a batch of one", () => {
    // (k = 2 with a threshold that keeps nobody is a float32-vs-float64 tie between keys 0 and 2, so not used.)
    for (const [k, threshold] of [[1, 'mean'], [2, 'mean'], [1, 0.3], [1, 0.9], [3, 'mean']] as const) {
      const got = tf.tidy(() => {
        const a = tf.tensor3d(attention, [1, 3, 4]);
        const o = rtkLoss(a, tf.onesLike(a), tf.log(a), { importance: 'afd', k, threshold, granularity: 'sample', warmupEpochs: 0 });
        return { influence: Array.from(o.influence.dataSync()), mask: Array.from(o.mask.dataSync()) };
      });
      const sel = selectKeys(attention, 3, 4, k, threshold);
      sel.influence.forEach((v, i) => expect(got.influence[i]).toBeCloseTo(v, 6));
      expect(got.mask).toEqual(sel.kept);
    }
  });
});
