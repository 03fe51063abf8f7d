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
    errors.push(`${info.name} reads ${h}×${w} NHWC images; ${ds.label} has ${dh}×${dw}, and the studio resizes only for NCHW ONNX models. ${reimport(ds, h, w) ?? `Pick a dataset of ${h}×${w} images`}, or export the model with an NCHW input (PyTorch's default).`);
  } else if (resized) warnings.push(sizeAdvice(info.name, h, w, ds));
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

/** "Import the photos again at 224×224 …" when the dataset was imported from photos larger than it is; else null. */
function reimport(ds: DatasetInfo, h: number, w: number): string | null {
  const src = ds.sourceSize;
  const [dh, dw] = ds.shape;
  if (ds.builtIn || !src || src[0] <= dh || src[1] <= dw) return null;
  return `Import the photos again at ${h}×${w} in step 1 (they are ${src[0]}×${src[1]} on disk; this import shrank them to ${dh}×${dw})`;
}

/** The resize warning: what happens to each image, and the advice that helps (never "export the model smaller"). */
function sizeAdvice(name: string, h: number, w: number, ds: DatasetInfo): string {
  const [dh, dw] = ds.shape;
  const what = `${name} reads ${h}×${w} images; ${ds.label} has ${dh}×${dw}: each image is resized (bilinear) to ${h}×${w} before the teacher sees it.`;
  if (dh >= h && dw >= w) return `${what} Importing the images at ${h}×${w} would give the teacher the same pixels and need less storage and memory.`;
  const again = reimport(ds, h, w);
  if (again) return `${what} Upscaled images carry no more detail than ${dh}×${dw}, so the teacher may score lower than on its own data. ${again}, so the teacher sees them at its own size.`;
  return `${what} Upscaled images carry no more detail than ${dh}×${dw}, so the teacher may score lower than on its own data; with photos at ${h}×${w} or larger, import them at ${h}×${w}. Keep the model at its own input size: one exported smaller still has weights learned at ${h}×${w} and usually scores worse.`;
}
