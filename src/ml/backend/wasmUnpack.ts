/**
 * Unpack (tf.unstack, and the gradient of every tf.stack) on wasm, copying each row straight
 * from the input's heap view into the outputs' views. The stock kernel runs one Slice per
 * output, and a Slice that is not contiguous reads the whole input out of the heap into a new
 * JavaScript array first: an unstack into n outputs copied its input n times, garbage that piled
 * up in the training worker (about 1.5 MiB a step of a 224 px RTK pilot). Other dtypes than
 * float32 and int32 go to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';
import type { KernelConfig, KernelFunc, NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';
import { unpackGeometry } from './unpackGeometry';

interface HeapBackend {
  makeOutput(shape: number[], dtype: 'float32' | 'int32'): TensorInfo;
  typedArrayFromHeap(t: TensorInfo): Float32Array | Int32Array;
}

/** The wasm Unpack kernel over the stock one (null when the wasm backend has none). */
export function wasmUnpackConfig(): KernelConfig | null {
  const stock = tf.getKernel('Unpack', 'wasm');
  if (!stock) return null;
  const kernelFunc = (args: { inputs: Record<string, TensorInfo>; backend: unknown; attrs?: NamedAttrMap }) => {
    const x = args.inputs.value;
    const { num, outer, inner, outShape } = unpackGeometry(x, args.attrs);
    if ((x.dtype !== 'float32' && x.dtype !== 'int32') || num === 0 || outer * inner === 0) return stock.kernelFunc(args as never);
    const be = args.backend as HeapBackend;
    const outs = Array.from({ length: num }, () => be.makeOutput(outShape, x.dtype as 'float32' | 'int32'));
    // Views after every allocation: the heap may have grown and moved.
    const X = be.typedArrayFromHeap(x);
    outs.forEach((out, j) => {
      const Y = be.typedArrayFromHeap(out);
      for (let o = 0; o < outer; o++) Y.set(X.subarray((o * num + j) * inner, (o * num + j + 1) * inner), o * inner);
    });
    return outs;
  };
  return { kernelName: 'Unpack', backendName: 'wasm', kernelFunc: kernelFunc as unknown as KernelFunc };
}
