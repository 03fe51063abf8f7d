/** The view of an Unpack (tf.unstack) input both backends' kernels take: x as [outer, num, inner] around the axis. */
import type { NamedAttrMap, TensorInfo } from '@tensorflow/tfjs';

export interface UnpackGeometry { axis: number; num: number; outer: number; inner: number; outShape: number[] }

export function unpackGeometry(x: TensorInfo, attrs: NamedAttrMap | undefined): UnpackGeometry {
  const rank = x.shape.length;
  const given = (attrs?.axis as number | undefined) ?? 0;
  const axis = given < 0 ? given + rank : given;
  const prod = (d: number[]) => d.reduce((a, b) => a * b, 1);
  return {
    axis,
    num: x.shape[axis],
    outer: prod(x.shape.slice(0, axis)),
    inner: prod(x.shape.slice(axis + 1)),
    outShape: [...x.shape.slice(0, axis), ...x.shape.slice(axis + 1)],
  };
}
