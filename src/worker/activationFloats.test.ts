import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { batchForBudget } from '../domain/teacherBudget';
import { layersActivationFloats } from './teacherClient';

describe('activation size of a TF.js teacher', () => {
  it('sums every layer output of one image, and gives the batch of a pass under the budget', () => {
    const input = tf.input({ shape: [32, 32, 3] });
    const c1 = tf.layers.conv2d({ filters: 8, kernelSize: 3, padding: 'same' }).apply(input) as tf.SymbolicTensor;
    const p = tf.layers.maxPooling2d({ poolSize: 2 }).apply(c1) as tf.SymbolicTensor;
    const f = tf.layers.flatten().apply(p) as tf.SymbolicTensor;
    const d = tf.layers.dense({ units: 10 }).apply(f) as tf.SymbolicTensor;
    const model = tf.model({ inputs: input, outputs: d });
    // input 32·32·3 + conv 32·32·8 + pool 16·16·8 + flatten 2048 + dense 10
    expect(layersActivationFloats(model)).toBe(3072 + 8192 + 2048 + 2048 + 10);
    expect(batchForBudget(layersActivationFloats(model), 3072, 4 * (15370 + 6144) * 10)).toBe(10);
    model.dispose();
  });
});
