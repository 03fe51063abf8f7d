/**
 * Class names picked beside a model: a Teachable-Machine-style metadata.json ({"labels": [...]})
 * among the files, for TF.js Layers and ONNX models alike. Checked against the model's class
 * count once that is known (checkLabels).
 */
import type { TeacherFile } from '../../domain';

const base = (n: string) => n.split('/').pop() ?? n;

/** The "labels" of a metadata.json among `files`, or null when none was picked; a broken one is refused by name. */
export function metadataLabels(files: TeacherFile[]): string[] | null {
  const f = files.find((x) => base(x.name) === 'metadata.json');
  if (!f) return null;
  let meta: unknown;
  try {
    meta = JSON.parse(new TextDecoder().decode(f.bytes));
  } catch (err) {
    throw new Error(`${f.name}: not valid JSON (${err instanceof Error ? err.message : String(err)}). Pick the metadata.json written with the model, or leave it out.`);
  }
  const labels = (meta as { labels?: unknown } | null)?.labels;
  if (labels === undefined) return null;
  if (!Array.isArray(labels) || !labels.every((l) => typeof l === 'string')) {
    throw new Error(`${f.name}: "labels" must be a list of class names (["T-shirt/top", "Trouser", …]) in the order of the model's outputs.`);
  }
  return labels as string[];
}

/** Refuses class names whose count differs from the model's outputs. */
export function checkLabels(labels: string[] | null, numClasses: number, from: string): void {
  if (labels && labels.length !== numClasses) {
    throw new Error(`${from} lists ${labels.length} class names, but the model has ${numClasses} outputs: give one name per output, in the model's order.`);
  }
}
