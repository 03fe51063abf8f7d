import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { ARCHS, type ArchId } from '../../domain';
import { buildModel, tappedFromLayersModel } from './index';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const ARCH_IDS = Object.keys(ARCHS) as ArchId[];
const spec = (arch: ArchId) => ({ arch, width: ARCHS[arch].defaultWidth, depth: ARCHS[arch].defaultDepth });

function weightsOf(m: tf.LayersModel): Float32Array[] {
  return m.getWeights().map((w) => w.dataSync() as Float32Array);
}

describe.each(ARCH_IDS)('%s', (arch) => {
  it('same seed gives identical weights, a different seed different ones', () => {
    const a = buildModel(spec(arch), [8, 8, 1], 10, 7);
    const b = buildModel(spec(arch), [8, 8, 1], 10, 7);
    const c = buildModel(spec(arch), [8, 8, 1], 10, 8);
    const [wa, wb, wc] = [a, b, c].map((m) => weightsOf(m.model));
    expect(wa.length).toBe(wb.length);
    wa.forEach((w, i) => expect(Array.from(w)).toEqual(Array.from(wb[i])));
    // Every kernel (rank ≥ 2) differs between seeds; BN γ/β and biases start equal by design.
    const kernels = a.model.getWeights().map((w, i) => (w.rank >= 2 ? i : -1)).filter((i) => i >= 0);
    expect(kernels.length).toBeGreaterThan(3);
    for (const i of kernels) expect(Array.from(wa[i])).not.toEqual(Array.from(wc[i]));
    // Two layers of one model never share an initial kernel.
    expect(Array.from(wa[kernels[0]].slice(0, 4))).not.toEqual(Array.from(wa[kernels[1]].slice(0, 4)));
    [a, b, c].forEach((m) => m.model.dispose());
  });

  it('save/load round trip through tf.io gives identical logits and taps', async () => {
    const tm = buildModel(spec(arch), [8, 8, 1], 10, 3);
    const x = tf.randomUniform([4, 8, 8, 1], 0, 1, 'float32', 5) as tf.Tensor4D;
    // One training-mode pass moves the BN statistics away from their init, so they are tested too.
    tf.tidy(() => { tm.apply(x, true); });
    let artifacts: tf.io.ModelArtifacts | undefined;
    await tm.model.save(tf.io.withSaveHandler(async (a) => {
      artifacts = a;
      return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
    }));
    const loaded = tappedFromLayersModel(await tf.loadLayersModel(tf.io.fromMemory(artifacts!)));
    expect(loaded.spec).toEqual(tm.spec);
    expect(loaded.tapNames).toEqual(tm.tapNames);
    expect(loaded.tapShapes).toEqual(tm.tapShapes);
    expect(loaded.numClasses).toBe(10);
    const run = (m: typeof tm) => tf.tidy(() => {
      const { logits, taps } = m.apply(x, false);
      return [logits, ...taps].map((t) => Array.from(t.dataSync()));
    });
    expect(run(loaded)).toEqual(run(tm));
    x.dispose();
    tm.model.dispose();
    loaded.model.dispose();
  });
});

describe('tappedFromLayersModel', () => {
  it('asks for a spec when the model carries no metadata', () => {
    const input = tf.input({ shape: [4] });
    const m = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 2 }).apply(input) as tf.SymbolicTensor });
    expect(() => tappedFromLayersModel(m)).toThrow(/pass its ModelSpec/);
    m.dispose();
  });
});
