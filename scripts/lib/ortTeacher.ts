/**
 * An ONNX teacher in Node: the studio's own graph reading and editing (src/ml/onnx: default taps,
 * a Transpose node so images go in NHWC, each tap's summary computed in the graph:
 * graph.ts teacherGraph) with onnxruntime-node as the runtime,
 * behind the trainer's teacher seam (FrozenTeacher.remote), as onnxruntime-web is in the studio's
 * teacher worker. The trainer does not know which runtime answers.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import type { PreprocessId } from '../../src/domain';
import { onnxInputOf, onnxTapsOf } from '../../src/ml/onnx/describe';
import { decodeOnnx, nhwcName, nodeValues, onnxParams, summaryNames, teacherGraph, withOutputs } from '../../src/ml/onnx/graph';
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
  const session = await ort.InferenceSession.create(teacherGraph(model, chosen, 'NCHW', resize), opts);
  const [h, w] = resize ? resize.from : [mh, mw];
  const sums = chosen.map(summaryNames);
  const outNames = [info.logitsName, ...sums.flatMap((s) => [s.pooled, s.energy])];
  const remote: RemoteTeacher = {
    where: `onnxruntime-node (${threads} thread${threads > 1 ? 's' : ''})`,
    async forward(x: Float32Array, B: number, pre: PreprocessId): Promise<TeacherArrays> {
      preprocessInPlace(x, c, pre);
      const r = await session.run({ [nhwcName(io.inputName)]: new ort.Tensor('float32', x, [B, h, w, c]) }, outNames);
      const arrays = {
        logits: Float32Array.from(r[info.logitsName].data as Float32Array),
        pooled: sums.map((s) => Float32Array.from(r[s.pooled].data as Float32Array)),
        energy: sums.map((s) => Float32Array.from(r[s.energy].data as Float32Array)),
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

