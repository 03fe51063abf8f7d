/**
 * The compatibility check of an imported teacher against a dataset, before anything trains:
 * input size (resized when it differs) and channels, class count, the label map (from class names the model carries,
 * else by index with a warning), and whether feature methods are possible (any 4-D tap).
 */
import type { DatasetInfo } from './registry';
import type { ImportedTeacherInfo } from './teacherSource';

export interface TeacherCompat {
  /** Blocking problems, each naming the fix. */
  errors: string[];
  warnings: string[];
  /** Dataset class j is the teacher's class classOrder[j]; null: same order (by index). */
  classOrder: number[] | null;
  /** No 4-D tap: only KD can distil this teacher. */
  kdOnly: boolean;
  /** The dataset's images are resized (bilinear) to the model's input size before the teacher. */
  resized: boolean;
}

const norm = (s: string) => s.trim().toLowerCase();

export function teacherCompat(info: ImportedTeacherInfo, ds: DatasetInfo): TeacherCompat {
  const errors: string[] = [];
  const warnings: string[] = [];
  const [h, w, c] = info.inputShape;
  const [dh, dw, dc] = ds.shape;
  if (c !== dc) errors.push(`${info.name} reads ${c}-channel images; ${ds.label} has ${dc} channel${dc > 1 ? 's' : ''}. Pick a dataset with ${c}-channel images, or export the model for ${dc} channel${dc > 1 ? 's' : ''}.`);
  const resized = h !== dh || w !== dw;
  if (resized && info.format === 'onnx' && info.layout === 'NHWC') {
    errors.push(`${info.name} reads ${h}×${w} NHWC images; ${ds.label} has ${dh}×${dw}. Export the model with a ${dh}×${dw} input.`);
  } else if (resized) {
    warnings.push(`${info.name} reads ${h}×${w} images; ${ds.label} has ${dh}×${dw}: each image is resized (bilinear) to ${h}×${w} before the teacher sees it. For the best teacher, export it at ${dh}×${dw}.`);
  }
  let classOrder: number[] | null = null;
  if (info.numClasses !== ds.numClasses) {
    errors.push(`${info.name} has ${info.numClasses} classes; ${ds.label} has ${ds.numClasses}. Pick the dataset the model was trained for, or a model with ${ds.numClasses} outputs.`);
  } else if (info.labels) {
    const idx = new Map(info.labels.map((l, i) => [norm(l), i]));
    const order = ds.classNames.map((n) => idx.get(norm(n)) ?? -1);
    if (order.some((i) => i < 0)) {
      const missing = ds.classNames.filter((_, j) => order[j] < 0);
      errors.push(`${info.name}'s labels (${info.labels.join(', ')}) lack ${missing.join(', ')} of ${ds.label}: pick the dataset it was trained on.`);
    } else if (order.some((i, j) => i !== j)) {
      classOrder = order;
      warnings.push(`Classes mapped by name from the model's labels (its order differs from ${ds.label}'s).`);
    }
  } else {
    warnings.push(`${info.name} carries no class names: its class i is taken to be ${ds.label}'s class i (${ds.classNames.slice(0, 3).join(', ')}, …). To map them by name, pick a metadata.json with "labels" (one name per output, in order) together with the model file.`);
  }
  const kdOnly = info.taps.length === 0;
  if (kdOnly) warnings.push(`${info.name} has no 4-D feature maps (no spatial intermediate output), so only KD can distil it: AT, AFD and RTK compare feature maps.`);
  return { errors, warnings, classOrder, kdOnly, resized };
}
