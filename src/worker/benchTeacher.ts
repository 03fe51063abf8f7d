/**
 * In-worker benchmark of an imported teacher (`npm run bench:teacher`): its forward pass with
 * taps as bare runtime runs inside the teacher worker (onnxruntime-web, wasm), the same through
 * the teacher seam as training sees it (transfer, layout, scaling), and full RTK steps with it.
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchFigures, TrainConfig } from '../domain';
import { datasetInfo } from '../domain';
import { fillBatch } from '../ml/data/batches';
import { teacherForward } from '../ml/teacher/forward';
import type { Dataset } from '../ml/types';
import { measure } from './bench';
import type { TeacherConnection } from './teacherClient';
import { importedTeacher } from './teacherImport';

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

export async function benchTeacher(config: TrainConfig, ds: Dataset, runs: number, steps: number): Promise<BenchFigures> {
  const choice = config.importedTeacher;
  if (!choice) throw new Error('bench-teacher needs an imported teacher (config.importedTeacher).');
  const teacher = await importedTeacher(choice, datasetInfo(config.dataset));
  const B = config.batchSize;
  const figures: BenchFigures = { batchSize: B, taps: teacher.tapNames.join(', '), backend: tf.getBackend() };
  const remote = teacher.remote as TeacherConnection | undefined;
  if (remote?.bench) {
    await remote.bench(B, 5);
    const ms = await remote.bench(B, runs);
    figures.browserImagesPerSec = Math.round(B / (median(ms) / 1000));
    figures.browserMedianMsPerBatch = Number(median(ms).toFixed(2));
  }
  // Through the seam: real images in (NHWC), logits and tap summaries out, as the training worker receives them.
  const [h, w, c] = ds.shape;
  const x = new Float32Array(B * h * w * c);
  const y = new Int32Array(B);
  const idx = Int32Array.from({ length: ds.train.count }, (_, i) => i);
  const seam: number[] = [];
  for (let i = 0; i < runs + 3; i++) {
    fillBatch(ds.train, idx, (i * B) % (ds.train.count - B), B, ds.pixelMax, x, y);
    const xt = tf.tensor4d(x, [B, h, w, c]);
    const t0 = performance.now();
    const out = await teacherForward(teacher, xt);
    await out.logits.data();
    if (i >= 3) seam.push(performance.now() - t0);
    tf.dispose([xt, out.logits, ...out.taps]);
  }
  figures.seamImagesPerSec = Math.round(B / (median(seam) / 1000));
  const rtk = await measure(config, ds, 'rtk', { warmupSteps: 10, steps }, teacher);
  figures.rtkStepSamplesPerSec = Math.round(rtk.samplesPerSec);
  figures.teacherFeed = rtk.prefetch?.failure ?? rtk.feedNote;
  figures.steps = steps;
  rtk.prefetch?.clear();
  rtk.session.dispose();
  return figures;
}
