/**
 * onnxruntime-web's WebGPU execution for an ONNX teacher, used only after a self-test: the same
 * two images through the WebGPU session and the wasm one must give the same logits and tap summaries
 * (within 1e-3 of the largest value). Loaded only when the run trains on WebGPU.
 */
import ortAsyncifyUrl from 'onnxruntime-web/ort-wasm-simd-threaded.asyncify.wasm?url';
import type { InferenceSession, Tensor } from 'onnxruntime-web';

type OrtGpu = typeof import('onnxruntime-web/webgpu');
let gpuModule: Promise<OrtGpu> | null = null;

function loadOrtGpu(): Promise<OrtGpu> {
  gpuModule ??= import('onnxruntime-web/webgpu').then((ort) => {
    ort.env.wasm.wasmPaths = { wasm: ortAsyncifyUrl };
    ort.env.wasm.numThreads = 1;
    ort.env.wasm.proxy = false;
    return ort;
  });
  return gpuModule;
}

export interface GpuChoice { session: InferenceSession; ort: OrtGpu }

/**
 * A WebGPU session of `bytes` that agrees with `reference` (the wasm session) on two test images
 * of `dims`, or the reason it is not used.
 */
export async function webgpuSession(bytes: ArrayBuffer, reference: InferenceSession, refOrt: { Tensor: typeof Tensor }, inputName: string, dims: number[], fetches: string[]): Promise<GpuChoice | string> {
  if (typeof navigator === 'undefined' || !('gpu' in navigator)) return 'no WebGPU in this worker';
  let session: InferenceSession | null = null;
  try {
    const ort = await loadOrtGpu();
    session = await ort.InferenceSession.create(new Uint8Array(bytes), { executionProviders: ['webgpu'], graphOptimizationLevel: 'all' });
    const size = dims.reduce((a, d) => a * d, 1);
    const data = Float32Array.from({ length: size }, (_, i) => ((i * 2654435761) % 997) / 997);
    const want = await reference.run({ [inputName]: new refOrt.Tensor('float32', data, dims) }, fetches);
    const got = await session.run({ [inputName]: new ort.Tensor('float32', data.slice(), dims) }, fetches);
    for (const name of fetches) {
      const a = (want[name] as Tensor).data as Float32Array;
      const b = (got[name] as Tensor).data as Float32Array;
      const scale = a.reduce((m, v) => Math.max(m, Math.abs(v)), 1);
      for (let i = 0; i < a.length; i++) {
        if (!(Math.abs(a[i] - b[i]) <= 1e-3 * scale)) {
          await session.release();
          return `WebGPU failed its self-test (${name}[${i}]: ${b[i]} instead of ${a[i]})`;
        }
      }
    }
    return { session, ort };
  } catch (err) {
    await session?.release().catch(() => undefined);
    return `WebGPU could not run the model (${err instanceof Error ? err.message : String(err)})`;
  }
}
