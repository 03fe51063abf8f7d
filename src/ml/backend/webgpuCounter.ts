/**
 * Counts what the WebGPU backend issues to the device: compute passes, dispatches, queue
 * submits, buffers and bind groups created, writeBuffer calls (and bytes) and buffer maps for
 * reading (readbacks) or writing. It wraps the methods of one GPUDevice and its queue (own
 * properties that shadow the prototype's), and of each command encoder, compute pass and buffer
 * they hand out, so it sees every call TF.js makes, on any adapter (SwiftShader included) and in
 * Node (Dawn) as in the browser.
 *
 * `byProgram` attributes dispatches to the TF.js program that issued them (its shader key's
 * first word, or its class name), for the per-kernel breakdown.
 */
import * as tf from '@tensorflow/tfjs';

export interface WebGpuCounts {
  computePasses: number;
  dispatches: number;
  submits: number;
  buffersCreated: number;
  bytesCreated: number;
  bindGroups: number;
  writeBuffers: number;
  bytesWritten: number;
  /** mapAsync(READ): each one is a GPU → CPU readback the caller waits for. */
  readbacks: number;
  /** mapAsync(WRITE). */
  mapWrites: number;
}

const ZERO: WebGpuCounts = {
  computePasses: 0, dispatches: 0, submits: 0, buffersCreated: 0, bytesCreated: 0,
  bindGroups: 0, writeBuffers: 0, bytesWritten: 0, readbacks: 0, mapWrites: 0,
};

const MAP_READ = 0x0001;

type Fn = (...args: never[]) => unknown;
type Obj = Record<string, unknown>;

/** Replaces obj[name] with a wrapper that calls `before` and then the original (bound to obj). */
function wrap(obj: Obj, name: string, before: (args: unknown[]) => void, after?: (result: unknown) => unknown): void {
  const original = obj[name] as Fn | undefined;
  if (typeof original !== 'function') return;
  obj[name] = function counted(...args: unknown[]) {
    before(args);
    const r = (original as (...a: unknown[]) => unknown).apply(obj, args);
    return after ? after(r) : r;
  };
}

const WRAPPED = Symbol('rtkCounted');

export class WebGpuCounter {
  counts: WebGpuCounts = { ...ZERO };
  byProgram = new Map<string, number>();
  private program: string | null = null;
  /** The TF.js kernel being run (outermost), when `byKernel` is on. */
  kernel: string | null = null;

  constructor(device: Obj) {
    if (device[WRAPPED as unknown as string]) throw new Error('WebGpuCounter: this device is already counted');
    device[WRAPPED as unknown as string] = true;
    const c = () => this.counts;
    const wrapBuffer = (buffer: unknown) => {
      wrap(buffer as Obj, 'mapAsync', (a) => { if ((Number(a[0]) & MAP_READ) !== 0) c().readbacks++; else c().mapWrites++; });
      return buffer;
    };
    wrap(device, 'createBuffer', (a) => { c().buffersCreated++; c().bytesCreated += Number((a[0] as { size?: number })?.size ?? 0); }, wrapBuffer);
    wrap(device, 'createBindGroup', () => { c().bindGroups++; });
    wrap(device, 'createCommandEncoder', () => undefined, (encoder) => {
      wrap(encoder as Obj, 'beginComputePass', () => { c().computePasses++; }, (pass) => {
        wrap(pass as Obj, 'dispatchWorkgroups', () => {
          c().dispatches++;
          const p = this.kernel ? `${this.kernel}:${this.program ?? 'raw'}` : this.program ?? 'raw';
          this.byProgram.set(p, (this.byProgram.get(p) ?? 0) + 1);
        });
        return pass;
      });
      return encoder;
    });
    const queue = device.queue as Obj;
    wrap(queue, 'submit', () => { c().submits++; });
    wrap(queue, 'writeBuffer', (a) => {
      c().writeBuffers++;
      const data = a[2] as ArrayBufferView | ArrayBuffer | undefined;
      const size = a[4] != null ? Number(a[4]) : data != null ? data.byteLength : 0;
      c().bytesWritten += size;
    });
  }

  /** Names dispatches after the program being run (called by the backend hook below). */
  setProgram(name: string | null): void { this.program = name; }

  reset(): void {
    this.counts = { ...ZERO };
    this.byProgram.clear();
  }

  /** Counts since the last reset, divided by `steps`. */
  perStep(steps: number): WebGpuCounts {
    const out = { ...ZERO };
    for (const k of Object.keys(out) as (keyof WebGpuCounts)[]) out[k] = this.counts[k] / steps;
    return out;
  }

  /** Programs by dispatches since the last reset, most first. */
  breakdown(limit = 25): { program: string; dispatches: number }[] {
    return [...this.byProgram.entries()].sort((a, b) => b[1] - a[1]).slice(0, limit).map(([program, dispatches]) => ({ program, dispatches }));
  }
}

interface WebGpuBackendLike {
  device: Obj;
  runWebGPUProgram(program: { shaderKey?: string; constructor: { name: string } }, ...rest: unknown[]): unknown;
}

let current: WebGpuCounter | null = null;

/** Program name for the breakdown: the first word of TF.js's shader key, else the class name. */
function programName(program: { shaderKey?: string; constructor: { name: string } }, shaderKey?: string): string {
  const key = shaderKey ?? program.shaderKey;
  const word = key?.split(/[_\s[(]/)[0];
  return word != null && word.length > 1 ? word : program.constructor.name;
}

/**
 * The counter of the active webgpu backend's device (created on the first call; the same one
 * after). Null when the active backend is not webgpu.
 */
export function webgpuCounter(): WebGpuCounter | null {
  if (tf.getBackend() !== 'webgpu') return null;
  const backend = tf.backend() as unknown as WebGpuBackendLike;
  if (current && (backend as unknown as Obj)[WRAPPED as unknown as string] === current) return current;
  const counter = new WebGpuCounter(backend.device);
  const run = backend.runWebGPUProgram.bind(backend);
  backend.runWebGPUProgram = (program, ...rest) => {
    // The shader key is set inside runWebGPUProgram, before the dispatch; the class name is
    // known now, and custom programs carry a readable shaderKey prefix.
    counter.setProgram(programName(program));
    try { return run(program, ...rest); } finally { counter.setProgram(null); }
  };
  // The breakdown also names the TF.js kernel (outermost) each dispatch belongs to; inside a
  // tf.customGrad forward pass (no kernel name: 'custom') the named kernels it runs.
  const engine = tf.engine() as unknown as { runKernelFunc(p: { kernelName?: string }): unknown };
  const runKernelFunc = engine.runKernelFunc.bind(engine);
  engine.runKernelFunc = (p) => {
    const prev = counter.kernel;
    const take = prev == null || (prev === 'custom' && p.kernelName != null);
    if (take) counter.kernel = p.kernelName ?? 'custom';
    try { return runKernelFunc(p); } finally { if (take) counter.kernel = prev; }
  };
  (backend as unknown as Obj)[WRAPPED as unknown as string] = counter;
  current = counter;
  return counter;
}
