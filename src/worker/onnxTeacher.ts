/**
 * Import of an ONNX teacher (what torch.onnx.export writes), on the training worker's side: the
 * graph is read and edited here (src/ml/onnx/graph.ts, protobufjs); onnxruntime-web runs only
 * in the teacher worker this module starts for the model (teacherClient.ts, onnxRunner.ts).
 */
import * as tf from '@tensorflow/tfjs';
import type { ImportedTeacherInfo, PreprocessId, TeacherFile } from '../domain';
import type { FrozenTeacher } from '../ml/types';
import { batchForBudget } from '../domain/teacherBudget';
import { nhwcName, nodeValues, onnxFlops, onnxLabels, onnxParams, summaryNames, teacherGraph, withOutputs } from '../ml/onnx/graph';
import { onnxInputOf, onnxTapsOf, readOnnxFiles } from '../ml/onnx/describe';
import { checkLabels, metadataLabels } from '../ml/teacher/labels';
import { fingerprintOf } from '../ml/teacher/taps';
import { connectTeacherWorker, type TeacherConnection } from './teacherClient';

const base = (n: string) => n.split('/').pop() ?? n;

export interface OnnxImport {
  info: ImportedTeacherInfo;
  /** A FrozenTeacher with `taps` (tap names of info.taps) in its teacher worker. */
  build(taps: string[], preprocess: PreprocessId, imageShape: [number, number, number]): Promise<FrozenTeacher>;
  dispose(): void;
}

export async function importOnnx(files: TeacherFile[], fallbackShape: [number, number, number]): Promise<OnnxImport> {
  const { model, file } = readOnnxFiles(files);
  const io = onnxInputOf(model, file, fallbackShape);
  const { inputName, layout, inputShape } = io;
  const values = nodeValues(model);
  const conn: TeacherConnection = connectTeacherWorker(inputShape);
  try {
    const probe = await conn.probe(withOutputs(model, values.map((v) => v.value)).slice().buffer, inputName, io.probeDims);
    const dims = new Map(probe.outputs.map((o) => [o.name, o.dims]));
    // Every intermediate value of one image, in floats: what a pass of B images holds at most.
    const probeBatch = Math.max(1, io.probeDims[0] ?? 1);
    const activationFloats = probe.outputs.reduce((a, o) => a + o.dims.reduce((m, d) => m * Math.max(1, d), 1), 0) / probeBatch;
    const { logitsName, numClasses, softmax, taps, defaultTaps } = onnxTapsOf(model, file, dims, io);
    const params = onnxParams(model);
    const flops = onnxFlops(model, dims);
    // Class names: a metadata.json picked beside the file wins over the model's own metadata_props.
    const picked = metadataLabels(files);
    const labels = picked ?? onnxLabels(model);
    checkLabels(labels, numClasses, picked ? 'metadata.json' : `${file}'s metadata`);
    const info: ImportedTeacherInfo = {
      fingerprint: await fingerprintOf(files), format: 'onnx', name: base(file).replace(/\.onnx$/i, ''), files: files.map((f) => f.name),
      inputShape, layout, numClasses, logitsName, softmaxOutput: softmax, taps, defaultTaps, labels,
      costs: { params, flopsPerImage: flops.flops, bytes: { fp32: params * 4, fp16: params * 2, int8: params } },
      uncountedOps: flops.uncounted, activationFloats,
      notes: [
        `Runs in onnxruntime-web (wasm) in a second worker; ${layout} input${layout === 'NCHW' ? ' (the studio adds a Transpose node so images go in NHWC)' : ''}; each tap's channel means and energy map are computed in the model, so the taps themselves stay there.`,
        ...(picked ? [`Class names from metadata.json: ${picked.join(', ')}.`] : []),
        ...(softmax ? ['The model ends in a softmax: the studio uses the log of its probabilities as logits.'] : []),
        ...(io.fixedBatch ? [`Its batch is fixed at ${io.fixedBatch} (exported without dynamic_axes): the studio runs it on ${io.fixedBatch === 1 ? 'one image' : `${io.fixedBatch} images`} at a time, which is slower. For full speed, export it again with dynamic_axes={'${inputName}': {0: 'batch'}, '${logitsName}': {0: 'batch'}}.`] : []),
      ],
    };
    let current = '';
    const nchw0 = layout === 'NCHW';
    return {
      info,
      async build(chosen, preprocess, imageShape) {
        const key = `${chosen.join('\n')}|${imageShape.join('x')}`;
        if (key !== current) {
          // NCHW models get a Transpose node in the graph, so the runner hands it NHWC images.
          const nchw = layout === 'NCHW';
          // Images of another size are resized in the graph too (a Resize node after the transpose).
          const from: [number, number] | undefined = nchw && (imageShape[0] !== inputShape[0] || imageShape[1] !== inputShape[1]) ? [imageShape[0], imageShape[1]] : undefined;
          // Each tap's summary is computed in the graph: only it leaves the runtime (graph.ts teacherGraph).
          const bytes = teacherGraph(model, chosen, layout, from && { from, to: [inputShape[0], inputShape[1]] });
          await conn.init({ type: 'init-onnx', init: {
            bytes: bytes.slice().buffer, inputName: nchw ? nhwcName(inputName) : inputName, layout: 'NHWC', inputShape: nchw ? imageShape : inputShape, logitsName, softmaxOutput: softmax,
            summaries: chosen.map(summaryNames), preferWebgpu: tf.getBackend() === 'webgpu', fixedBatch: io.fixedBatch,
            maxBatch: batchForBudget(activationFloats, Math.max(inputShape[0] * inputShape[1], imageShape[0] * imageShape[1]) * inputShape[2]),
          } });
          current = key;
        }
        const byName = new Map(taps.map((t) => [t.name, t]));
        return { inputShape: nchw0 ? imageShape : inputShape, numClasses: info.numClasses, tapNames: chosen, tapShapes: chosen.map((n) => byName.get(n)!.shape), remote: conn, preprocess };
      },
      dispose: () => conn.dispose(),
    };
  } catch (err) {
    conn.dispose();
    throw err;
  }
}
