/**
 * Backend selection: webgpu → webgl → wasm → cpu (or only the preferred one), each accepted
 * only after a one-step training self-test. Every backend is imported here, when it is tried
 * (src/ml/tfjs.ts registers none), so a run never loads a backend it does not try. Works in a
 * Web Worker and in Node (tests).
 */
import * as tf from '@tensorflow/tfjs';
import type { BackendFallback, BackendInfo } from '../../domain/messages';
import { BACKEND_ORDER } from '../../domain/registry';
import type { BackendId, BackendPreference } from '../../domain/registry';
import { logicalCores, threadedBuildWorthIt, wasmAdapterLine, withLogicalCores } from './wasmThreads';

export interface InitBackendOptions {
  /** Where the wasm binaries are served: a path prefix or a file → URL map (setWasmPaths). */
  wasmPaths?: Record<string, string> | string;
  /**
   * Let XNNPACK use every core (TF.js caps its pool at cores / 2, so 1 thread on 2 cores).
   * Off by default: on a loaded 2-core machine 2 threads trained 2.5–3× slower.
   */
  wasmAllCores?: boolean;
  log?: (s: string) => void;
}

import { installMapAtCreationShim, isSwiftShader } from './webgpuMapShim';

class Refused extends Error {}

interface GpuNavigator { gpu?: { requestAdapter(): Promise<{ info?: Record<string, string> } | null> } }

function gpuNavigator(): GpuNavigator | null {
  return typeof navigator === 'undefined' ? null : (navigator as unknown as GpuNavigator);
}

/** Makes `id` available to tf.setBackend (imports and registers it); throws Refused. */
async function prepare(id: BackendId, opts: InitBackendOptions, auto: boolean): Promise<void> {
  if (id === 'webgpu') {
    const gpu = gpuNavigator()?.gpu;
    if (gpu == null) throw new Refused('navigator.gpu is missing');
    const adapter = await gpu.requestAdapter();
    if (adapter == null) throw new Refused('no WebGPU adapter');
    if (isSwiftShader(adapter.info)) {
      // Chromium's software adapter is for checking the WebGPU code path, not for real runs (it
      // is slower than wasm), so 'auto' moves on (pick webgpu to use it).
      if (auto) throw new Refused('only a software adapter (SwiftShader) is available; choose webgpu explicitly to test it');
      installMapAtCreationShim();
    }
    (await import('./webgpuLimits')).raiseStorageBufferLimit();
    await import('@tensorflow/tfjs-backend-webgpu');
    const { registerWebGpuTrainingKernels } = await import('./webgpuKernels');
    registerWebGpuTrainingKernels();
  } else if (id === 'webgl') {
    const doc = (globalThis as { document?: { createElement?: unknown } }).document;
    const hasCanvas = typeof OffscreenCanvas !== 'undefined' || typeof doc?.createElement === 'function';
    if (!hasCanvas) throw new Refused('no OffscreenCanvas or document to create a WebGL context');
    await import('@tensorflow/tfjs-backend-webgl');
  } else if (id === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else if (id === 'wasm') {
    const wasm = await import('@tensorflow/tfjs-backend-wasm');
    if (opts.wasmPaths != null) wasm.setWasmPaths(opts.wasmPaths as Parameters<typeof wasm.setWasmPaths>[0]);
    // TF.js caps its thread pool at cores / 2 whatever setThreadsCount asks (wasmThreads.ts);
    // wasmAllCores also lifts that cap while the backend initialises (see initBackend).
    const cores = logicalCores();
    if (opts.wasmAllCores === true && cores > 1) wasm.setThreadsCount(cores);
    // One XNNPACK thread either way: skip the threaded binary and its 8 pthread workers.
    if (!threadedBuildWorthIt(cores, opts.wasmAllCores === true)) tf.env().set('WASM_HAS_MULTITHREAD_SUPPORT', false);
    const { registerWasmTrainingKernels } = await import('./wasmKernels');
    registerWasmTrainingKernels();
  }
}

/**
 * One forward + backward + Adam step of a tiny conv + depthwise + batch-norm + dense net.
 * Throws Refused with the reason when the loss or a gradient is not finite.
 */
export async function selfTest(): Promise<void> {
  const before = tf.memory().numTensors;
  const vars = tf.tidy(() => [
    tf.variable(tf.randomNormal([3, 3, 3, 8], 0, 0.3, 'float32', 1), true, 'selftest_w1'),
    tf.variable(tf.randomNormal([3, 3, 8, 1], 0, 0.3, 'float32', 2), true, 'selftest_dw'),
    tf.variable(tf.ones([8]), true, 'selftest_gamma'),
    tf.variable(tf.zeros([8]), true, 'selftest_beta'),
    tf.variable(tf.randomNormal([8, 4], 0, 0.3, 'float32', 3), true, 'selftest_wd'),
  ]);
  const [w1, dw, gamma, beta, wd] = vars;
  const x = tf.randomUniform([4, 9, 9, 3], 0, 1, 'float32', 4);
  const y = tf.tidy(() => tf.oneHot(tf.tensor1d([0, 1, 2, 3], 'int32'), 4));
  const opt = tf.train.adam(1e-2);
  try {
    const lossFn = () => tf.tidy(() => {
      let h: tf.Tensor4D = tf.relu(tf.conv2d(x as tf.Tensor4D, w1 as tf.Tensor4D, 2, 'same'));
      h = tf.depthwiseConv2d(h, dw as tf.Tensor4D, 1, 'same');
      const { mean, variance } = tf.moments(h, [0, 1, 2]);
      h = tf.relu(tf.batchNorm(h, mean, variance, beta, gamma, 1e-3)) as tf.Tensor4D;
      const g = tf.mean(h, [1, 2]) as tf.Tensor2D;
      return tf.losses.softmaxCrossEntropy(y, tf.matMul(g, wd as tf.Tensor2D)) as tf.Scalar;
    });
    const { value, grads } = tf.variableGrads(lossFn, vars);
    try {
      const loss = (await value.data())[0];
      if (!Number.isFinite(loss)) throw new Refused(`self-test gave ${loss} loss`);
      for (const v of vars) {
        const g = await grads[v.name].data();
        if (!g.every(Number.isFinite)) throw new Refused(`self-test gave a non-finite gradient for ${v.name}`);
      }
      opt.applyGradients(grads as unknown as Record<string, tf.Variable>);
      const afterT = lossFn();
      const after = await afterT.data();
      afterT.dispose();
      if (!Number.isFinite(after[0])) throw new Refused(`self-test gave ${after[0]} loss after an Adam step`);
    } finally {
      value.dispose();
      tf.dispose(grads);
    }
  } finally {
    opt.dispose();
    tf.dispose([...vars, x, y]);
  }
  const leaked = tf.memory().numTensors - before;
  if (leaked > 0) throw new Refused(`self-test leaked ${leaked} tensors`);
}

/** Adapter description for the current backend (see BackendInfo.adapter). */
async function describeAdapter(id: BackendId): Promise<string | null> {
  try {
    if (id === 'webgpu') {
      const b = tf.backend() as unknown as { adapterInfo?: { vendor?: string; architecture?: string } };
      const parts = [b.adapterInfo?.vendor, b.adapterInfo?.architecture];
      const adapter = await gpuNavigator()?.gpu?.requestAdapter();
      // `device` names the card where the browser exposes it (Dawn in Node gave only the driver in
      // `description`); duplicates are dropped.
      parts.push(adapter?.info?.device, adapter?.info?.description);
      const s = [...new Set(parts.filter((p) => p != null && p !== ''))].join(' ');
      return s === '' ? 'WebGPU adapter (no info)' : s;
    }
    if (id === 'webgl') {
      const gl = (tf.backend() as unknown as { gpgpu?: { gl?: WebGLRenderingContext } }).gpgpu?.gl;
      if (gl == null) return null;
      const ext = gl.getExtension('WEBGL_debug_renderer_info');
      const r = gl.getParameter(ext != null ? ext.UNMASKED_RENDERER_WEBGL : gl.RENDERER) as unknown;
      return typeof r === 'string' ? r : null;
    }
    if (id === 'wasm') {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      const simd = (await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT')) === true;
      // backend_wasm.js loads the threaded binary exactly when SIMD and threads are supported.
      const threaded = simd && (await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT')) === true;
      return wasmAdapterLine(simd, threaded, wasm.getThreadsCount(), logicalCores());
    }
  } catch {
    return null;
  }
  return null;
}

function reasonOf(e: unknown): string {
  if (e instanceof Error) return e.message;
  if (typeof e === 'object' && e != null && 'message' in e) return String((e as { message: unknown }).message);
  return String(e);
}

/**
 * Picks and initialises a backend. With `pref` 'auto' tries BACKEND_ORDER, records why each
 * refused backend was skipped, and self-tests every one up to wasm (cpu is never faster): those
 * that pass are `candidates`, the first of them is active, and a run can time them all
 * (src/worker/backendChoice.ts). With a named backend tries only that one and throws (with the
 * reason) if it is unusable.
 */
export async function initBackend(pref: BackendPreference, opts: InitBackendOptions = {}): Promise<BackendInfo> {
  const log = opts.log ?? (() => undefined);
  const order: BackendId[] = pref === 'auto' ? BACKEND_ORDER.slice() : [pref];
  const fallbacks: BackendFallback[] = [];
  const accepted: { backend: BackendId; adapter: string | null }[] = [];
  for (const id of order) {
    try {
      await prepare(id, opts, pref === 'auto');
      let ok = false;
      try {
        const allCores = id === 'wasm' && opts.wasmAllCores === true;
        ok = allCores ? await withLogicalCores(() => tf.setBackend(id)) : await tf.setBackend(id);
      } catch (e) {
        throw new Refused(`could not initialise (${reasonOf(e)})`);
      }
      if (!ok) throw new Refused('could not initialise');
      await tf.ready();
      if (id === 'webgpu') (await import('./webgpuRaw')).installWebGpuHygiene();
      const adapter = await describeAdapter(id);
      // Software GPU renderers (SwiftShader, llvmpipe) are far slower than wasm: 'auto' skips them.
      if (pref === 'auto' && id === 'webgl' && /swiftshader|llvmpipe|software/i.test(adapter ?? '')) {
        throw new Refused(`only a software renderer (${adapter}) is available`);
      }
      await selfTest();
      log(`backend ${id} accepted${adapter != null ? ` (${adapter})` : ''}`);
      if (pref !== 'auto') return { backend: id, adapter, fallbacks };
      accepted.push({ backend: id, adapter });
      if (id === 'wasm' || id === 'cpu') break;
    } catch (e) {
      const reason = reasonOf(e);
      log(`${id}: ${reason}`);
      if (pref !== 'auto') throw new Error(`Backend ${id} is not usable: ${reason}`);
      // Only refusals before the first accepted backend explain why a faster one is not used.
      if (accepted.length === 0) fallbacks.push({ backend: id, reason });
    }
  }
  if (accepted.length === 0) throw new Error(`No usable backend: ${fallbacks.map((f) => `${f.backend}: ${f.reason}`).join('; ')}`);
  const first = accepted[0];
  if (tf.getBackend() !== first.backend) await tf.setBackend(first.backend);
  return { backend: first.backend, adapter: first.adapter, fallbacks, candidates: accepted };
}
