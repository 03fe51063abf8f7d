import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DEFAULT_OPTIONS, type MethodId, type MethodOptions } from '../../domain';
import { FeatureAttention } from './attention';
import { methodLoss, type MethodInputs } from './method';
import { summarizeTap } from './teacherTap';
import { atPairs } from './at';
import { refAfdDistance, refAfdLoss, refAtLoss, refAttentionLogits, refCrossEntropy, refKd, refParamsFromWeights, refRtkLoss } from './reference';
import { afdFixture, randMatrix, relErr, rng, toTensor4d } from './testing';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const fx = afdFixture(41);
const r = rng(42);
const sLogits = randMatrix(r, 3, 5);
const tLogits = randMatrix(r, 3, 5);
const labels = [4, 0, 2];
const att = new FeatureAttention(fx.tShapes, fx.sShapes, fx.d, 3);
const params = refParamsFromWeights(att.weightNames, att.getWeights(), fx.d, fx.tShapes.map((s) => s[2]), fx.sShapes.map((s) => s[2]));
const tens = {
  labels: tf.tensor1d(labels, 'int32'),
  studentLogits: tf.tensor2d(sLogits),
  teacherLogits: tf.tensor2d(tLogits),
  studentTaps: fx.sT.map(toTensor4d),
  teacherTaps: fx.tT.map(toTensor4d),
};
afterAll(() => {
  tf.dispose([tens.labels, tens.studentLogits, tens.teacherLogits, ...tens.studentTaps, ...tens.teacherTaps]);
  att.dispose();
});
const inputs = (epoch = 0): MethodInputs => ({ ...tens, attention: att, epoch });
const opts: MethodOptions = { ...DEFAULT_OPTIONS, kd: { alpha: 0.7, tau: 3 }, rtk: { ...DEFAULT_OPTIONS.rtk, k: 1 } };

function parts(method: MethodId, o = opts, epoch = 0) {
  return tf.tidy(() => {
    const l = methodLoss(method, o, inputs(epoch));
    const read = (x?: tf.Tensor) => (x ? Array.from(x.dataSync()) : undefined);
    return { total: read(l.total)![0], ce: read(l.ce)![0], kd: read(l.kd)![0], feat: read(l.feat)![0], alpha: read(l.alpha), mask: read(l.mask), influence: read(l.influence) };
  });
}

const ce = refCrossEntropy(sLogits, labels);
const kd = refKd(sLogits, tLogits, opts.kd.alpha, opts.kd.tau);
const { z, alpha } = refAttentionLogits(fx.tT, fx.sT, params, true);
const D = refAfdDistance(fx.tT, fx.sT);
const close = (a: number, b: number) => expect(relErr([a], [b])).toBeLessThan(1e-4);

describe('methodLoss totals (RTK.md)', () => {
  it('student-alone = CE', () => {
    const p = parts('student-alone');
    close(p.total, ce);
    expect([p.kd, p.feat]).toEqual([0, 0]);
  });

  it('kd = CE + α·τ²·KL with options.kd', () => {
    const p = parts('kd');
    close(p.kd, kd);
    close(p.total, ce + kd);
  });

  it('at = CE + KD + β_at·Σ_pairs (pairs of equal size: 4×4 and 2×2)', () => {
    const p = parts('at');
    close(p.feat, refAtLoss(fx.tT, fx.sT, [[0, 0], [1, 2]], opts.at.betaAt));
    close(p.total, ce + kd + p.feat);
  });

  it('afd = CE + KD + β·L_afd, and returns α', () => {
    const p = parts('afd');
    close(p.feat, opts.afd.beta * refAfdLoss(alpha, D));
    close(p.total, ce + kd + opts.afd.beta * refAfdLoss(alpha, D));
    expect(relErr(p.alpha!, alpha.flat(2))).toBeLessThan(1e-4);
  });

  it('rtk = CE + KD + β·L_rtk, with mask and influence', () => {
    const p = parts('rtk');
    const ref = refRtkLoss(alpha, D, z, opts.rtk);
    close(p.total, ce + kd + opts.afd.beta * ref.loss);
    expect(p.mask).toEqual(ref.mask.flat());
    expect(p.mask).toContain(0);
    expect(relErr(p.influence!, ref.influence.flat())).toBeLessThan(1e-4);
  });

  it('rtk warm-up is plain AFD (all keys distilled) while epoch < warmupEpochs', () => {
    const o = { ...opts, rtk: { ...opts.rtk, warmupEpochs: 2 } };
    const warm = parts('rtk', o, 1);
    close(warm.feat, opts.afd.beta * refAfdLoss(alpha, D));
    expect(warm.mask!.every((m) => m === 1)).toBe(true);
    close(parts('rtk', o, 2).feat, opts.afd.beta * refRtkLoss(alpha, D, z, opts.rtk).loss);
  });

  it('names the missing input', () => {
    expect(() => methodLoss('kd', opts, { ...inputs(), teacherLogits: undefined })).toThrow(/teacherLogits/);
    expect(() => methodLoss('rtk', opts, { ...inputs(), attention: undefined })).toThrow(/attention/);
  });

  it('sends no gradient to the teacher, trains student and attention, and leaks nothing', () => {
    const tVars = [tf.variable(tens.teacherLogits, true, 'method-test/tLogits'), ...tens.teacherTaps.map((t, i) => tf.variable(t, true, `method-test/tTap${i}`))];
    const sVar = tf.variable(tens.studentTaps[0], true, 'method-test/sTap0');
    const sLogVar = tf.variable(tens.studentLogits, true, 'method-test/sLogits');
    const before = tf.memory().numTensors;
    for (const method of ['kd', 'at', 'afd', 'rtk'] as const) {
      const { value, grads } = tf.variableGrads(() => methodLoss(method, opts, {
        ...inputs(), teacherLogits: tVars[0] as tf.Tensor2D, teacherTaps: tVars.slice(1) as tf.Tensor4D[],
        studentTaps: [sVar as tf.Tensor4D, ...tens.studentTaps.slice(1)], studentLogits: sLogVar as tf.Tensor2D,
      }).total, [...tVars, sVar, sLogVar, ...att.variables]);
      for (const v of tVars) expect(grads[v.name], `${method}: ${v.name}`).toBeUndefined();
      expect(grads[sLogVar.name]).toBeDefined();
      if (method !== 'kd') expect(grads[sVar.name]).toBeDefined();
      if (method === 'afd' || method === 'rtk') expect(grads[att.variables[0].name]).toBeDefined();
      tf.dispose([value, ...Object.values(grads)]);
    }
    tf.tidy(() => {
      methodLoss('rtk', opts, inputs());
    });
    expect(tf.memory().numTensors).toBe(before);
    tf.dispose([...tVars, sVar, sLogVar]);
  });
});

describe('teacher taps as summaries (a teacher in another worker sends these; teacherTap.ts)', () => {
  it.each(['at', 'afd', 'rtk'] as MethodId[])('%s: the same loss, the same gradients for the student and the attention, as from the taps themselves', (method) => {
    const run = (summaries: boolean) => tf.tidy(() => {
      const teacherTaps = summaries ? tens.teacherTaps.map(summarizeTap) : tens.teacherTaps;
      const f = () => methodLoss(method, opts, { ...inputs(), teacherTaps }).total;
      // AT has no attention module: only its loss and the student's gradients are compared.
      const { value, grads } = method === 'at' ? { value: f(), grads: {} as tf.NamedTensorMap } : tf.variableGrads(f, att.variables);
      // AT reaches only the student taps it pairs with a teacher tap: the gradients are taken for those.
      const used = method === 'at' ? [...new Set(atPairs(fx.tShapes, fx.sShapes).map(([, m]) => m))] : tens.studentTaps.map((_, m) => m);
      const sGrads = tf.grads((...s: tf.Tensor[]) => {
        const studentTaps = tens.studentTaps.map((t, m) => (used.includes(m) ? s[used.indexOf(m)] as tf.Tensor4D : t));
        return methodLoss(method, opts, { ...inputs(), studentTaps, teacherTaps }).total;
      })(used.map((m) => tens.studentTaps[m]));
      return { value: value.dataSync()[0], att: att.variables.map((v) => Array.from(grads[v.name]?.dataSync() ?? [])), student: sGrads.map((g) => Array.from(g.dataSync())) };
    });
    const full = run(false);
    const sum = run(true);
    close(sum.value, full.value);
    expect(full.value).toBeGreaterThan(0);
    const flat = (x: number[][]) => x.flat();
    expect(flat(full.student).some((g) => g !== 0)).toBe(true);
    expect(relErr(flat(sum.student), flat(full.student))).toBeLessThan(1e-4);
    if (method !== 'at') expect(relErr(flat(sum.att), flat(full.att))).toBeLessThan(1e-4);
  });
});
