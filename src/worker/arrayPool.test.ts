import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel, frozenApply } from '../ml/models';
import type { FrozenTeacher, TappedModel } from '../ml/types';
import { ArrayPool } from './arrayPool';
import { TeacherPrefetch, type TeacherArrays, type TeacherFeed } from './teacherFeed';
import { isSummary, summarizeTap } from '../ml/losses/teacherTap';

describe('ArrayPool', () => {
  it('hands back a kept array of the asked length, else a new one', () => {
    const pool = new ArrayPool(4);
    const a = new Float32Array(6);
    const b = new Float32Array(3);
    pool.put([a, b]);
    expect(pool.has(3)).toBe(true);
    expect(pool.take(3)).toBe(b);
    expect(pool.has(3)).toBe(false);
    const fresh = pool.take(3);
    expect(fresh).not.toBe(b);
    expect(fresh.length).toBe(3);
    expect(pool.take(6)).toBe(a);
    expect(pool.size).toBe(0);
  });

  it('keeps at most cap arrays (the newest), ignores detached ones, and drains', () => {
    const pool = new ArrayPool(2);
    const detached = new Float32Array(5);
    structuredClone(detached.buffer, { transfer: [detached.buffer] });
    const [x, y, z] = [new Float32Array(1), new Float32Array(2), new Float32Array(3)];
    pool.put([detached, x, y, z]);
    expect(pool.size).toBe(2);
    expect(pool.has(1)).toBe(false);
    expect(pool.drain()).toEqual([y, z]);
    expect(pool.size).toBe(0);
  });
});

describe('TeacherPrefetch with arrays going back and forth (wasm)', () => {
  let tm: TappedModel;
  let teacher: FrozenTeacher;
  const B = 4;
  beforeAll(async () => {
    await tf.setBackend('wasm');
    tm = buildModel({ arch: 'resnet-t1', width: 4, depth: 1 }, [8, 8, 1], 10, 3);
    teacher = { model: tm.model, inputShape: tm.inputShape, numClasses: tm.numClasses, tapNames: tm.tapNames, tapShapes: tm.tapShapes };
  });
  afterAll(() => tm.model.dispose());

  /** A feed like the teacher worker's: outputs written into the arrays handed back, inputs returned. */
  function poolingFeed() {
    const spares = new ArrayPool(12);
    const inputs = new ArrayPool(4);
    const made = { outputs: 0, inputs: 0 };
    const feed: TeacherFeed = {
      where: 'test',
      async request(x: Float32Array, n: number): Promise<TeacherArrays> {
        await new Promise((r) => setImmediate(r));
        const input = tf.tensor4d(x, [n, ...teacher.inputShape]);
        const out = frozenApply({ model: tm.model }, input);
        const fill = (t: tf.Tensor) => {
          if (!spares.has(t.size)) made.outputs++;
          const a = spares.take(t.size);
          a.set(t.dataSync());
          return a;
        };
        const sums = out.taps.map(summarizeTap);
        const arrays = { logits: fill(out.logits), pooled: sums.map((t) => fill(t.pooled)), energy: sums.map((t) => fill(t.energy)) };
        tf.dispose([input, out.logits, ...out.taps, ...sums]);
        inputs.put([x]);
        return arrays;
      },
      recycle: (arrays) => spares.put(arrays),
      inputArray: (n) => {
        if (!inputs.has(n)) made.inputs++;
        return inputs.take(n);
      },
      dispose() {},
    };
    return { feed, made };
  }

  it('gives every batch the teacher\'s own outputs while reusing the same arrays', async () => {
    const { feed, made } = poolingFeed();
    const prefetch = new TeacherPrefetch(feed, teacher, B);
    const batches = Array.from({ length: 6 }, (_, i) => Float32Array.from({ length: B * 64 }, (_, j) => ((i * 31 + j * 7) % 17) / 17));
    const got: NonNullable<Awaited<ReturnType<TeacherPrefetch["take"]>>>[] = [];
    for (let i = 0; i < batches.length; i++) {
      const next = i + 1 < batches.length ? { key: String(i + 1), fill: () => batches[i + 1] } : null;
      got.push((await prefetch.ahead(String(i), batches[i], next))!);
    }
    // Compared only now, after later batches were written into the arrays of earlier ones.
    got.forEach((g, i) => {
      const want = frozenApply({ model: tm.model }, tf.tensor4d(batches[i], [B, 8, 8, 1]));
      expect(Array.from(g.logits.dataSync())).toEqual(Array.from(want.logits.dataSync()));
      const wantSums = want.taps.map(summarizeTap);
      g.taps.forEach((t, k) => {
        if (!isSummary(t)) throw new Error('a teacher in another worker sends tap summaries');
        expect(Array.from(t.pooled.dataSync())).toEqual(Array.from(wantSums[k].pooled.dataSync()));
        expect(Array.from(t.energy.dataSync())).toEqual(Array.from(wantSums[k].energy.dataSync()));
      });
      tf.dispose([g.logits, ...g.taps, want.logits, ...want.taps, ...wantSums]);
    });
    // At most two batches (one queued ahead) ever get new arrays; the others reuse them.
    const perBatch = 1 + 2 * teacher.tapShapes.length;
    expect(made.outputs).toBeGreaterThanOrEqual(perBatch);
    expect(made.outputs).toBeLessThanOrEqual(2 * perBatch);
    expect(made.inputs).toBeLessThanOrEqual(2);
  });
});
