/**
 * Reading and editing an ONNX model in the browser with protobufjs's static code generated ahead
 * of time from onnx.proto (generated/onnx.js; npm run gen:onnx): its image input,
 * its intermediate values, external weight files, parameter count and FLOPs, and a copy of the
 * model with chosen intermediate values added as graph outputs (so onnxruntime returns them).
 */
import { onnx } from './generated/onnx.js';

type Int = number | { toNumber(): number };
const num = (v: Int | null | undefined): number => (v == null ? 0 : typeof v === 'number' ? v : v.toNumber());

interface Dim { dimValue?: Int; dimParam?: string }
interface ValueInfo { name: string; type?: { tensorType?: { elemType?: number; shape?: { dim: Dim[] } } } }
interface Attr { name: string; type?: number; i?: Int; ints?: Int[]; f?: number; s?: Uint8Array }
export interface OnnxNode { name?: string; opType: string; input: string[]; output: string[]; attribute: Attr[] }
interface Tensor { name: string; dims: Int[]; dataType: number; dataLocation?: number; externalData: { key: string; value: string }[]; rawData?: Uint8Array }
export interface OnnxModel {
  graph: { node: OnnxNode[]; initializer: Tensor[]; input: ValueInfo[]; output: ValueInfo[]; valueInfo: ValueInfo[] };
  metadataProps: { key: string; value: string }[];
  opsetImport?: { domain?: string | null; version?: Int | null }[];
  producerName?: string;
}

/** Decodes `bytes`; a truncated or foreign file fails with its name and the fix. */
export function decodeOnnx(bytes: Uint8Array, fileName: string): OnnxModel {
  let m: OnnxModel;
  try {
    m = onnx.ModelProto.decode(bytes) as unknown as OnnxModel;
  } catch (err) {
    throw new Error(`${fileName} is not a complete ONNX model (${err instanceof Error ? err.message : String(err)}): the file is truncated or not ONNX. Export it again with torch.onnx.export, or copy it again.`);
  }
  if (!m.graph || m.graph.node.length === 0) throw new Error(`${fileName} has no graph: it is not an ONNX model. Export one with torch.onnx.export.`);
  return m;
}

export function encodeOnnx(model: OnnxModel): Uint8Array {
  return onnx.ModelProto.encode(model as unknown as onnx.IModelProto).finish();
}

/** The graph's image input: the first input that is not an initializer, with its dims (0 = symbolic). */
export function graphInput(model: OnnxModel): { name: string; dims: number[] } {
  const inits = new Set(model.graph.initializer.map((t) => t.name));
  const input = model.graph.input.find((i) => !inits.has(i.name));
  if (!input) throw new Error('The ONNX graph has no input.');
  const dims = input.type?.tensorType?.shape?.dim.map((d) => num(d.dimValue)) ?? [];
  return { name: input.name, dims };
}

/** File names the model's initializers keep their data in (external data), in order. */
export function externalFiles(model: OnnxModel): string[] {
  const files = new Set<string>();
  for (const t of model.graph.initializer) {
    if (t.dataLocation === 1) files.add(t.externalData.find((e) => e.key === 'location')?.value ?? '?');
  }
  return [...files];
}

/** Copies external data from `files` (by location) into the initializers, so the model is self-contained. */
export function inlineExternal(model: OnnxModel, files: Map<string, Uint8Array>): void {
  for (const t of model.graph.initializer) {
    if (t.dataLocation !== 1) continue;
    const get = (k: string) => t.externalData.find((e) => e.key === k)?.value;
    const data = files.get(get('location') ?? '')!;
    const offset = Number(get('offset') ?? 0);
    const length = get('length') != null ? Number(get('length')) : data.length - offset;
    if (offset + length > data.length) throw new Error(`${get('location')} is shorter than the ONNX model says (tensor ${t.name}): copy it again.`);
    t.rawData = data.slice(offset, offset + length);
    t.externalData = [];
    t.dataLocation = 0;
  }
}

/** Values produced by nodes (candidate taps), in node order, with the node that makes each. */
export function nodeValues(model: OnnxModel): { value: string; node: OnnxNode; index: number }[] {
  const outs = new Set(model.graph.output.map((o) => o.name));
  return model.graph.node.flatMap((node, index) => node.output.filter((v) => v && !outs.has(v)).map((value) => ({ value, node, index })));
}

/** Values that hold constants: initializers, Constant outputs, and Identity copies of either (PyTorch exports shared weights so). */
function constantValues(model: OnnxModel): Set<string> {
  const consts = new Set(model.graph.initializer.map((t) => t.name));
  for (const n of model.graph.node) {
    if (n.opType === 'Constant' || (n.opType === 'Identity' && consts.has(n.input[0]))) n.output.forEach((o) => consts.add(o));
  }
  return consts;
}

/**
 * Index of the first node that ends a block, or −1: one that merges two computed branches (a
 * residual Add, a Concat), or a Mul that scales features by a gate of another shape (a
 * squeeze-and-excitation block's [N,C,1,1] × [N,C,H,W], as in MobileNetV3). The gate test needs
 * the value dims of a run (`dims`); without them a Mul never counts. A Mul of two values of one
 * shape (HardSwish exported before opset 14 as x · HardSigmoid(x)) is not a block boundary.
 */
export function firstMerge(model: OnnxModel, dims?: Map<string, number[]>): number {
  const consts = constantValues(model);
  return model.graph.node.findIndex((n) => {
    const computed = n.input.filter((i) => i && !consts.has(i));
    if (computed.length < 2) return false;
    if (['Add', 'Sum', 'Concat'].includes(n.opType)) return true;
    if (n.opType !== 'Mul' || !dims) return false;
    const [a, b] = computed.map((v) => dims.get(v));
    return !!a && !!b && a.length === 4 && b.length === 4 && a.join('x') !== b.join('x');
  });
}

/** Encoded copy of `model` with `values` added as graph outputs (name only: the runtime infers the type). */
export function withOutputs(model: OnnxModel, values: string[]): Uint8Array {
  const copy = onnx.ModelProto.decode(encodeOnnx(model)) as unknown as OnnxModel;
  const have = new Set(copy.graph.output.map((o) => o.name));
  for (const v of values) if (!have.has(v)) copy.graph.output.push(new onnx.ValueInfoProto({ name: v }) as unknown as ValueInfo);
  return encodeOnnx(copy);
}

/** Name of the NHWC image input teacherGraph gives an NCHW model. */
export const nhwcName = (value: string) => `${value}::nhwc`;

/** Output names of tap v's summary (teacherGraph): pooled [B,C] and energy [B,H,W]. */
export const summaryNames = (v: string) => ({ pooled: `${v}::pooled`, energy: `${v}::energy` });

/** The default-domain opset the model imports (axes of ReduceMean became an input in opset 18). */
function opsetOf(model: OnnxModel): number {
  const own = model.opsetImport?.find((o) => !o.domain || o.domain === 'ai.onnx');
  return own ? num(own.version) : 13;
}

/**
 * Encoded copy of a teacher model as the studio runs it.
 * - NCHW models read NHWC images (nhwcName of the input): a Transpose before the first node and,
 *   for images of another size (`resize`), a half-pixel bilinear Resize to the model's own size.
 * - For each tap v the graph computes and returns what the losses read of it (types.ts
 *   TapSummary; summaryNames(v)): pooled = ReduceMean over the map, [B,C], and energy =
 *   ReduceMean over channels of v·v, [B,H,W], on the model's own layout. The taps themselves stay
 *   inside the runtime: a 224 px MobileNetV2's four default taps are 777,728 floats an image,
 *   their summaries 6,357.
 */
export function teacherGraph(model: OnnxModel, taps: string[], layout: 'NCHW' | 'NHWC', resize?: { from: [number, number]; to: [number, number] }): Uint8Array {
  const copy = onnx.ModelProto.decode(encodeOnnx(model)) as unknown as OnnxModel;
  if (layout === 'NCHW') nhwcInput(copy, resize);
  const axesInput = opsetOf(copy) >= 18;
  const reduceMean = (from: string, to: string, axes: number[]): OnnxNode => {
    const keep = { name: 'keepdims', type: 2, i: 0 } as Attr;
    if (!axesInput) return { name: `${to}/mean`, opType: 'ReduceMean', input: [from], output: [to], attribute: [keep, { name: 'axes', type: 7, ints: axes } as Attr] };
    const name = `${to}::axes`;
    copy.graph.initializer.push({ name, dims: [axes.length], dataType: 7, externalData: [], rawData: new Uint8Array(BigInt64Array.from(axes.map(BigInt)).buffer) });
    return { name: `${to}/mean`, opType: 'ReduceMean', input: [from, name], output: [to], attribute: [keep] };
  };
  const [spatial, channel] = layout === 'NCHW' ? [[2, 3], [1]] : [[1, 2], [3]];
  for (const v of taps) {
    const { pooled, energy } = summaryNames(v);
    copy.graph.node.push(
      reduceMean(v, pooled, spatial),
      { name: `${v}/square`, opType: 'Mul', input: [v, v], output: [`${v}::square`], attribute: [] },
      reduceMean(`${v}::square`, energy, channel),
    );
    for (const o of [pooled, energy]) copy.graph.output.push(new onnx.ValueInfoProto({ name: o }) as unknown as ValueInfo);
  }
  return encodeOnnx(copy);
}

/** Gives an NCHW model (decoded copy, edited in place) an NHWC image input, resized when `resize` says so. */
function nhwcInput(copy: OnnxModel, resize?: { from: [number, number]; to: [number, number] }): void {
  const inits = new Set(copy.graph.initializer.map((t) => t.name));
  const input = copy.graph.input.find((i) => !inits.has(i.name))!;
  const original = input.name;
  input.name = nhwcName(original);
  const dims = input.type?.tensorType?.shape?.dim;
  if (dims && dims.length === 4) {
    input.type!.tensorType!.shape!.dim = resize ? [dims[0], { dimValue: resize.from[0] }, { dimValue: resize.from[1] }, dims[1]] : [dims[0], dims[2], dims[3], dims[1]];
  }
  const transpose = (from: string, to: string, perm: number[]): OnnxNode =>
    ({ name: `${to}/transpose`, opType: 'Transpose', input: [from], output: [to], attribute: [{ name: 'perm', type: 7, ints: perm } as Attr] });
  if (resize) {
    // NHWC images of `from` → NCHW → bilinear (half-pixel) to `to`, under the model's own input name.
    const scales = `${original}::scales`;
    const f = new Float32Array([1, 1, resize.to[0] / resize.from[0], resize.to[1] / resize.from[1]]);
    copy.graph.initializer.push({ name: scales, dims: [4], dataType: 1, externalData: [], rawData: new Uint8Array(f.buffer) });
    copy.graph.node.unshift(
      transpose(input.name, `${original}::nchw`, [0, 3, 1, 2]),
      { name: `${original}/resize`, opType: 'Resize', input: [`${original}::nchw`, '', scales], output: [original],
        attribute: [{ name: 'mode', type: 3, s: new TextEncoder().encode('linear') } as Attr, { name: 'coordinate_transformation_mode', type: 3, s: new TextEncoder().encode('half_pixel') } as Attr] },
    );
  } else {
    copy.graph.node.unshift(transpose(input.name, original, [0, 3, 1, 2]));
  }
}

/** Output names as the graph declares them. */
export const graphOutputs = (model: OnnxModel): string[] => model.graph.output.map((o) => o.name);

/** Stored weights: elements of every initializer. */
export function onnxParams(model: OnnxModel): number {
  return model.graph.initializer.reduce((a, t) => a + t.dims.reduce<number>((x, d) => x * num(d), 1), 0);
}

const ZERO_OPS = new Set(['Flatten', 'Reshape', 'Identity', 'Shape', 'Constant', 'Gather', 'Unsqueeze', 'Squeeze', 'Concat', 'Transpose', 'Cast', 'Dropout', 'Pad', 'Slice']);
/** FLOPs per output element of activations that cost more than one: HardSigmoid max(0, min(1, αx + β)) a multiply-add, HardSwish x · HardSigmoid(x) one more multiply. */
const PER_ELEMENT: Record<string, number> = { HardSigmoid: 2, HardSwish: 3 };
const ELEMENTWISE = new Set(['Relu', 'Sigmoid', 'Tanh', 'LeakyRelu', 'Clip', 'Add', 'Sub', 'Mul', 'Div', 'Sum', 'Max', 'Min', 'Neg', 'Exp', 'Log', 'Sqrt']);
const size = (d: number[] | undefined) => (d ?? []).slice(1).reduce((a, x) => a * x, 1);

/**
 * FLOPs of one image from the value dims of a batch-1 run (1 multiply-add = 2 FLOPs, as costs.ts):
 * Conv 2·out·k²·C_in/groups (+ bias), Gemm/MatMul 2·in·out (+ bias), BatchNormalization 2 per
 * element, element-wise ops 1 per element (HardSigmoid 2, HardSwish 3), pools by window. Other ops
 * count 0 and are listed.
 */
export function onnxFlops(model: OnnxModel, dims: Map<string, number[]>): { flops: number; uncounted: string[] } {
  const init = new Map(model.graph.initializer.map((t) => [t.name, t.dims.map(num)]));
  const shapeOf = (v: string) => dims.get(v) ?? init.get(v);
  const uncounted = new Set<string>();
  let flops = 0;
  for (const n of model.graph.node) {
    const out = shapeOf(n.output[0]);
    const outEl = size(out);
    const attr = (k: string) => n.attribute.find((a) => a.name === k);
    if (ZERO_OPS.has(n.opType)) continue;
    if (n.opType === 'Conv') {
      const w = init.get(n.input[1]) ?? shapeOf(n.input[1]) ?? [];
      flops += 2 * outEl * w.slice(1).reduce((a, x) => a * x, 1) + (n.input[2] ? outEl : 0);
    } else if (n.opType === 'Gemm' || n.opType === 'MatMul') {
      const a = shapeOf(n.input[0]);
      const k = a ? a[a.length - 1] : 0;
      flops += 2 * outEl * k + (n.input[2] ? outEl : 0);
    } else if (n.opType === 'BatchNormalization') {
      flops += 2 * outEl;
    } else if (PER_ELEMENT[n.opType]) {
      flops += outEl * PER_ELEMENT[n.opType];
    } else if (ELEMENTWISE.has(n.opType)) {
      flops += outEl * Math.max(1, n.input.length - 1);
    } else if (n.opType === 'GlobalAveragePool' || n.opType === 'ReduceMean') {
      flops += size(shapeOf(n.input[0]));
    } else if (n.opType === 'MaxPool' || n.opType === 'AveragePool') {
      flops += outEl * (attr('kernel_shape')?.ints ?? []).reduce<number>((a, x) => a * num(x), 1);
    } else {
      uncounted.add(n.opType);
    }
  }
  return { flops, uncounted: [...uncounted] };
}

/** Class names a model carries in its metadata (a "labels" entry holding a JSON list or comma-separated names). */
export function onnxLabels(model: OnnxModel): string[] | null {
  const entry = model.metadataProps?.find((p) => p.key === 'labels' || p.key === 'classes');
  if (!entry) return null;
  try {
    const v = JSON.parse(entry.value) as unknown;
    if (Array.isArray(v) && v.every((x) => typeof x === 'string')) return v as string[];
  } catch { /* not JSON: comma-separated */ }
  return entry.value.split(',').map((s) => s.trim());
}
