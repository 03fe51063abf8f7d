/**
 * Photo students (issue 26): does a pooled 224 px student preset (the 'photo' stride plan, ≥ 5×
 * fewer parameters than MobileNetV2) learn more from the MobileNetV2 teacher than alone?
 * Student alone, KD and RTK on the same photos, same order, same epochs, seeds 1..N; Node, TF.js
 * wasm, the ONNX teacher in onnxruntime-node through the trainer's teacher seam (scripts/lib/ortTeacher.ts).
 *
 *   npx tsx scripts/photo-students.ts [--photos DIR] [--teacher fixtures/onnx/photo-mobilenet-v2.onnx]
 *     [--size 112] [--arch cnn-s1] [--epochs 3] [--batch 32] [--seeds 3] [--methods student-alone,kd,rtk] [--testPerClass 24] [--out bench/results]
 *
 * --photos: 1,200 photos in class folders; made in <tmp>/photos224 by make_photos.py when missing.
 * The figures in bench/results/photo-students.md were made with --size 224 and with --size 112.
 *
 * Each finished run is appended to <out>/photo-students.jsonl (a stop loses nothing; a rerun skips
 * what is there) and the summary <out>/photo-students.md is rewritten after every run.
 */
import { execFileSync } from 'node:child_process';
import { appendFileSync, existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { MethodId, TrainConfig } from '../src/domain';
import { archPreset, DEFAULT_CONFIG, METHODS as METHODS_INFO, resolvePlan, sd, type ArchId } from '../src/domain';
import { initBackend } from '../src/ml/backend/select';
import type { FrozenTeacher } from '../src/ml/types';
import { TrainerRun } from '../src/worker/trainer';
import { feedOf } from '../src/worker/teacherClient';
import { loadOrtTeacher } from './lib/ortTeacher';
import { loadPhotoFolder } from './lib/photoFolder';

const arg = (name: string, dflt: string) => {
  const i = process.argv.indexOf(`--${name}`);
  return i >= 0 ? process.argv[i + 1] : dflt;
};
const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const PHOTOS = arg('photos', path.join(os.tmpdir(), 'photos224'));
const TEACHER = path.resolve(ROOT, arg('teacher', 'fixtures/onnx/photo-mobilenet-v2.onnx'));
if (!existsSync(PHOTOS)) {
  execFileSync('/usr/bin/python3', [path.join(ROOT, 'scripts/photo-fixture/make_photos.py'), '--out', PHOTOS, '--count', '1200', '--size', '224'], { stdio: 'inherit' });
}
/** Input side of the student (the photos are resized by Pillow; the teacher's graph resizes them back to its 224). */
const SIZE = Number(arg('size', '112'));
const ARCH = arg('arch', 'cnn-s1') as ArchId;
const EPOCHS = Number(arg('epochs', '3'));
const BATCH = Number(arg('batch', '32'));
const SEEDS = Number(arg('seeds', '3'));
const METHODS = arg('methods', 'student-alone,kd,rtk').split(',') as MethodId[];
const TEST_PER_CLASS = Number(arg('testPerClass', '24'));
const OUT = path.resolve(arg('out', 'bench/results'));
const TAG = arg('tag', '');

async function main() {
  const backend = await initBackend('wasm', {});
  const backendName = `${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ''}`;
  mkdirSync(OUT, { recursive: true });
  const jsonl = path.join(OUT, 'photo-students.jsonl');
  const done = new Set<string>(existsSync(jsonl) ? readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l).id) : []);
  const ds = loadPhotoFolder(PHOTOS, SIZE, TEST_PER_CLASS, 1);
  const needsTaps = METHODS.some((m) => METHODS_INFO[m].usesTeacher && m !== 'kd');
  const teacher = METHODS.some((m) => METHODS_INFO[m].usesTeacher)
    ? await loadOrtTeacher(TEACHER, 'imagenet', needsTaps, 1, SIZE)
    : { teacher: { inputShape: ds.shape, numClasses: 0, tapNames: [], tapShapes: [] } as FrozenTeacher, params: 0, where: 'none' };
  // The teacher reaches the trainer as the browser's does, through a feed: the trainer's
  // teacher-output cache (src/worker/teacherCache.ts) serves later epochs where it applies.
  const frozen = teacher.teacher.remote ? teacher.teacher : null;
  const student = archPreset(ARCH, ds.shape);
  console.log(`photos: ${ds.train.count} train / ${ds.test.count} test at ${SIZE} px; student ${ARCH} w${student.width} d${student.depth} (${resolvePlan(student, ds.shape)} plan); ` +
    `teacher ${path.basename(TEACHER)} ${teacher.params} params, taps ${teacher.teacher.tapShapes.map((s) => s.join('×')).join(', ')}; backend ${backendName}`);
  const machine = `${os.cpus()[0]?.model ?? 'unknown CPU'}, ${os.cpus().length} cores (shared)`;
  for (let seed = 1; seed <= SEEDS; seed++) {
    for (const method of METHODS) {
      const id = `${TAG}${SIZE}|${ARCH}|w${student.width}d${student.depth}|${method}|e${EPOCHS}|b${BATCH}|s${seed}`;
      if (done.has(id)) continue;
      const config: TrainConfig = {
        ...DEFAULT_CONFIG, dataset: ds.id, student, method, seed, epochs: EPOCHS, batchSize: BATCH, augment: 'none',
        trainLimit: 0, testLimit: 0, valFraction: 0, backend: 'wasm',
      };
      const t0 = performance.now();
      const run = new TrainerRun(id, config, {
        emit: (e) => {
          if (e.type === 'error') console.error(`${id}: ${e.message}`);
        },
        now: () => performance.now(),
        yieldToEvents: () => new Promise((r) => setImmediate(r)),
        loadData: async () => ds,
        loadTeacher: async () => frozen,
        teacherFeed: async (t) => ({ feed: feedOf(t.remote!, t.preprocess ?? 'unit', true), note: `teacher in ${t.remote!.where}` }),
      });
      const r = await run.run();
      if (!r) { console.error(`${id}: failed`); continue; }
      const row = {
        id, size: SIZE, arch: ARCH, width: student.width, depth: student.depth, method, seed, epochs: EPOCHS, batchSize: BATCH,
        train: ds.train.count, test: ds.test.count, testAccuracy: r.testAccuracy, params: r.studentCosts.params, flops: r.studentCosts.flopsPerImage,
        teacherParams: teacher.params, teacherTaps: teacher.teacher.tapShapes.length, backend: backendName, machine,
        wallSeconds: (performance.now() - t0) / 1000, date: new Date().toISOString(),
      };
      appendFileSync(jsonl, JSON.stringify(row) + '\n');
      console.log(`${id}: test ${(r.testAccuracy * 100).toFixed(2)} %, ${row.wallSeconds.toFixed(0)} s`);
      writeSummary(jsonl, path.join(OUT, 'photo-students.md'));
    }
  }
  frozen?.remote?.dispose();
}

/** The Markdown summary: one row per (size, student, method, epochs, batch), mean ± sd over seeds. */
export function writeSummary(jsonl: string, md: string): void {
  type Row = { id: string; size: number; arch: string; width: number; depth: number; method: string; seed: number; epochs: number; batchSize: number; train: number; test: number;
    testAccuracy: number; params: number; flops: number; teacherParams: number; backend: string; machine: string; wallSeconds: number };
  const rows: Row[] = readFileSync(jsonl, 'utf8').split('\n').filter(Boolean).map((l) => JSON.parse(l));
  const groups = new Map<string, Row[]>();
  for (const r of rows) {
    const key = r.id.replace(/\|s\d+$/, '');
    groups.set(key, [...(groups.get(key) ?? []), r]);
  }
  const pct = (xs: number[]) => `${(xs.reduce((a, b) => a + b, 0) / xs.length * 100).toFixed(1)} ± ${(sd(xs) * 100).toFixed(1)}`;
  const lines = [
    '# Photo students: a pooled student preset against the MobileNetV2 teacher',
    '',
    `Written by \`npx tsx scripts/photo-students.ts\` on ${rows[0]?.machine ?? '?'}, TF.js ${rows[0]?.backend ?? '?'} backend, teacher in onnxruntime-node (1 thread); no augmentation, Adam 0.02 with cosine decay, KD α 0.9 τ 4, RTK defaults (β 20, keys, k from S).`,
    'Photos: CIFAR-10 test images upscaled to 224 px JPEGs (scripts/photo-fixture/make_photos.py), never seen by the teacher, decoded by Pillow (and, for 112 px rows, resized by it); the teacher reads 224 px: at 112 px its graph resizes the photos back up (bilinear). A seeded per-class split into train and test, the same for every run. The teacher reaches the trainer through a feed, as in the browser; its output cache serves later epochs where the outputs of every image fit 256 MB (not at 224 px: the teacher runs every epoch there).',
    '',
    'The student is a photo-plan preset: its pooled head makes its parameters the same at every input size (at 224 px it costs 4× the FLOPs shown for 112 px).',
    '',
    '| size | student | params | MFLOPs/img | teacher params | method | epochs | batch | train / test | test acc. % (mean ± sd) | seeds | s/run |',
    '|---|---|---|---|---|---|---|---|---|---|---|---|',
  ];
  // Student-alone rows ran without the teacher: show the teacher the other rows of the file used.
  const teacherParams = Math.max(0, ...rows.map((r) => r.teacherParams));
  for (const [, g] of groups) {
    const r = g[0];
    const tp = teacherParams ? `${teacherParams} (${(teacherParams / r.params).toFixed(1)}× the student)` : '–';
    lines.push(`| ${r.size} | ${r.arch} w${r.width} d${r.depth} | ${r.params} | ${(r.flops / 1e6).toFixed(0)} | ${tp} | ${r.method} | ${r.epochs} | ${r.batchSize} | ${r.train} / ${r.test} | ` +
      `${pct(g.map((x) => x.testAccuracy))} | ${g.map((x) => x.seed).join(',')} | ${(g.reduce((a, x) => a + x.wallSeconds, 0) / g.length).toFixed(0)} |`);
  }
  lines.push('', '## Against the student alone, seed by seed (same photos, order and epochs)', '');
  for (const [key, g] of groups) {
    if (g[0].method === 'student-alone') continue;
    const alone = groups.get(key.replace(`|${g[0].method}|`, '|student-alone|')) ?? [];
    const pairs = g.map((r) => [r, alone.find((a) => a.seed === r.seed)] as const).filter(([, a]) => a);
    if (!pairs.length) continue;
    const diffs = pairs.map(([r, a]) => (r.testAccuracy - a!.testAccuracy) * 100);
    const mean = diffs.reduce((a, b) => a + b, 0) / diffs.length;
    const spread = sd(diffs);
    const verdict = diffs.length < 2 ? 'one seed only' : mean > spread ? 'better' : mean < -spread ? 'not better' : 'inconclusive (the difference is within its spread over seeds)';
    lines.push(`- ${g[0].size} px, ${g[0].epochs} epochs, ${g[0].method}: ${pairs.map(([r, a]) => `seed ${r.seed} ${(r.testAccuracy * 100).toFixed(1)} vs ${(a!.testAccuracy * 100).toFixed(1)}`).join(', ')}; ` +
      `difference ${mean >= 0 ? '+' : ''}${mean.toFixed(1)} ± ${spread.toFixed(1)} points: ${verdict}.`);
  }
  const sidecar = TEACHER.replace(/\.onnx$/, '.json');
  if (existsSync(sidecar)) {
    const t = JSON.parse(readFileSync(sidecar, 'utf8')) as { params?: number; photoAccuracy?: number; photoImages?: number; trainedAt?: string };
    lines.push('', `Teacher: ${path.basename(TEACHER)}, ${t.params ?? '?'} parameters in PyTorch (the ONNX file stores ${teacherParams}: batch norm folded into the convolutions), ` +
      `accuracy ${t.photoAccuracy !== undefined ? (t.photoAccuracy * 100).toFixed(1) : '?'} % on the ${t.photoImages ?? '?'} photos at 224 px (its sidecar JSON; trained ${t.trainedAt ?? '?'}).`);
  }
  writeFileSync(md, lines.join('\n') + '\n');
}

if (process.argv.includes('--summary')) writeSummary(path.join(OUT, 'photo-students.jsonl'), path.join(OUT, 'photo-students.md'));
else void main();
