/**
 * An ONNX teacher in Node: the studio's own graph reading and editing (src/ml/onnx: default taps,
 * Transpose nodes so images go in and taps come out NHWC) with onnxruntime-node as the runtime,
 * behind the trainer's teacher seam (FrozenTeacher.remote), as onnxruntime-web is in the studio's
 * teacher worker. The trainer does not know which runtime answers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { PreprocessId } from '../../src/domain';
import { onnxInputOf, onnxTapsOf } from '../../src/ml/onnx/describe';
import { decodeOnnx, nhwcName, nodeValues, onnxParams, withNhwcTaps, withOutputs } from '../../src/ml/onnx/graph';
import { preprocessInPlace } from '../../src/ml/teacher/preprocess';
import type { FrozenTeacher, RemoteTeacher, TeacherArrays } from '../../src/ml/types';

export interface OrtTeacher { teacher: FrozenTeacher; params: number; tapNames: string[]; where: string }

/**
 * Loads `file` (an NCHW classifier as torch.onnx.export writes it) with its default taps, or
 * none when `withTaps` is false (KD needs only the logits and runs faster). Images of another
 * size (`imageSide`) are resized in the graph (bilinear, half-pixel), as the studio does.
 */
export async function loadOrtTeacher(file: string, preprocess: PreprocessId, withTaps: boolean, threads: number, imageSide?: number): Promise<OrtTeacher> {
  const name = path.basename(file);
  const model = decodeOnnx(new Uint8Array(readFileSync(file)), name);
  const io = onnxInputOf(model, name, [224, 224, 3]);
  if (io.layout !== 'NCHW') throw new Error(`${name}: expected an NCHW model as PyTorch exports it.`);
  if (io.fixedBatch) throw new Error(`${name}: its batch is fixed at ${io.fixedBatch}; export it with dynamic_axes for this benchmark.`);
  const opts: ort.InferenceSession.SessionOptions = { intraOpNumThreads: threads, interOpNumThreads: 1, graphOptimizationLevel: 'all' };
  // Dims of every value from one zero image, as the studio's probe does.
  const probe = await ort.InferenceSession.create(withOutputs(model, nodeValues(model).map((v) => v.value)), opts);
  const out = await probe.run({ [io.inputName]: new ort.Tensor('float32', new Float32Array(io.probeDims.reduce((a, d) => a * d, 1)), io.probeDims) });
  const dims = new Map(Object.entries(out).map(([k, t]) => [k, [...t.dims]]));
  await probe.release();
  const info = onnxTapsOf(model, name, dims, io);
  const chosen = withTaps ? info.defaultTaps : [];
  const [mh, mw, c] = io.inputShape;
  const resize = imageSide && imageSide !== mh ? { from: [imageSide, imageSide] as [number, number], to: [mh, mw] as [number, number] } : undefined;
  const session = await ort.InferenceSession.create(withNhwcTaps(model, chosen, resize), opts);
  const [h, w] = resize ? resize.from : [mh, mw];
  const outNames = [info.logitsName, ...chosen.map(nhwcName)];
  const remote: RemoteTeacher = {
    where: `onnxruntime-node (${threads} thread${threads > 1 ? 's' : ''})`,
    async forward(x: Float32Array, B: number, pre: PreprocessId): Promise<TeacherArrays> {
      preprocessInPlace(x, c, pre);
      const r = await session.run({ [nhwcName(io.inputName)]: new ort.Tensor('float32', x, [B, h, w, c]) }, outNames);
      const arrays = {
        logits: Float32Array.from(r[info.logitsName].data as Float32Array),
        taps: chosen.map((v) => Float32Array.from(r[nhwcName(v)].data as Float32Array)),
      };
      for (const t of Object.values(r)) t.dispose();
      return arrays;
    },
    dispose: () => { void session.release(); },
  };
  const byName = new Map(info.taps.map((t) => [t.name, t]));
  const params = onnxParams(model);
  return {
    teacher: { inputShape: [h, w, c] as [number, number, number], numClasses: info.numClasses, tapNames: chosen, tapShapes: chosen.map((n) => byName.get(n)!.shape), remote, preprocess },
    params, tapNames: chosen, where: remote.where,
  };
}

/** 32-bit FNV-1a over the bits of one image's floats. */
function hashImage(x: Float32Array, from: number, n: number): string {
  const bits = new Uint32Array(x.buffer, x.byteOffset + from * 4, n);
  let h = 0x811c9dc5;
  let g = 0x01000193;
  for (let i = 0; i < n; i++) { h = Math.imul(h ^ bits[i], 0x01000193); g = Math.imul(g ^ bits[i], 0x85ebca6b); }
  return `${(h >>> 0).toString(16)}${(g >>> 0).toString(16)}${n}`;
}

/**
 * The teacher's outputs kept per image (the photos are not augmented, so every epoch asks for
 * the same images): a batch whose images were all seen is answered from memory; any other runs
 * the teacher on the whole batch. Still behind FrozenTeacher.remote, so the trainer is unchanged.
 */
export function cachedTeacher(t: FrozenTeacher): FrozenTeacher & { stats: { hits: number; runs: number } } {
  const inner = t.remote!;
  const [h, w, c] = t.inputShape;
  const per = h * w * c;
  const tapSizes = t.tapShapes.map(([a, b, d]) => a * b * d);
  const store = new Map<string, { logits: Float32Array; taps: Float32Array[] }>();
  const stats = { hits: 0, runs: 0 };
  const remote: RemoteTeacher = {
    where: `${inner.where}, outputs kept per image`,
    async forward(x, B, pre) {
      const keys = Array.from({ length: B }, (_, b) => hashImage(x, b * per, per));
      if (!keys.every((k) => store.has(k))) {
        stats.runs++;
        const out = await inner.forward(x, B, pre);
        const k = out.logits.length / B;
        keys.forEach((key, b) => store.set(key, {
          logits: out.logits.slice(b * k, (b + 1) * k),
          taps: out.taps.map((tap, i) => tap.slice(b * tapSizes[i], (b + 1) * tapSizes[i])),
        }));
        return out;
      }
      stats.hits++;
      const rows = keys.map((key) => store.get(key)!);
      const join = (parts: Float32Array[]) => { const o = new Float32Array(parts.reduce((a, p) => a + p.length, 0)); let at = 0; for (const p of parts) { o.set(p, at); at += p.length; } return o; };
      return { logits: join(rows.map((r) => r.logits)), taps: tapSizes.map((_, i) => join(rows.map((r) => r.taps[i]))) };
    },
    dispose: () => { store.clear(); inner.dispose(); },
  };
  return { ...t, remote, stats };
}
