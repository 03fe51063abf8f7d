/** What the export step writes: the distillation card (JSON) and the printable report (Markdown). */
import type { BackendInfo, DatasetId, DeployVariant } from '../domain';
import { datasetInfo, METHODS } from '../domain';
import type { RunRecord, TeacherCardState } from '../state/store';
import type { CardModel } from './pilotCardModel';
import { cardKeySelection, keySelectionMarkdown } from './keyReport';

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
      tfjs: deploy.variants?.map((v) => ({ weights: v.weights, weightBytes: v.weightBytes, testAccuracy: v.testAccuracy })) ?? null },
  };
}

const pctText = (v: number | null) => (v === null ? '—' : `${(v * 100).toFixed(2)}%`);

export function reportMarkdown(run: RunRecord, model: CardModel, backend: BackendInfo | null, link: string, runs: RunRecord[] = [run]): string {
  const kept = keptKeys(run);
  const lines = [
    `# Distillation pilot: ${datasetInfo(run.config.dataset).label}`,
    '',
    `Method: **${METHODS[run.method].label}**. Student: ${run.config.student.arch}, width ${run.config.student.width}, depth ${run.config.student.depth}.`,
    `Budget: ${run.config.epochs} epochs, batch ${run.config.batchSize}, learning rate ${run.config.learningRate} (${run.config.lrSchedule}), ` +
      `${run.config.trainLimit || 'all'} training images, ${run.config.testLimit || 'all'} test images.`,
    `Backend: ${backend ? `${backend.backend}${backend.adapter ? ` (${backend.adapter})` : ''}` : 'unknown'}.`,
    '',
    '| Model | Test accuracy | Seeds | Parameters | FLOPs / image | fp32 bytes | Latency median / p95 |',
    '|---|---|---|---|---|---|---|',
    ...model.rows.map((r) => `| ${r.label} | ${pctText(r.accuracy)}${r.stats?.sd != null ? ` ± ${(r.stats.sd * 100).toFixed(2)}` : ''} | ` +
      `${r.stats ? (r.stats.n === 1 ? 'single run' : r.stats.seeds.join(', ')) : '—'} | ${r.costs?.params ?? '—'} | ${r.costs?.flopsPerImage ?? '—'} | ` +
      `${r.costs?.bytes.fp32 ?? '—'} | ${r.latency ? `${r.latency.medianMs.toFixed(2)} / ${r.latency.p95Ms.toFixed(2)} ms` : '—'} |`),
    '',
    `**Verdict:** ${model.verdict?.text ?? 'no distilled run to compare yet.'}`,
    '',
    model.sentence ?? '',
    '',
    kept ? `Kept keys (teacher taps distilled): ${kept.join(', ') || 'none'}.` : '',
    '',
    ...keySelectionMarkdown(run, runs),
    `Reproduce: ${link}`,
    '',
  ];
  return lines.join('\n');
}
