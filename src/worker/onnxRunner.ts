/**
 * The teacher worker's ONNX runtime: onnxruntime-web (wasm execution; WebGPU when the run trains
 * on WebGPU and it passes a self-test, onnxWebgpu.ts), imported only when an ONNX teacher is used, its .wasm served by the studio itself (a Vite asset URL, no CDN).
 * `probe` runs one zero image through a model whose intermediate values were added as graph
 * outputs (src/ml/onnx/graph.ts) and reports each value's dims; `OnnxRunner.forward` runs a
 * batch and hands back logits and the summaries of the chosen taps (graph.ts teacherGraph adds
 * them to the model: the taps themselves never leave the runtime).
 */
import ortWasmUrl from 'onnxruntime-web/ort-wasm-simd-threaded.wasm?url';
import type { InferenceSession, Tensor } from 'onnxruntime-web';
import type { PreprocessId } from '../domain';
import { teacherThreads } from '../domain/teacherBudget';
import { preprocessInPlace } from '../ml/teacher/preprocess';
import { nhwcToNchw } from '../ml/onnx/layout';
import type { TeacherArrays } from '../ml/types';

export interface OnnxInit {
  /** The model with the chosen taps' summaries added as graph outputs (graph.ts teacherGraph). */
  bytes: ArrayBuffer;
  inputName: string;
  layout: 'NCHW' | 'NHWC';
  /** [height, width, channels] the model reads. */
  inputShape: [number, number, number];
  logitsName: string;
  softmaxOutput: boolean;
  /** Per tap, in tap order, the output names of its summary: pooled [B,C] and energy [B,H,W]. */
  summaries: { pooled: string; energy: string }[];
  /** Try WebGPU execution (kept only if it passes its self-test against wasm). */
  preferWebgpu?: boolean;
  /** The batch the graph fixes (torch.onnx.export without dynamic_axes): batches run in runs of this many. */
  fixedBatch?: number | null;
  /** Most images per session run (from the activation size, teacherBudget.ts): a larger batch runs in parts. */
  maxBatch?: number;
}

export interface OnnxProbe { outputs: { name: string; dims: number[] }[]; milliseconds: number }

type Ort = typeof import('onnxruntime-web/wasm');
let ortModule: Promise<Ort> | null = null;

/** Threads the runtime of this worker was started with (fixed at its first use). */
export let ortThreads = 1;

/**
 * onnxruntime-web, loaded on first use. Its thread count is fixed then, for every session of this
 * worker: every core but one when the page is cross-origin isolated (teacherThreads), else one.
 */
export function loadOrt(): Promise<Ort> {
  ortModule ??= import('onnxruntime-web/wasm').then((ort) => {
    ort.env.wasm.wasmPaths = { wasm: ortWasmUrl };
    ortThreads = teacherThreads(globalThis.navigator?.hardwareConcurrency, globalThis.crossOriginIsolated === true);
    ort.env.wasm.numThreads = ortThreads;
    ort.env.wasm.proxy = false;
    return ort;
  });
  return ortModule;
}

async function createSession(bytes: ArrayBuffer): Promise<InferenceSession> {
  const ort = await loadOrt();
  try {
    // No CPU arena (it grows in power-of-two extensions and keeps them) and no memory pattern (a
    // block planned per input shape): the wasm heap under them never shrinks, and without them a
    // pass takes what it needs from the heap's own allocator. bench:photo's renderer peak: 1,058
    // and 1,062 MiB with the pattern, 1,038 and 1,045 without; the baseline is no slower.
    return await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['wasm'], graphOptimizationLevel: 'all', enableCpuMemArena: false, enableMemPattern: false });
  } catch (err) {
    throw new Error(`onnxruntime-web could not load the model (${err instanceof Error ? err.message : String(err)}).`);
  }
}

export async function probe(bytes: ArrayBuffer, inputName: string, inputDims: number[]): Promise<OnnxProbe> {
  const ort = await loadOrt();
  const session = await createSession(bytes);
  try {
    const x = new ort.Tensor('float32', new Float32Array(inputDims.reduce((a, d) => a * d, 1)), inputDims);
    const t0 = performance.now();
    const out = await session.run({ [inputName]: x });
    const milliseconds = performance.now() - t0;
    return { outputs: session.outputNames.map((name) => ({ name, dims: [...(out[name] as Tensor).dims] })), milliseconds };
  } finally {
    await session.release();
  }
}

export class OnnxRunner {
  private constructor(
    private readonly init: OnnxInit,
    private readonly session: InferenceSession,
    private readonly ort: Pick<Ort, 'Tensor'>,
    /** Where it runs: 'wasm', 'webgpu', or wasm and why WebGPU is not used. */
    readonly where: string,
  ) {}

  /** A runner over a session made elsewhere (tests run onnxruntime-node's, which has the same run API). */
  static over(init: OnnxInit, session: InferenceSession, ort: Pick<Ort, 'Tensor'>, where: string): OnnxRunner {
    return new OnnxRunner(init, session, ort, where);
  }

  static async create(init: OnnxInit): Promise<OnnxRunner> {
    const ort = await loadOrt();
    const wasm = await createSession(init.bytes);
    if (!init.preferWebgpu) return new OnnxRunner(init, wasm, ort, 'wasm');
    const { webgpuSession } = await import('./onnxWebgpu');
    const [h, w, c] = init.inputShape;
    const n = init.fixedBatch ?? 2;
    const dims = init.layout === 'NCHW' ? [n, c, h, w] : [n, h, w, c];
    const gpu = await webgpuSession(init.bytes, wasm, ort, init.inputName, dims, [init.logitsName, ...init.summaries.flatMap((s) => [s.pooled, s.energy])]);
    if (typeof gpu === 'string') return new OnnxRunner(init, wasm, ort, `wasm; ${gpu}`);
    await wasm.release();
    return new OnnxRunner(init, gpu.session, gpu.ort as unknown as Pick<Ort, 'Tensor'>, 'webgpu');
  }

  /** The model's input for one run, reused: ort copies it into its own heap during the run. */
  private scratch: Float32Array | null = null;

  /**
   * x: [B,H,W,C] floats in [0, 1] (consumed). A model with a fixed batch n runs ceil(B / n)
   * times on runs of n images (the last one padded with zeros); a batch above maxBatch runs in
   * parts of maxBatch; the rows are joined. `logitsOnly`: only the logits are fetched (scoring).
   * Each output is written once into the arrays handed back, and the input of a run is a view of
   * x or one reused array, so a batch leaves no other garbage than the runtime's own output
   * copies. `alloc` gives the arrays handed back (arrayPool.ts).
   */
  async forward(x: Float32Array, B: number, preprocess: PreprocessId, logitsOnly = false, alloc: (n: number) => Float32Array = (n) => new Float32Array(n)): Promise<TeacherArrays> {
    const { inputName, layout, inputShape: [h, w, c], fixedBatch, maxBatch, softmaxOutput } = this.init;
    preprocessInPlace(x, c, preprocess);
    const n = fixedBatch ?? Math.min(B, Math.max(1, maxBatch ?? B));
    const per = h * w * c;
    const names = this.fetches(logitsOnly);
    let outs: Float32Array[] | null = null;
    for (let at = 0; at < B; at += n) {
      const k = Math.min(n, B - at);
      const size = fixedBatch ? n : k;
      const rows = x.subarray(at * per, (at + k) * per);
      let data = rows;
      if (layout === 'NCHW' || size !== k) {
        if (this.scratch?.length !== size * per) this.scratch = new Float32Array(size * per);
        data = this.scratch;
        if (layout === 'NCHW') nhwcToNchw(rows, k, h, w, c, data);
        else data.set(rows);
        data.fill(0, k * per);
      }
      const input = new this.ort.Tensor('float32', data, layout === 'NCHW' ? [size, c, h, w] : [size, h, w, c]);
      const res = await this.session.run({ [inputName]: input }, names);
      const got = names.map((name) => res[name] as Tensor);
      outs ??= got.map((t) => alloc((t.data.length / size) * B));
      got.forEach((t, i) => {
        const d = t.data as Float32Array;
        const m = d.length / size;
        outs![i].set(d.subarray(0, k * m), at * m);
      });
      for (const t of Object.values(res)) (t as Tensor).dispose();
    }
    const [logits, ...sums] = outs!;
    if (softmaxOutput) for (let i = 0; i < logits.length; i++) logits[i] = Math.log(Math.max(logits[i], 1e-12));
    return { logits, pooled: sums.filter((_, i) => i % 2 === 0), energy: sums.filter((_, i) => i % 2 === 1) };
  }

  /** The names a run fetches: the logits alone for scoring, else the logits and each tap's pooled and energy values. */
  fetches(logitsOnly: boolean): string[] {
    return logitsOnly ? [this.init.logitsName] : [this.init.logitsName, ...this.init.summaries.flatMap((s) => [s.pooled, s.energy])];
  }

  /** Milliseconds of each of `runs` session runs on one random batch, logits and tap summaries fetched (no conversions). */
  async bench(B: number, runs: number): Promise<number[]> {
    const { inputName, layout, inputShape: [h, w, c], fixedBatch } = this.init;
    // A fixed-batch model: time ceil(B / n) runs of n images, as forward does.
    const repeat = fixedBatch ? Math.ceil(B / fixedBatch) : 1;
    B = fixedBatch ?? B;
    const data = Float32Array.from({ length: B * h * w * c }, (_, i) => ((i * 2654435761) % 1000) / 1000);
    const input = new this.ort.Tensor('float32', data, layout === 'NCHW' ? [B, c, h, w] : [B, h, w, c]);
    const times: number[] = [];
    for (let i = 0; i < runs; i++) {
      const t0 = performance.now();
      for (let r = 0; r < repeat; r++) {
        const out = await this.session.run({ [inputName]: input }, this.fetches(false));
        for (const t of Object.values(out)) (t as Tensor).dispose();
      }
      times.push(performance.now() - t0);
    }
    return times;
  }

  release(): Promise<void> { return this.session.release(); }
}
