/**
 * How fast onnxruntime's wasm build can be on this CPU at all, next to its native build: the
 * same wasm binary the studio ships (onnxruntime-web, one thread) run under Node's V8, outside
 * any browser, against onnxruntime-node (one intra-op thread), on the fixture and on two
 * single-op models made here: a 512×512×512 MatMul (the best case for either runtime) and the
 * fixture's largest layer alone (3×3 conv, 16→16 channels, 28×28, batch 128). If even the
 * MatMul's ratio is far under 0.5, the gap is the instruction set (wasm SIMD is 128 bits wide
 * with no fused multiply-add; the native build uses the CPU's AVX2/AVX-512), not the studio.
 */
import { readFileSync } from 'node:fs';
import * as ortNode from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { encodeOnnx, type OnnxModel } from '../src/ml/onnx/graph';

type Runtime = typeof ortNode | typeof ortWeb;

const FLOAT = 1;
const INTS = 7;

function weights(name: string, dims: number[]) {
  const n = dims.reduce((a, b) => a * b, 1);
  const f = Float32Array.from({ length: n }, (_, i) => (((i * 2654435761) % 1000) / 1000 - 0.5) * 0.1);
  return { name, dims, dataType: FLOAT, rawData: new Uint8Array(f.buffer), externalData: [] };
}
const valueInfo = (name: string, dims: number[]) => ({ name, type: { tensorType: { elemType: FLOAT, shape: { dim: dims.map((d) => ({ dimValue: d })) } } } });

function oneOp(node: { opType: string; attribute: unknown[] }, w: number[], x: number[], y: number[]): Uint8Array {
  const model = {
    irVersion: 8, opsetImport: [{ domain: '', version: 13 }], producerName: 'rtk-studio bench',
    graph: { name: node.opType, node: [{ ...node, input: ['x', 'w'], output: ['y'] }], initializer: [weights('w', w)], input: [valueInfo('x', x)], output: [valueInfo('y', y)], valueInfo: [] },
    metadataProps: [],
  };
  return encodeOnnx(model as unknown as OnnxModel);
}

async function msPerRun(rt: Runtime, bytes: Uint8Array, inputName: string, dims: number[], runs: number): Promise<number> {
  const session = await rt.InferenceSession.create(bytes, rt === ortNode ? { intraOpNumThreads: 1, interOpNumThreads: 1 } : { executionProviders: ['wasm'] });
  const x = new rt.Tensor('float32', Float32Array.from({ length: dims.reduce((a, b) => a * b, 1) }, (_, i) => ((i * 2654435761) % 1000) / 1000), dims);
  const times: number[] = [];
  for (let i = 0; i < runs + 5; i++) {
    const t0 = performance.now();
    await session.run({ [inputName]: x } as never);
    if (i >= 5) times.push(performance.now() - t0);
  }
  await session.release();
  return times.sort((a, b) => a - b)[Math.floor(times.length / 2)];
}

export interface CeilingRow { model: string; unit: 'GFLOP/s' | 'images/s'; native: number; wasmInNode: number; ratio: number }

export async function ortCeiling(fixturePath: string, runs = 20): Promise<CeilingRow[]> {
  ortWeb.env.wasm.numThreads = 1;
  const cases = [
    { model: 'MatMul 512×512 · 512×512', bytes: oneOp({ opType: 'MatMul', attribute: [] }, [512, 512], [512, 512], [512, 512]), input: 'x', dims: [512, 512], work: 2 * 512 ** 3, unit: 'GFLOP/s' as const },
    {
      model: 'Conv 3×3, 16→16 channels, 28×28, batch 128',
      bytes: oneOp({ opType: 'Conv', attribute: [{ name: 'pads', type: INTS, ints: [1, 1, 1, 1] }, { name: 'kernel_shape', type: INTS, ints: [3, 3] }] }, [16, 16, 3, 3], [128, 16, 28, 28], [128, 16, 28, 28]),
      input: 'x', dims: [128, 16, 28, 28], work: 2 * 128 * 784 * 16 * 16 * 9, unit: 'GFLOP/s' as const,
    },
    { model: 'the fixture (no taps), batch 128', bytes: new Uint8Array(readFileSync(fixturePath)), input: 'input', dims: [128, 1, 28, 28], work: 128, unit: 'images/s' as const },
  ];
  const rows: CeilingRow[] = [];
  for (const c of cases) {
    const rate = (ms: number) => (c.unit === 'GFLOP/s' ? c.work / (ms / 1000) / 1e9 : c.work / (ms / 1000));
    // The best of three medians per runtime, taken in turn (this machine is shared, and a round
    // can lose its core to another process).
    let native = 0;
    let wasmInNode = 0;
    for (let round = 0; round < 3; round++) {
      native = Math.max(native, rate(await msPerRun(ortNode, c.bytes, c.input, c.dims, runs)));
      wasmInNode = Math.max(wasmInNode, rate(await msPerRun(ortWeb, c.bytes, c.input, c.dims, runs)));
    }
    const round = (v: number) => (c.unit === 'GFLOP/s' ? Number(v.toFixed(1)) : Math.round(v));
    rows.push({ model: c.model, unit: c.unit, native: round(native), wasmInNode: round(wasmInNode), ratio: Number((wasmInNode / native).toFixed(3)) });
  }
  return rows;
}
