/**
 * The "PyTorch DDP job" export target (DESIGN.md seam): reads a finished run's configuration and
 * writes one folder that trains the same experiment with torchrun, without the studio.
 *
 *   train.py, rtk_job/*.py, test_parity.py, README.md   the job's sources (given by the caller)
 *   config.json          the pilot's whole configuration, presets "pilot" and "full-run"
 *   teacher/             the teacher as TF.js Layers files; rtk_job/tfjs_io.py converts them
 *                        (NHWC→NCHW, HWIO→OIHW, TF "same" padding, BN ε/momentum, flatten order)
 *   student_init/        the student's seeded initial weights (the browser run's start)
 *   attention_init.*     the attention module's initial weights (FeatureAttention.weightNames)
 *   golden.json          one fixed batch as the studio computes it (golden.ts)
 */
import * as tf from '@tensorflow/tfjs';
import type { ModelSpec, TrainConfig } from '../../domain';
import { ARCHS, datasetInfo } from '../../domain';
import { FeatureAttention } from '../losses/attention';
import { ARCH_DEFS, buildModel } from '../models';
import { modelCosts } from '../models/costs';
import type { Dataset, TappedModel } from '../types';
import { computeGolden } from './golden';

export type JobFiles = Record<string, Uint8Array>;

const KNOWN_LAYERS = new Set(['InputLayer', 'Conv2D', 'DepthwiseConv2D', 'BatchNormalization', 'ReLU', 'Add', 'Flatten', 'GlobalAveragePooling2D', 'Dense']);
const GOLDEN_BATCH = 8;
const enc = new TextEncoder();

/** The AFD paper's CIFAR recipe: SGD 0.05, momentum 0.9, weight decay 5e-4, 240 epochs, ×0.1 at 150/180/210. */
export const FULL_RUN_PRESET = {
  epochs: 240, batchSize: 64, trainLimit: 0, testLimit: 0, valFraction: 0.1,
  optimizer: { name: 'sgd', lr: 0.05, momentum: 0.9, weightDecay: 5e-4, nesterov: false },
  schedule: { name: 'multistep', milestones: [150, 180, 210], gamma: 0.1 }, augment: 'crop-flip',
  note: "AFD (Ji et al. 2021) / CRD CIFAR recipe: 240 epochs of SGD; a GPU budget.",
};

/** Throws a clear error when a teacher is not one the PyTorch job can rebuild. */
export function checkExportableTeacher(teacher: TappedModel, spec: ModelSpec | null): void {
  const arch = teacher.spec?.arch ?? spec?.arch;
  const odd = teacher.model.layers.map((l) => l.getClassName()).filter((c) => !KNOWN_LAYERS.has(c));
  if (!arch || !(arch in ARCH_DEFS) || ARCHS[arch].role !== 'teacher' || odd.length) {
    throw new Error(`This teacher cannot be exported to PyTorch yet: the job rebuilds only the studio's own teacher architectures (${Object.keys(ARCH_DEFS).filter((a) => ARCHS[a as keyof typeof ARCHS].role === 'teacher').join(', ')})` +
      `${odd.length ? `, and this one has ${[...new Set(odd)].join(', ')} layers` : ''}. An imported ONNX or custom teacher is not supported by the export yet; use the shipped teacher.`);
  }
}

/** model.json (with weights.bin) and weights.bin of a layers model, as tf.loadLayersModel reads them. */
export async function layersModelFiles(model: tf.LayersModel): Promise<{ 'model.json': Uint8Array; 'weights.bin': Uint8Array }> {
  let files: { 'model.json': Uint8Array; 'weights.bin': Uint8Array } | null = null;
  await model.save(tf.io.withSaveHandler(async (art) => {
    const json = {
      format: art.format, generatedBy: art.generatedBy, convertedBy: art.convertedBy ?? null,
      modelTopology: art.modelTopology, userDefinedMetadata: art.userDefinedMetadata,
      weightsManifest: [{ paths: ['weights.bin'], weights: art.weightSpecs ?? [] }],
    };
    files = { 'model.json': enc.encode(JSON.stringify(json)), 'weights.bin': new Uint8Array(art.weightData as ArrayBuffer) };
    return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
  }));
  return files!;
}

function attentionFiles(a: FeatureAttention): { json: Uint8Array; bin: Uint8Array } {
  const weights = a.getWeights();
  const layers = [...a.query, ...a.key, a.bilinear];
  const shapes: number[][] = [
    ...layers.flatMap((l) => [[l.inDim, l.outDim], [l.outDim], [l.outDim]]), [a.T, a.d], [a.S, a.d],
    ...layers.flatMap((l) => [[l.outDim], [l.outDim]]),
  ];
  const total = weights.reduce((n, w) => n + w.length, 0);
  const bin = new Float32Array(total);
  let off = 0;
  for (const w of weights) { bin.set(w, off); off += w.length; }
  const json = { weights: a.weightNames.map((name, i) => ({ name, shape: shapes[i], dtype: 'float32' })) };
  return { json: enc.encode(JSON.stringify(json)), bin: new Uint8Array(bin.buffer) };
}

export interface JobInput {
  config: TrainConfig;
  ds: Dataset;
  teacher: TappedModel;
  /** The job's sources, path → text (pytorch-job/ of the studio). */
  sources: Record<string, string>;
  /** Where the job finds the datasets (the studio's public/datasets format). */
  dataRoot: string;
}

export async function buildPytorchJob({ config, ds, teacher, sources, dataRoot }: JobInput): Promise<JobFiles> {
  checkExportableTeacher(teacher, config.teacher);
  const files: JobFiles = {};
  for (const [p, text] of Object.entries(sources)) files[p] = enc.encode(text);
  const student = buildModel(config.student, ds.shape, ds.numClasses, config.seed);
  const attention = new FeatureAttention(teacher.tapShapes, student.tapShapes, config.options.afd.attnDim, config.seed + 7);
  try {
    const S = student.tapShapes.length;
    const k = Math.min(config.options.rtk.k, Math.max(1, S - 1)) || (S <= 3 ? 1 : 2);
    const options = { ...config.options, rtk: { ...config.options.rtk, k } };
    for (const [name, bytes] of Object.entries(await layersModelFiles(teacher.model))) files[`teacher/${name}`] = bytes;
    for (const [name, bytes] of Object.entries(await layersModelFiles(student.model))) files[`student_init/${name}`] = bytes;
    const att = attentionFiles(attention);
    files['attention_init.json'] = att.json;
    files['attention_init.bin'] = att.bin;
    const [h, w, c] = ds.shape;
    const n = Math.min(GOLDEN_BATCH, ds.train.count);
    const size = h * w * c;
    const golden = await computeGolden(teacher, student, attention, options, {
      indices: Array.from({ length: n }, (_, i) => i), pixels: ds.train.images.slice(0, n * size),
      labels: Int32Array.from(ds.train.labels.subarray(0, n)), pixelMax: ds.pixelMax,
    });
    files['golden.json'] = enc.encode(JSON.stringify(golden));
    const info = datasetInfo(config.dataset);
    const jobConfig = {
      kind: 'rtk-pytorch-job', version: 1, exportedAt: new Date().toISOString(),
      dataset: config.dataset, inputShape: ds.shape, numClasses: ds.numClasses, classNames: ds.classNames, pixelMax: ds.pixelMax,
      data: { format: 'studio', root: dataRoot },
      teacher: { spec: teacher.spec, dir: 'teacher', tapNames: teacher.tapNames },
      student: config.student, studentTapNames: student.tapNames, studentInit: 'student_init',
      attentionInit: { json: 'attention_init.json', bin: 'attention_init.bin' },
      method: config.method, options, seed: config.seed, keyStatsLimit: 2000,
      output: { probabilities: false },
      preset: 'pilot',
      presets: {
        pilot: {
          epochs: config.epochs, batchSize: config.batchSize, trainLimit: config.trainLimit, testLimit: config.testLimit, valFraction: config.valFraction,
          optimizer: config.optimizer === 'sgd'
            ? { name: 'sgd', lr: config.learningRate, momentum: config.momentum, weightDecay: config.weightDecay, nesterov: false }
            : { name: 'adam', lr: config.learningRate, betas: [0.9, 0.999], eps: 1e-7 },
          schedule: config.lrSchedule, augment: config.augment ?? 'none',
          note: `The browser pilot as configured (${info.label}).`,
        },
        'full-run': FULL_RUN_PRESET,
      },
      studentCosts: modelCosts(student),
      studioConfig: config,
    };
    files['config.json'] = enc.encode(JSON.stringify(jobConfig, null, 1));
    return files;
  } finally {
    attention.dispose();
    student.model.dispose();
  }
}
