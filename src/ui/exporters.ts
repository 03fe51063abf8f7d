/** What the export step writes: the distillation card (JSON) and the printable report (Markdown). */
import type { Augment, BackendInfo, DatasetId, DeployVariant, OptimizerId, TrainConfig } from '../domain';
import { datasetInfo, METHODS, resolvePlan, STRIDE_PLANS } from '../domain';
import { configToParams } from '../state/configUrl';
import type { RunRecord, TeacherCardState } from '../state/store';
import { count } from './format';
import type { CardModel } from './pilotCardModel';
import { cardKeySelection, keySelectionMarkdown } from './keyReport';

/** "mnist-rtk-seed3": what every export of a run is named after, so two pilots never clash in a Downloads folder. */
export const runSlug = (run: RunRecord): string => `${run.config.dataset}-${run.method}-seed${run.config.seed}`;

/** The student's file names for a run: `student-<slug>.json` and its weights, named in the model's own manifest. */
export function studentFileNames(run: RunRecord): { modelJson: string; weights: string } {
  return { modelJson: `student-${runSlug(run)}.json`, weights: `student-${runSlug(run)}.weights.bin` };
}

/** model.json with its weights manifest pointing at the run's weights file name. */
export function renameWeights(modelJson: Record<string, unknown>, weights: string): Record<string, unknown> {
  const manifest = modelJson.weightsManifest as { paths: string[] }[] | undefined;
  return manifest ? { ...modelJson, weightsManifest: manifest.map((g) => ({ ...g, paths: [weights] })) } : modelJson;
}

/** The configuration of a run as the studio's address query (no host, no explorer view): what "npm start" then opens. */
export function reproduceQuery(run: RunRecord): string {
  return new URLSearchParams(configToParams(run.config)).toString();
}

const plural = (n: number, word: string) => `${count(n)} ${word}${n === 1 ? '' : 's'}`;

export function download(name: string, data: BlobPart, type: string): void {
  const url = URL.createObjectURL(new Blob([data], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.appendChild(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}

export function keptKeys(run: RunRecord): string[] | null {
  const k = run.result?.test.keys;
  return k ? k.teacherTaps.filter((_, i) => k.kept[i] === 1) : null;
}

/** How to feed the exported model (the same words as its metadata, src/ml/export/inference.ts). */
export function preprocessingOf(dataset: DatasetId) {
  const d = datasetInfo(dataset);
  const [h, w, c] = d.shape;
  return { input: `float32 [batch, ${h}, ${w}, ${c}] (NHWC)`, scale: `pixel / ${d.pixelMax}`, pixelMax: d.pixelMax, range: [0, 1], layout: 'NHWC',
    channels: c === 1 ? 'grayscale' : 'RGB', classNames: d.classNames };
}

/** The optimiser and augmentation of a run; runs saved before these options existed were Adam without augmentation. */
export function trainerOf(c: TrainConfig): { optimizer: OptimizerId; momentum?: number; weightDecay?: number; augment: Augment } {
  const optimizer = c.optimizer ?? 'adam';
  return { optimizer, ...(optimizer === 'sgd' ? { momentum: c.momentum, weightDecay: c.weightDecay } : {}), augment: c.augment ?? 'none' };
}

/** One sentence of the report for trainerOf. */
export function trainerWords(c: TrainConfig): string {
  const t = trainerOf(c);
  const opt = t.optimizer === 'sgd' ? `SGD with momentum ${t.momentum} and weight decay ${t.weightDecay}` : 'Adam';
  const aug = t.augment === 'crop-flip'
    ? 'random crop (4-pixel zero padding) and horizontal flip of the training images (never of validation or test images)'
    : 'no augmentation';
  return `Optimiser: ${opt}; ${aug}.`;
}

export function distillationCard(run: RunRecord, model: CardModel, teacher: TeacherCardState | undefined, backend: BackendInfo | null,
  deploy: { probabilities: boolean; variants: DeployVariant[] | null } = { probabilities: false, variants: null }, runs: RunRecord[] = [run]) {
  const t = teacher?.status === 'ok' ? teacher.card : null;
  return {
    kind: 'rtk-distillation-card',
    version: 1,
    createdAt: new Date().toISOString(),
    dataset: run.config.dataset,
    teacher: t ? (t.imported
      ? { imported: t.imported, testAccuracy: t.testAccuracy, costs: t.costs, recipe: t.recipe }
      : { spec: t.spec, testAccuracy: t.testAccuracy, costs: t.costs, recipe: t.recipe }) : null,
    student: run.config.student,
    method: run.method,
    options: run.method === 'student-alone' ? {} : run.config.options,
    keptKeys: keptKeys(run),
    keySelection: cardKeySelection(run, runs),
    budget: { epochs: run.config.epochs, batchSize: run.config.batchSize, learningRate: run.config.learningRate, lrSchedule: run.config.lrSchedule,
      ...trainerOf(run.config),
      trainLimit: run.config.trainLimit, testLimit: run.config.testLimit, valFraction: run.config.valFraction },
    run: { runId: run.runId, seed: run.config.seed, testAccuracy: run.result?.testAccuracy ?? null, valAccuracy: run.result?.valAccuracy ?? null,
      perClassAccuracy: run.result?.test.perClassAccuracy ?? null, costs: run.result?.studentCosts ?? null, wallSeconds: (run.result?.wallMs ?? 0) / 1000 },
    comparison: model.rows.map((r) => ({ model: r.key, accuracy: r.accuracy, seeds: r.stats?.seeds ?? null, sd: r.stats?.sd ?? null,
      params: r.costs?.params ?? null, flopsPerImage: r.costs?.flopsPerImage ?? null, bytes: r.costs?.bytes ?? null,
      latencyMs: r.latency ? { median: r.latency.medianMs, p95: r.latency.p95Ms } : null })),
    verdict: model.verdict ? { kind: model.verdict.kind, text: model.verdict.text } : null,
    summary: model.sentence,
    backend: backend ? { backend: backend.backend, adapter: backend.adapter, fallbacks: backend.fallbacks } : null,
    ranOn: run.origin ? { label: run.origin } : { where: 'browser', label: `this browser (${backend?.backend ?? 'unknown backend'})` },
    deploy: { output: deploy.probabilities ? 'probabilities' : 'logits', preprocessing: preprocessingOf(run.config.dataset),
      files: studentFileNames(run),
      // Measured variants when the Export step measured them; else the float32 student as trained.
      tfjs: deploy.variants?.map((v) => ({ weights: v.weights, weightBytes: v.weightBytes, testAccuracy: v.testAccuracy }))
        ?? (run.result ? [{ weights: 'float32', weightBytes: run.result.studentCosts.bytes.fp32, testAccuracy: run.result.testAccuracy }] : null) },
    reproduce: { command: 'npm start', query: reproduceQuery(run) },
  };
}

const pctText = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

export function reportMarkdown(run: RunRecord, model: CardModel, backend: BackendInfo | null, _link?: string, runs: RunRecord[] = [run]): string {
  const kept = keptKeys(run);
  const c = run.config;
  const d = datasetInfo(c.dataset);
  const seeds = [...new Set(model.rows.flatMap((r) => r.stats?.seeds ?? []))].sort((a, b) => a - b);
  const testImages = c.testLimit ? `the first ${count(c.testLimit)} of the test images` : 'all the test images';
  const fmt = (v: number | undefined) => (v === undefined ? '—' : count(v));
  const lines = [
    `# Distillation pilot: ${d.label}`,
    '',
    `Method: **${METHODS[run.method].label}**. Student: ${run.config.student.arch}, width ${c.student.width}, depth ${c.student.depth}` +
      `${resolvePlan(c.student, d.shape) === 'photo' ? ` (${STRIDE_PLANS.photo.label.toLowerCase()} stride plan: four stride-2 stages, pooled head)` : ''}.`,
    `Budget: ${plural(c.epochs, 'epoch')}, batch ${c.batchSize}, learning rate ${c.learningRate} (${c.lrSchedule}), ` +
      `${c.trainLimit ? count(c.trainLimit) : 'all'} training images, ${c.testLimit ? count(c.testLimit) : 'all'} test images. ${trainerWords(c)}`,
    `Seeds: ${seeds.length ? seeds.join(', ') : c.seed} (each seed fixes the student's starting weights and the order of the training images; both students of a seed see the same order).`,
    `Backend: ${backend ? `${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ''}` : 'unknown'}.`,
    '',
    '| Model | Test accuracy | Seeds | Parameters | FLOPs / image | fp32 bytes | Latency median / p95 |',
    '|---|---|---|---|---|---|---|',
    ...model.rows.map((r) => `| ${r.label} | ${pctText(r.accuracy)}${r.stats?.sd != null ? ` ± ${(r.stats.sd * 100).toFixed(2)}` : ''} | ` +
      `${r.stats ? (r.stats.n === 1 ? 'single run' : r.stats.seeds.join(', ')) : '—'} | ${fmt(r.costs?.params)} | ${fmt(r.costs?.flopsPerImage)} | ` +
      `${fmt(r.costs?.bytes.fp32)} | ${r.latency ? `${r.latency.medianMs.toFixed(2)} / ${r.latency.p95Ms.toFixed(2)} ms` : '—'} |`),
    '',
    `Test images: both students were scored on ${testImages} (${d.label}), the same images for each. ` +
      (c.testLimit ? `The teacher's accuracy is from its card, scored on the whole test split, so it is not on exactly the same images.` : `The teacher's accuracy, from its card, is on the same test split.`),
    model.speed ? (model.speed.busy
      ? 'Speed: the machine was too busy to tell how much faster the student is.'
      : `Speed: teacher and student timed together on ${model.speed.backend}, interleaved after warm-up: the student is ${model.speed.ratio.toFixed(1)}× faster (interval ${model.speed.low.toFixed(1)}–${model.speed.high.toFixed(1)}×).`) : '',
    '',
    `**Verdict:** ${model.verdict?.text ?? 'no distilled run to compare yet.'}`,
    '',
    model.sentence ?? '',
    '',
    '## What RTK does',
    '',
    'RTK (representative teacher keys) distils only the teacher features that matter to this student. Each teacher tap (the output of one block) is a key; ' +
      'during training the student\'s features attend to every key, and a key\'s influence is how strongly they attend to it. Keys whose influence passes the threshold are the kept keys: ' +
      'only they enter the distillation loss, so the student is not asked to copy features it cannot use.',
    '',
    kept ? `Kept keys (teacher taps distilled): ${kept.join(', ') || 'none'}.` : '',
    '',
    ...keySelectionMarkdown(run, runs),
    '## Reproduce',
    '',
    'With the studio checked out: `npm install && npm start` (it prepares the datasets), then open the address it prints with this configuration after it:',
    '',
    `    ?${reproduceQuery(run)}`,
    '',
    `and press Run pilot. Exported files of this run are named \`student-${runSlug(run)}.*\`, \`distillation-card-${runSlug(run)}.json\` and \`pilot-report-${runSlug(run)}.md\`.`,
    '',
  ];
  return lines.join('\n');
}
