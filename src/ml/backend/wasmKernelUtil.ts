/**
 * Shared plumbing of the wasm training kernels: the slice of BackendWasm they use, running the
 * backend's own (XNNPACK) kernels directly, shape views, attribute checks and conv geometry.
 * Heap views (`typedArrayFromHeap`) must be taken again after every allocation: it may grow
 * (and so replace) the wasm memory.
 */
import * as tf from '@tensorflow/tfjs';
import type { NamedAttrMap, NamedTensorInfoMap, TensorInfo } from '@tensorflow/tfjs';

type Shape4 = [number, number, number, number];

/** The parts of tfjs-backend-wasm's BackendWasm that the kernels use. */
export interface WasmBackendLike {
  makeOutput(shape: number[], dtype: 'float32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array;
  disposeData(dataId: object, force?: boolean): boolean;
}

type PadAttr = 'same' | 'valid' | number | [[number, number], [number, number], [number, number], [number, number]];
type RoundingMode = 'floor' | 'round' | 'ceil' | undefined;

export interface KernelArgs {
  inputs: Record<string, TensorInfo>;
  backend: unknown;
  attrs?: NamedAttrMap;
}

/** Runs one of the wasm backend's own kernels directly (no engine bookkeeping). */
export function runWasm(name: string, inputs: NamedTensorInfoMap, attrs: NamedAttrMap, backend: unknown): TensorInfo {
  const k = tf.getKernel(name, 'wasm');
  if (k == null) throw new Error(`wasm kernel ${name} is not registered`);
  return k.kernelFunc({ inputs, attrs, backend: backend as never }) as TensorInfo;
}

/** A view of `t` with another shape (same dataId, no refcount change): input for a kernel. */
export function view(t: TensorInfo, shape: number[]): TensorInfo {
  return { dataId: t.dataId, shape, dtype: t.dtype };
}

export function checkCommon(name: string, attrs: NamedAttrMap): void {
  const df = attrs.dataFormat as string | undefined;
  if (df != null && df !== 'NHWC') throw new Error(`${name} (wasm training kernels): only NHWC is supported, got ${df}`);
  const d = attrs.dilations as number | number[] | undefined;
  if (d != null && !(typeof d === 'number' ? d === 1 : d.every((v) => v === 1))) {
    throw new Error(`${name} (wasm training kernels): only dilations 1 are supported, got ${String(d)}`);
  }
}

export function convInfo(xShape: number[], filterShape: number[], attrs: NamedAttrMap, depthwise: boolean) {
  return tf.backend_util.computeConv2DInfo(
    xShape as Shape4,
    filterShape as Shape4,
    attrs.strides as [number, number] | number,
    1,
    attrs.pad as PadAttr,
    attrs.dimRoundingMode as RoundingMode,
    depthwise,
    'channelsLast',
  );
}
