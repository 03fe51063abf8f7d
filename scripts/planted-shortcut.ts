/**
 * Can the bias check see a shortcut? (issue "Key selection that means something", scope 5.)
 * Builds CIFAR-10 with a planted shortcut from real images: every training image of one class
 * carries a small bright patch in its top-left corner; the test images do not. Trains a teacher
 * (the shipped teacher's architecture) on it, distils the default student with RTK on the same
 * images, and reports what the bias check says for that class and for the others:
 *   - on the clean test images (what the studio shows: the shortcut is absent there);
 *   - on held-out training images that carry the patch like the training set (where the
 *     teacher's shortcut is present).
 * The same protocol without the patch is the control (no class should be flagged).
 *
 *   npx tsx scripts/planted-shortcut.ts [--class 2] [--teacherEpochs 3] [--trainLimit 20000] [--out bench/results]
 *
 * Writes <out>/planted-shortcut.{json,md}.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { ClassCheck, KeyStats, TrainConfig } from '../src/domain';
import { biasCheck, DEFAULT_CONFIG, DEFAULT_TEACHER, selectKeys } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import { loadDatasetNode } from '../src/ml/data/loadNode';
import { evaluate } from '../src/ml/train/evaluate';
import { buildModel } from '../src/ml/models/tapped';
import type { Dataset, Split, TappedModel } from '../src/ml/types';
import { TrainerRun, type TrainerEnv } from '../src/worker/trainer';
import { nodeEnv } from './lib/nodeEnv';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const CLASS = Number(arg('class', '2'));
const TEACHER_EPOCHS = Number(arg('teacherEpochs', '3'));
const TRAIN_LIMIT = Number(arg('trainLimit', '20000'));
const OUT = path.resolve(arg('out', 'bench/results'));
/** Held-out training images (after TRAIN_LIMIT) used for the patched check. */
const HELD = 2000;
const PATCH = 5;

/** Paints a PATCH×PATCH white square at the top-left of every image of class `cls` in `split`. */
function plant(split: Split, shape: [number, number, number], cls: number): number {
  const [h, w, c] = shape;
  let n = 0;
  for (let i = 0; i < split.count; i++) {
    if (split.labels[i] !== cls) continue;
    n++;
    for (let y = 0; y < PATCH; y++) for (let x = 0; x < PATCH; x++) for (let ch = 0; ch < c; ch++) split.images[i * h * w * c + (y * w + x) * c + ch] = 255;
  }
  return n;
}

function envFor(ds: Dataset, teacher: TappedModel | null, emit: TrainerEnv['emit'], onTrained: TrainerEnv['onTrained']): TrainerEnv {
  return { ...nodeEnv({ dataDir: '', emit }), loadData: async () => ds, loadTeacher: async () => teacher, onTrained };
}

function checkOf(keys: KeyStats): ClassCheck[] {
  const rule = keys.importance ?? 'keys';
  const m = rule === 'keys' ? keys.competition! : keys.attention;
  const sel = selectKeys(m, keys.T, keys.S, keys.k, 'mean');
  return biasCheck({ T: keys.T, S: keys.S, k: keys.k, threshold: 'mean', perClass: rule === 'keys' ? keys.competitionPerClass! : keys.attentionPerClass,
    classCount: keys.classCount!, overallKept: sel.kept, nullMeans: keys.classNull?.[rule], R: keys.classNull?.R ?? 0 });
}

async function experiment(planted: boolean) {
  const full = await loadDatasetNode(path.resolve('public/datasets'), 'cifar10', {});
  const patched = planted ? plant(full.train, full.shape, CLASS) : 0;
  const train: Dataset = { ...full, train: { images: full.train.images.subarray(0, TRAIN_LIMIT * 3072), labels: full.train.labels.subarray(0, TRAIN_LIMIT), count: TRAIN_LIMIT } };
  const log = (e: Parameters<TrainerEnv['emit']>[0]) => {
    if (e.type === 'eval' && e.report.split !== 'sample') console.log(`  ${e.report.split} accuracy after epoch ${e.report.epoch + 1}: ${(e.report.accuracy * 100).toFixed(2)} %`);
    if (e.type === 'error') console.error(e.message);
  };
  // 1. The teacher, trained on the (patched) images.
  let teacher: TappedModel | null = null;
  const tConfig: TrainConfig = { ...DEFAULT_CONFIG, dataset: 'cifar10', method: 'student-alone', student: DEFAULT_TEACHER, teacher: DEFAULT_TEACHER,
    epochs: TEACHER_EPOCHS, learningRate: 0.003, batchSize: 128, seed: 42, trainLimit: 0, testLimit: 0, backend: 'wasm' };
  console.log(`${planted ? 'planted' : 'control'}: teacher on ${TRAIN_LIMIT} images${planted ? `, ${patched} of all training images of class ${CLASS} patched` : ''}`);
  const t0 = performance.now();
  // The run disposes its model when it ends: keep a copy of the trained weights in a fresh model.
  const tr = await new TrainerRun('teacher', tConfig, envFor(train, null, log, (s) => {
    const copy = buildModel(DEFAULT_TEACHER, full.shape, full.numClasses, 42);
    copy.model.setWeights(s.student.model.getWeights().map((w) => w.clone()));
    teacher = copy;
  })).run();
  if (!tr || !teacher) throw new Error('teacher training failed');
  const teacherSeconds = (performance.now() - t0) / 1000;
  // 2. RTK with the default student on the same images; the bias check on clean test images and on patched held-out ones.
  let testKeys: KeyStats | null = null;
  let heldKeys: KeyStats | null = null;
  const sConfig: TrainConfig = { ...DEFAULT_CONFIG, dataset: 'cifar10', method: 'rtk', trainLimit: 0, testLimit: 0, epochs: 1, seed: 1, backend: 'wasm' };
  const rtk = await new TrainerRun('rtk', sConfig, envFor(train, teacher, (e) => {
    log(e);
    if (e.type === 'eval' && e.report.split === 'test' && e.report.keys) testKeys = e.report.keys;
  }, async (session) => {
    const idx = Int32Array.from({ length: HELD }, (_, i) => TRAIN_LIMIT + i);
    heldKeys = (await evaluate(session, full, full.train, idx, { epoch: 0, splitName: 'test', batchSize: 250, keyStatsLimit: HELD })).keys;
  })).run();
  if (!rtk || !testKeys || !heldKeys) throw new Error('RTK run failed');
  const name = (c: number) => full.classNames[c];
  const rows = (checks: ClassCheck[]) => checks.map((r) => ({ cls: name(r.cls), images: r.images, distance: r.distance, pValue: r.pValue, verdict: r.verdict, kept: r.kept }));
  return {
    planted, teacherTestAccuracy: tr.testAccuracy, teacherPerClass: tr.test.perClassAccuracy, teacherSeconds, rtkTestAccuracy: rtk.testAccuracy,
    overallKeptTest: selectKeys((testKeys as KeyStats).competition!, (testKeys as KeyStats).T, (testKeys as KeyStats).S, (testKeys as KeyStats).k, 'mean').kept,
    teacherTaps: (testKeys as KeyStats).teacherTaps,
    cleanTest: rows(checkOf(testKeys)), patchedHeldOut: rows(checkOf(heldKeys)),
  };
}

async function main() {
  await initBackend('wasm', {});
  mkdirSync(OUT, { recursive: true });
  const results = [];
  for (const planted of [true, false]) {
    results.push(await experiment(planted));
    writeFileSync(path.join(OUT, 'planted-shortcut.json'), JSON.stringify({ machine: `${os.cpus()[0]?.model}, ${os.cpus().length} cores`, class: CLASS, patch: PATCH, trainLimit: TRAIN_LIMIT, teacherEpochs: TEACHER_EPOCHS, results }, null, 1));
  }
  const md = [
    '# Can the bias check see a planted shortcut?',
    '',
    `Written by \`npx tsx scripts/planted-shortcut.ts\` (Node, TF.js wasm) on ${os.cpus()[0]?.model}, ${os.cpus().length} cores, ${new Date().toISOString().slice(0, 10)}.`,
    `CIFAR-10, first ${TRAIN_LIMIT} training images. Planted: every training image of class ${CLASS} (${results[0].teacherTaps ? '' : ''}${'“'}${['airplane', 'automobile', 'bird', 'cat', 'deer', 'dog', 'frog', 'horse', 'ship', 'truck'][CLASS]}”) ` +
      `carries a ${PATCH}×${PATCH} white patch in its top-left corner; the test images do not. A teacher of the shipped architecture (resnet-t1, width 12, depth 2) is trained on it for ${TEACHER_EPOCHS} epochs ` +
      `(Adam 0.003, cosine, batch 128, seed 42), then the default student is distilled with RTK (keys compete, k = ${DEFAULT_CONFIG.options.rtk.k}, mean threshold) for one epoch on the same images. ` +
      `The bias check runs on the 2,000 clean test images the studio uses, and on ${HELD} held-out training images that carry the patch like the training set. Control: the same without the patch.`,
    '',
  ];
  for (const r of results) {
    md.push(`## ${r.planted ? 'Planted shortcut' : 'Control (no patch)'}`, '',
      `Teacher test accuracy ${(r.teacherTestAccuracy * 100).toFixed(2)} % (class ${CLASS}: ${(r.teacherPerClass[CLASS] * 100).toFixed(1)} %), trained in ${r.teacherSeconds.toFixed(0)} s; RTK student ${(r.rtkTestAccuracy * 100).toFixed(2)} %.`, '',
      '| class | clean test: images | distance | chance | verdict | patched held-out: images | distance | chance | verdict |', '|---|---|---|---|---|---|---|---|---|');
    r.cleanTest.forEach((c, i) => {
      const h = r.patchedHeldOut[i];
      const p = (v: number | null) => (v === null || v >= 1 ? '–' : `${(v * 100).toFixed(1)} %`);
      md.push(`| ${c.cls} | ${c.images} | ${c.distance.toFixed(2)} | ${p(c.pValue)} | ${c.verdict} | ${h.images} | ${h.distance.toFixed(2)} | ${p(h.pValue)} | ${h.verdict} |`);
    });
    md.push('');
  }
  writeFileSync(path.join(OUT, 'planted-shortcut.md'), md.join('\n') + '\n');
  console.log(md.join('\n'));
}

void main();
