/**
 * MobileNetV3-small as torchvision builds it (fixtures/onnx/mobilenet-v3-small.onnx, made by
 * make_fixture.py --mobilenet: width 0.25, 3×64×64 input, opset 14, untrained; only its graph
 * matters here). Its first residual Add comes at 8×8, so the squeeze-and-excitation Mul of the
 * first block has to end the stem for the 16×16 stage to get a default tap; HardSwish and
 * HardSigmoid cost FLOPs.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { onnxInputOf, onnxTapsOf, readOnnxFiles } from './describe';
import { firstMerge, nodeValues, onnxFlops, withOutputs, type OnnxModel } from './graph';

const FIX = path.resolve(__dirname, '../../../fixtures/onnx');
const bytes = readFileSync(path.join(FIX, 'mobilenet-v3-small.onnx'));
const files = [{ name: 'mobilenet-v3-small.onnx', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.length) as ArrayBuffer }];

async function probe(model: OnnxModel, dims: number[]): Promise<Map<string, number[]>> {
  const s = await ort.InferenceSession.create(withOutputs(model, nodeValues(model).map((v) => v.value)));
  const out = await s.run({ input: new ort.Tensor('float32', new Float32Array(dims.reduce((a, d) => a * d, 1)), dims) });
  await s.release();
  return new Map(Object.entries(out).map(([k, t]) => [k, [...t.dims]]));
}

describe('MobileNetV3-small (torchvision, ONNX opset 14)', () => {
  const { model, file } = readOnnxFiles(files);
  const io = onnxInputOf(model, file, [64, 64, 3]);

  it('the first SE block\'s Mul ends the stem, so every stage from 16×16 down gets a default tap', async () => {
    const dims = await probe(model, io.probeDims);
    const merge = firstMerge(model, dims);
    expect(model.graph.node[merge].opType).toBe('Mul');
    // Without the run's dims no Mul counts: the first merge is then the residual Add at 8×8.
    const addAt = firstMerge(model);
    expect(model.graph.node[addAt].opType).toBe('Add');
    expect(dims.get(model.graph.node[addAt].output[0])!.slice(2)).toEqual([8, 8]);
    const t = onnxTapsOf(model, file, dims, io);
    const shapes = t.defaultTaps.map((n) => t.taps.find((x) => x.name === n)!.shape.slice(0, 2));
    expect(shapes).toEqual([[16, 16], [8, 8], [4, 4], [2, 2]]);
    // The stem's 32×32 output is a candidate, not a default.
    expect(t.taps.some((x) => x.shape[0] === 32)).toBe(true);
  });

  it('counts HardSwish (3 per element) and HardSigmoid (2 per element); no op is left uncounted', async () => {
    const dims = await probe(model, io.probeDims);
    const flops = onnxFlops(model, dims);
    expect(flops.uncounted).toEqual([]);
    const elements = (op: string) => model.graph.node.filter((n) => n.opType === op)
      .reduce((a, n) => a + dims.get(n.output[0])!.slice(1).reduce((x, d) => x * d, 1), 0);
    expect(elements('HardSwish')).toBeGreaterThan(0);
    expect(elements('HardSigmoid')).toBeGreaterThan(0);
    // The same graph with the activations made free (Identity) costs exactly their share less.
    const free: OnnxModel = { ...model, graph: { ...model.graph, node: model.graph.node.map((n) => (n.opType.startsWith('Hard') ? { ...n, opType: 'Identity' } : n)) } };
    expect(flops.flops - onnxFlops(free, dims).flops).toBe(3 * elements('HardSwish') + 2 * elements('HardSigmoid'));
  });
});
