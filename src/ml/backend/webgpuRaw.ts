/**
 * Low-level access to TF.js 4.22's WebGPU backend for our own kernels and for steady-state
 * hygiene:
 *
 * - `dispatchRaw` runs a hand-written WGSL compute shader with several inputs and several
 *   outputs (TF.js's WebGPUProgram has one output) in the backend's own command encoder and
 *   compute pass, with its pipeline cached, so it is ordered with every stock kernel;
 * - `installWebGpuHygiene` makes uploads of CPU values (every `tf.tensor(...)` / JS scalar an
 *   op turns into a tensor) reuse pooled buffers through `queue.writeBuffer` instead of
 *   creating a mapped staging buffer each time (which also ended the compute pass), and lets
 *   a training step's commands go to the queue in one submit (`flushWebGpu` at its end).
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

const STORAGE = 0x0080;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;

type Gpu = Record<string, (...a: unknown[]) => unknown> & Record<string, unknown>;

interface TensorData { dtype: string; shape: number[]; values: ArrayLike<number> | null; resource: unknown; refCount: number }

export interface WebGpuBackendInternals {
  device: Gpu & { queue: Gpu };
  queue: Gpu;
  tensorMap: { get(id: object): TensorData };
  bufferManager: { acquireBuffer(size: number, usage: number, mapped?: boolean, reuse?: boolean): Gpu };
  commandEncoder: Gpu | null;
  computePassEncoder: Gpu | null;
  dispatchCountInPass: number;
  commandQueueOwnedIds: WeakSet<object>;
  makeTensorInfo(shape: number[], dtype: string): TensorInfo;
  uploadToGPU(dataId: object): void;
  ensureCommandEncoderReady(): void;
  endComputePassEncoder(): void;
  submitQueue(): void;
  makeUniforms(u: { type: string; data: number[] }[]): unknown;
}

export function webgpuInternals(backend: unknown): WebGpuBackendInternals {
  return backend as WebGpuBackendInternals;
}

const pipelines = new WeakMap<object, Map<string, Gpu>>();

function pipelineFor(be: WebGpuBackendInternals, key: string, wgsl: string): Gpu {
  let cache = pipelines.get(be.device);
  if (!cache) { cache = new Map(); pipelines.set(be.device, cache); }
  let p = cache.get(key);
  if (!p) {
    const module = be.device.createShaderModule({ code: wgsl });
    p = be.device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } }) as Gpu;
    cache.set(key, p);
  }
  return p;
}

/**
 * Whether `t`'s buffer holds values of its own dtype: TF.js's webgpu Cast from int32 (or bool)
 * to float32 shares the input's buffer, so the float32 tensor's buffer holds int32 bits.
 */
export function storedAsOwnDtype(backend: unknown, t: TensorInfo): boolean {
  return webgpuInternals(backend).tensorMap.get(t.dataId).dtype === t.dtype;
}

/** A GPU buffer binding of a tensor (uploaded first if its values are still on the CPU). */
function binding(be: WebGpuBackendInternals, t: TensorInfo): { buffer: unknown } {
  if (be.tensorMap.get(t.dataId).dtype !== t.dtype) {
    throw new Error(`dispatchRaw: a ${t.dtype} [${t.shape}] tensor is stored as ${be.tensorMap.get(t.dataId).dtype} (a cast that shares its buffer); `
      + 'copy it first (e.g. tf.add(x, 0))');
  }
  be.uploadToGPU(t.dataId);
  return { buffer: be.tensorMap.get(t.dataId).resource };
}

export type Uniform = { type: 'float32' | 'int32' | 'uint32'; data: number[] };
export const u32 = (v: number): Uniform => ({ type: 'uint32', data: [v] });
export const f32 = (v: number): Uniform => ({ type: 'float32', data: [v] });

/** What TF.js hands one of our kernel functions. */
export interface KernelArgs { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }

/** Registry entries for backend 'webgpu', one per [kernel name, kernel function]. */
export function webgpuConfigs(...kernels: [string, (a: KernelArgs) => TensorInfo | TensorInfo[]][]): KernelConfig[] {
  return kernels.map(([kernelName, f]) => ({ kernelName, backendName: 'webgpu', kernelFunc: f as unknown as KernelFunc }));
}

/**
 * Records one dispatch of `wgsl` (entry point `main`): bindings 0… are `outputs`, then `inputs`,
 * then one uniform buffer with `uniforms` (laid out as TF.js lays out program uniforms: scalars
 * are 4 bytes each, in order). Every binding must be used by the shader.
 */
export function dispatchRaw(
  backend: unknown, key: string, wgsl: string, outputs: TensorInfo[], inputs: TensorInfo[],
  uniforms: Uniform[], workgroups: [number, number?, number?],
): void {
  const be = webgpuInternals(backend);
  const pipeline = pipelineFor(be, key, wgsl);
  const entries = [...outputs, ...inputs].map((t, i) => ({ binding: i, resource: binding(be, t) }));
  entries.push({ binding: entries.length, resource: be.makeUniforms(uniforms) as { buffer: unknown } });
  for (const t of [...outputs, ...inputs]) be.commandQueueOwnedIds.add(t.dataId);
  const bindGroup = be.device.createBindGroup({ layout: (pipeline.getBindGroupLayout as (i: number) => unknown)(0), entries });
  be.ensureCommandEncoderReady();
  if (!be.computePassEncoder) be.computePassEncoder = (be.commandEncoder!.beginComputePass as (d: object) => Gpu)({});
  const pass = be.computePassEncoder;
  pass.setPipeline(pipeline);
  pass.setBindGroup(0, bindGroup);
  pass.dispatchWorkgroups(workgroups[0], workgroups[1] ?? 1, workgroups[2] ?? 1);
  be.dispatchCountInPass++;
  if ((tf.env().get('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE') as number) <= be.dispatchCountInPass) {
    be.endComputePassEncoder();
    be.submitQueue();
  }
}

/** Workgroups for a 1-D grid-stride loop over n elements with `size`-thread workgroups. */
export function groups1d(n: number, size = 64): number {
  return Math.max(1, Math.min(Math.ceil(n / size), 65535));
}

/**
 * Dispatches a step may queue before TF.js submits on its own. A step ends with `flushWebGpu`,
 * so a training step is one submit (plus one per readback, and the rare overflow).
 */
export const STEP_SUBMIT_BATCH = 4096;

const hygienic = new WeakSet<object>();

/** Pooled, writeBuffer-based uploads and one submit per step, for the active webgpu backend. Idempotent. */
export function installWebGpuHygiene(): void {
  if (tf.getBackend() !== 'webgpu') return;
  const backend = tf.backend();
  if (hygienic.has(backend)) return;
  hygienic.add(backend);
  const be = webgpuInternals(backend);
  const stock = be.uploadToGPU.bind(be);
  be.uploadToGPU = (dataId: object) => {
    const d = be.tensorMap.get(dataId);
    if (d.resource != null || d.values == null || d.values.length === 0 || (d.dtype !== 'float32' && d.dtype !== 'int32' && d.dtype !== 'bool')) {
      stock(dataId);
      return;
    }
    const n = d.shape.reduce((a, b) => a * b, 1);
    // Pooled by (size, usage), as TF.js pools its own buffers; ordered before the pending commands,
    // which cannot use a buffer that is free in the pool.
    const buffer = be.bufferManager.acquireBuffer(4 * n, STORAGE | COPY_SRC | COPY_DST);
    const v = d.values;
    const data = d.dtype === 'float32' ? (v instanceof Float32Array ? v : Float32Array.from(v)) : (v instanceof Int32Array ? v : Int32Array.from(v));
    be.queue.writeBuffer(buffer, 0, data);
    d.resource = buffer;
    d.values = null;
  };
  tf.env().set('WEBGPU_DEFERRED_SUBMIT_BATCH_SIZE', STEP_SUBMIT_BATCH);
}

/** Submits what the active webgpu backend has queued (no-op elsewhere or when nothing is queued). */
export function flushWebGpu(): void {
  if (tf.getBackend() !== 'webgpu') return;
  const be = webgpuInternals(tf.backend());
  if (be.commandEncoder == null) return;
  be.endComputePassEncoder();
  be.submitQueue();
}
