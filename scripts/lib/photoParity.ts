/**
 * Photo-plan parity for npm run test:py: each student preset at 96 px (the 'photo' stride plan:
 * four stride-2 stages, pooled head) is built in TF.js, its BN statistics moved off their
 * initial values by one training pass on real CIFAR-10 images upscaled to 96 px, saved as the
 * studio saves models, and rebuilt in PyTorch (pytorch-job/tests/tfjs_parity.py), which must give
 * the same logits and taps on those images.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { ARCHS, archPreset, type ArchId } from '../../src/domain';
import { loadDatasetNode } from '../../src/ml/data/loadNode';
import { layersModelFiles } from '../../src/ml/export/pytorchJob';
import { buildModel } from '../../src/ml/models';

export async function photoParityFolders(dataDir: string, out: string, side = 96): Promise<{ arch: ArchId; dir: string; tapShapes: number[][] }[]> {
  const ds = await loadDatasetNode(dataDir, 'cifar10', { trainLimit: 1, testLimit: 8 });
  const n = 8;
  const shape: [number, number, number] = [side, side, 3];
  const x = tf.tidy(() => tf.image.resizeBilinear(tf.tensor4d(Float32Array.from(ds.test.images.subarray(0, n * 32 * 32 * 3), (v) => v / ds.pixelMax), [n, 32, 32, 3]), [side, side], false, true));
  const pixels = Array.from(await x.data());
  const result = [];
  for (const arch of (Object.keys(ARCHS) as ArchId[]).filter((a) => ARCHS[a].role === 'student')) {
    const spec = archPreset(arch, shape);
    const tm = buildModel(spec, shape, 10, 5);
    tf.tidy(() => { tm.apply(x, true); });
    const { logits, taps } = tm.apply(x, false);
    const golden = { spec, inputShape: shape, numClasses: 10, shape: [n, ...shape], pixels, logits: Array.from(await logits.data()), taps: await Promise.all(taps.map(async (t) => Array.from(await t.data()))) };
    tf.dispose([logits, ...taps]);
    const dir = path.join(out, `photo-${arch}`);
    mkdirSync(dir, { recursive: true });
    const files = await layersModelFiles(tm.model);
    writeFileSync(path.join(dir, 'model.json'), files['model.json']);
    writeFileSync(path.join(dir, 'weights.bin'), files['weights.bin']);
    writeFileSync(path.join(dir, 'golden.json'), JSON.stringify(golden));
    result.push({ arch, dir, tapShapes: tm.tapShapes });
    tm.model.dispose();
  }
  x.dispose();
  return result;
}
