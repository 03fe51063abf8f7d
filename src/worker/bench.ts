/**
 * In-worker speed benchmark: real data batches through the real DistillSession step, for the
 * student alone and for a full RTK step (teacher forward, student, attention loss, optimiser),
 * plus the change in tf.memory().numTensors over many steps.
 */
import * as tf from '@tensorflow/tfjs';
import type { BenchFigures, BenchSpeedRequest, TrainConfig } from '../domain';
import { buildModel } from '../ml/models';
import { modelCosts } from '../ml/models/costs';
import { disposeFrozen } from '../ml/models/frozen';
import { fillBatch } from '../ml/data/batches';
import { DistillSession } from '../ml/train/session';
import type { Dataset } from '../ml/types';

function timeSteps(session: DistillSession, ds: Dataset, B: number, steps: number, offset: number): number {
  const [h, w, c] = ds.shape;
  const order = Int32Array.from({ length: ds.train.count }, (_, i) => i);
  const xBuf = new Float32Array(B * h * w * c);
  const yBuf = new Int32Array(B);
  const perEpoch = Math.floor(ds.train.count / B);
  const t0 = performance.now();
  for (let s = 0; s < steps; s++) {
    fillBatch(ds.train, order, ((offset + s) % perEpoch) * B, B, ds.pixelMax, xBuf, yBuf);
    const x = tf.tensor4d(xBuf, [B, h, w, c]);
    const y = tf.tensor1d(yBuf, 'int32');
    const stats = session.trainStep(x, y, 0);
    // One readback per step: the figure includes the device sync a real run pays when it reports.
    if (s === steps - 1) stats.total.dataSync();
    tf.dispose([x, y, ...Object.values(stats)]);
  }
  return performance.now() - t0;
}

/** Samples per second of `steps` steps after `warmup` steps, for one method. */
function measure(config: TrainConfig, ds: Dataset, method: TrainConfig['method'], req: BenchSpeedRequest): { samplesPerSec: number; session: DistillSession } {
  const cfg: TrainConfig = { ...config, method };
  const student = buildModel(cfg.student, ds.shape, ds.numClasses, cfg.seed);
  const teacher = method === 'student-alone' ? null : buildModel(cfg.teacher, ds.shape, ds.numClasses, cfg.seed + 1);
  const session = new DistillSession(cfg, student, teacher);
  timeSteps(session, ds, cfg.batchSize, req.warmupSteps, 0);
  const ms = timeSteps(session, ds, cfg.batchSize, req.steps, req.warmupSteps);
  return { samplesPerSec: (req.steps * cfg.batchSize) / (ms / 1000), session };
}

export function benchSpeed(req: BenchSpeedRequest, ds: Dataset): BenchFigures {
  const { config } = req;
  const alone = measure(config, ds, 'student-alone', req);
  const studentFlops = modelCosts(alone.session.student).flopsPerImage;
  const studentParams = modelCosts(alone.session.student).params;
  alone.session.dispose();
  const rtk = measure(config, ds, 'rtk', req);
  const teacherFlops = modelCosts(rtk.session.teacher!).flopsPerImage;
  const teacherParams = modelCosts(rtk.session.teacher!).params;
  // Leak check: numTensors after warm-up vs after driftSteps more full RTK steps.
  const before = tf.memory().numTensors;
  timeSteps(rtk.session, ds, config.batchSize, req.driftSteps, 0);
  const drift = tf.memory().numTensors - before;
  disposeFrozen(rtk.session.teacher!.model);
  rtk.session.teacher!.model.dispose();
  rtk.session.dispose();
  return {
    backend: tf.getBackend(),
    batchSize: config.batchSize,
    studentSamplesPerSec: Math.round(alone.samplesPerSec),
    rtkStepSamplesPerSec: Math.round(rtk.samplesPerSec),
    numTensorsDrift: drift,
    driftSteps: req.driftSteps,
    measuredSteps: req.steps,
    warmupSteps: req.warmupSteps,
    teacherFlops,
    studentFlops,
    teacherParams,
    studentParams,
    teacher: `${config.teacher.arch} w${config.teacher.width} d${config.teacher.depth}`,
    student: `${config.student.arch} w${config.student.width} d${config.student.depth}`,
    dataset: config.dataset,
  };
}
