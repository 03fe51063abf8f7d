/**
 * What an ONNX teacher offers, from its graph and the dims of every value in one batch-1 run:
 * the logits output (softmax or not), the 4-D intermediate values as NHWC taps in graph order,
 * and the default taps (taps.ts).
 */
import type { TeacherTap } from '../../domain';
import type { TapShape } from '../types';
import { defaultTaps, strideOf } from '../teacher/taps';
import type { TeacherFile } from '../../domain';
import { decodeOnnx, externalFiles, firstMerge, graphInput, graphOutputs, inlineExternal, nodeValues, type OnnxModel } from './graph';

const base = (n: string) => n.split('/').pop() ?? n;

export interface OnnxLayoutInfo {
  inputName: string; layout: 'NCHW' | 'NHWC'; inputShape: [number, number, number]; probeDims: number[];
  /** The batch the graph fixes (torch.onnx.export without dynamic_axes fixes 1), or null when it is symbolic. */
  fixedBatch: number | null;
}

/** Layout and input size from the graph input ([N,C,H,W] or [N,H,W,C]); symbolic dims from `fallback`. */
export function onnxInputOf(model: OnnxModel, file: string, fallback: [number, number, number]): OnnxLayoutInfo {
  const input = graphInput(model);
  if (input.dims.length !== 4) {
    throw new Error(`${file}: its input ${input.name} is [${input.dims.map((d) => d || 'batch').join(', ')}], not an image [batch, channels, height, width]. ` +
      'The studio distils image classifiers; export the model that reads the images.');
  }
  const [, a, b, c] = input.dims;
  const layout = (c === 1 || c === 3) && !(a === 1 || a === 3) ? 'NHWC' : 'NCHW';
  const inputShape: [number, number, number] = layout === 'NCHW'
    ? [b || fallback[0], c || fallback[1], a || fallback[2]]
    : [a || fallback[0], b || fallback[1], c || fallback[2]];
  const fixedBatch = input.dims[0] > 0 ? input.dims[0] : null;
  const n = fixedBatch ?? 1;
  const probeDims = layout === 'NCHW' ? [n, inputShape[2], inputShape[0], inputShape[1]] : [n, ...inputShape];
  return { inputName: input.name, layout, inputShape, probeDims, fixedBatch };
}

export interface OnnxTaps { logitsName: string; numClasses: number; softmax: boolean; taps: TeacherTap[]; defaultTaps: string[] }

export function onnxTapsOf(model: OnnxModel, file: string, dims: Map<string, number[]>, io: OnnxLayoutInfo): OnnxTaps {
  const logitsName = graphOutputs(model)[0];
  const logitsDims = dims.get(logitsName) ?? [];
  if (logitsDims.length !== 2) throw new Error(`${file}: its first output ${logitsName} is [${logitsDims.join(', ')}], not class scores [batch, classes].`);
  const producer = model.graph.node.find((n) => n.output.includes(logitsName));
  const merge = firstMerge(model, dims);
  const candidates: (TeacherTap & { index: number })[] = [];
  for (const v of nodeValues(model)) {
    const d = dims.get(v.value);
    if (!d || d.length !== 4) continue;
    const shape: TapShape = io.layout === 'NCHW' ? [d[2], d[3], d[1]] : [d[1], d[2], d[3]];
    if (shape[0] < 2 && shape[1] < 2) continue;
    candidates.push({ name: v.value, shape, stride: strideOf(io.inputShape[0], shape[0]), index: v.index });
  }
  const stemCount = merge < 0 ? 0 : candidates.filter((c) => c.index < merge).length;
  const taps = candidates.map(({ name, shape, stride }) => ({ name, shape, stride }));
  return { logitsName, numClasses: logitsDims[1], softmax: producer?.opType === 'Softmax', taps, defaultTaps: defaultTaps(taps, stemCount) };
}

/** The .onnx file among `files`, decoded, with external weights copied in from the files beside it. */
export function readOnnxFiles(files: TeacherFile[]): { model: OnnxModel; file: string } {
  const f = files.find((x) => /\.onnx$/i.test(x.name));
  if (!f) throw new Error('No .onnx file among the files.');
  const model = decodeOnnx(new Uint8Array(f.bytes), f.name);
  const ext = externalFiles(model);
  if (ext.length) {
    const byName = new Map(files.map((x) => [base(x.name), new Uint8Array(x.bytes)]));
    const missing = ext.filter((e) => !byName.has(base(e)));
    if (missing.length) {
      throw new Error(`${f.name} keeps its weights in ${missing.join(', ')}, which was not chosen. Pick ${missing.join(', ')} together with ${f.name}, ` +
        'or export again without external data (torch.onnx.export writes one file below 2 GB).');
    }
    inlineExternal(model, new Map(ext.map((e) => [e, byName.get(base(e))!])));
  }
  return { model, file: f.name };
}

