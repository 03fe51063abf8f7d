import { describe, expect, it } from 'vitest';
import { DEFAULT_CONFIG, type MethodId, type RunResult } from '../domain';
import { costKey } from '../state/selectors';
import { newRunRecord, type RunRecord, type TeacherCardState } from '../state/store';
import { accuracySeries, lossSeries } from './charts/series';
import { pilotCardModel } from './pilotCardModel';

const costs = (params: number) => ({ params, flopsPerImage: params * 10, bytes: { fp32: params * 4, fp16: params * 2, int8: params } });
const lat = (ms: number) => ({ backend: 'wasm' as const, medianMs: ms, p95Ms: ms * 1.5, runs: 20, batchSize: 1 as const });

function run(method: MethodId, seed: number, acc: number): RunRecord {
  const r = newRunRecord(`${method}-${seed}`, { ...DEFAULT_CONFIG, method, seed });
  return { ...r, state: 'done', result: { testAccuracy: acc, studentCosts: costs(10_000) } as RunResult };
}

const teacher: TeacherCardState = { status: 'ok', card: { dataset: 'mnist', spec: DEFAULT_CONFIG.teacher, testAccuracy: 0.99, costs: costs(140_000), recipe: {}, trainedOn: {} } };

describe('pilot card model', () => {
  it('fills teacher, student alone and distilled rows, a verdict and the sentence', () => {
    const runs = [run('student-alone', 1, 0.97), run('rtk', 1, 0.986)];
    const c = {
      [costKey('mnist', DEFAULT_CONFIG.teacher, true)]: { costs: costs(140_000), latency: lat(6) },
      [costKey('mnist', DEFAULT_CONFIG.student, true)]: { costs: costs(10_000), latency: lat(1) },
    };
    const m = pilotCardModel(DEFAULT_CONFIG, runs, teacher, c);
    expect(m.rows.map((r) => r.key)).toEqual(['teacher', 'student-alone', 'rtk']);
    expect(m.rows[2].costs?.params).toBe(10_000);
    expect(m.verdict?.kind).toBe('better');
    expect(m.verdict?.single).toBe(true);
    expect(m.sentence).toBe('Against the teacher, the student is 14× smaller and 6.0× faster here, and loses 0.4 points.');
  });

  it('has no verdict or sentence before runs, and no teacher numbers without a card', () => {
    const m = pilotCardModel(DEFAULT_CONFIG, [], { status: 'missing', message: 'no teacher' }, {});
    expect(m.verdict).toBeNull();
    expect(m.sentence).toBeNull();
    expect(m.rows[0].accuracy).toBeNull();
  });

  it('chart series: colour per method, unused loss terms left out, validation per epoch', () => {
    const r = run('student-alone', 1, 0.9);
    r.progress = { epoch: 0, step: 10, stepsPerEpoch: 10, totalSteps: 20, elapsedMs: 1, samplesPerSec: 1, loss: { total: 1, ce: 1, kd: 0, feat: 0 }, trainAccuracy: 0.5 };
    r.curve = [{ step: 5, total: 1, ce: 1, kd: 0, feat: 0, trainAccuracy: 0.4 }, { step: 10, total: 0.5, ce: 0.5, kd: 0, feat: 0, trainAccuracy: 0.6 }];
    r.evals = [{ epoch: 0, split: 'val', accuracy: 0.7, perClassAccuracy: [], confusion: [], numClasses: 10, keys: null }];
    expect(lossSeries([r]).map((s) => s.id)).toEqual(['student-alone-1-total', 'student-alone-1-ce']);
    const acc = accuracySeries([r]);
    expect(acc[0].points).toEqual([{ x: 0.5, y: 0.4 }, { x: 1, y: 0.6 }]);
    expect(acc[1].points).toEqual([{ x: 1, y: 0.7 }]);
  });
});
