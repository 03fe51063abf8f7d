/**
 * Trains the shipped teacher for a built-in dataset with a fixed seed, using the studio's own
 * trainer (the teacher is trained "alone", as a student would be), on the wasm backend in Node.
 * Writes public/teachers/<dataset>/{model.json, weights.bin, card.json}.
 *
 *   npm run train:teacher -- --dataset mnist [--epochs 6] [--lr 0.003] [--batch 128] [--seed 42]
 *                            [--data public/datasets] [--backend wasm] [--out public/teachers/<dataset>]
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import type { BackendPreference, DatasetId, TrainConfig } from '../src/domain';
import { DATASETS, DEFAULT_CONFIG, DEFAULT_TEACHER } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { TrainerRun } from '../src/worker/trainer';
import { nodeEnv } from './lib/nodeEnv';

function arg(name: string, dflt: string): string {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 && process.argv[i + 1] ? process.argv[i + 1] : dflt;
}

/** Recipes per dataset: the numbers the card records. */
const RECIPES: Record<string, { epochs: number; lr: number }> = {
  mnist: { epochs: 6, lr: 0.003 },
  'fashion-mnist': { epochs: 12, lr: 0.003 },
  cifar10: { epochs: 15, lr: 0.003 },
};

async function main(): Promise<void> {
  const dataset = arg('dataset', 'mnist') as DatasetId;
  if (!(dataset in DATASETS)) throw new Error(`Unknown dataset "${dataset}". Use one of: ${Object.keys(DATASETS).join(', ')}.`);
  const recipe = RECIPES[dataset] ?? { epochs: 6, lr: 0.003 };
  const config: TrainConfig = {
    ...DEFAULT_CONFIG,
    dataset,
    method: 'student-alone',
    student: DEFAULT_TEACHER,
    teacher: DEFAULT_TEACHER,
    epochs: Number(arg('epochs', String(recipe.epochs))),
    learningRate: Number(arg('lr', String(recipe.lr))),
    batchSize: Number(arg('batch', '128')),
    seed: Number(arg('seed', '42')),
    trainLimit: Number(arg('trainLimit', '0')),
    valFraction: 0.1,
    lrSchedule: 'cosine',
  };
  const info = await initBackend(arg('backend', 'wasm') as BackendPreference, {});
  console.log(`backend ${info.backend} (${info.adapter ?? 'no adapter'})`);
  const outDir = path.resolve(arg('out', path.join('public', 'teachers', dataset)));
  const t0 = Date.now();
  let last = 0;
  const run = new TrainerRun(`teacher-${dataset}`, config, nodeEnv({
    dataDir: path.resolve(arg('data', 'public/datasets')),
    emit: (e) => {
      if (e.type === 'progress' && Date.now() - last > 10_000) {
        last = Date.now();
        const r = e.report;
        console.log(`epoch ${r.epoch + 1} step ${r.step}/${r.totalSteps} loss ${r.loss.total.toFixed(4)} ${Math.round(r.samplesPerSec)} samples/s`);
      } else if (e.type === 'eval') {
        console.log(`${e.report.split} accuracy after epoch ${e.report.epoch + 1}: ${(e.report.accuracy * 100).toFixed(2)}%`);
      } else if (e.type === 'error') {
        console.error(e.message);
      }
    },
    onTrained: async (session) => {
      mkdirSync(outDir, { recursive: true });
      await session.student.model.save(tf.io.withSaveHandler(async (art) => {
        const weightsManifest = [{ paths: ['weights.bin'], weights: art.weightSpecs ?? [] }];
        const json = { modelTopology: art.modelTopology, format: art.format, generatedBy: art.generatedBy, convertedBy: art.convertedBy,
          userDefinedMetadata: art.userDefinedMetadata, weightsManifest };
        writeFileSync(path.join(outDir, 'model.json'), JSON.stringify(json));
        writeFileSync(path.join(outDir, 'weights.bin'), Buffer.from(art.weightData as ArrayBuffer));
        return { modelArtifactsInfo: { dateSaved: new Date(), modelTopologyType: 'JSON' } };
      }));
    },
  }));
  const result = await run.run();
  if (!result) throw new Error('Teacher training did not finish.');
  const card = {
    dataset,
    spec: config.student,
    testAccuracy: result.testAccuracy,
    valAccuracy: result.valAccuracy,
    perClassAccuracy: result.test.perClassAccuracy,
    costs: result.studentCosts,
    recipe: { epochs: config.epochs, batchSize: config.batchSize, learningRate: config.learningRate, lrSchedule: config.lrSchedule,
      optimizer: 'adam', seed: config.seed, valFraction: config.valFraction, trainImages: config.trainLimit || 'all' },
    trainedOn: { backend: info.backend, adapter: info.adapter, cpu: os.cpus()[0]?.model, cores: os.cpus().length, node: process.version },
    wallSeconds: (Date.now() - t0) / 1000,
    trainedAt: new Date().toISOString(),
    command: `npm run train:teacher -- ${process.argv.slice(2).filter((a, i, all) => a !== '--out' && all[i - 1] !== '--out').join(' ')}`,
  };
  writeFileSync(path.join(outDir, 'card.json'), JSON.stringify(card, null, 2) + '\n');
  console.log(`test accuracy ${(result.testAccuracy * 100).toFixed(2)}% in ${card.wallSeconds.toFixed(0)} s → ${path.relative(process.cwd(), outDir)}`);
}

main().catch((err) => {
  console.error(err instanceof Error ? err.message : err);
  process.exit(1);
});
