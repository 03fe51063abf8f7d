/**
 * The differentiable pieces of AT / AFD's distance (losses/energy.ts, afdValues.ts) as single
 * ops with their own gradients, on backends that register their kernels (webgpuAfd.ts: WebGPU):
 *   energy map     e[b,p] = Σ_c F[b,p,c]² / C                 ∂/∂F = 2·F·de[b,p] / C
 *   L2 rows        v = x / n,  n_b = √(Σ_p x[b,p]² + ε)        ∂/∂x = (dv − v·Σ_p dv·v) / n
 *   sq. distance   D[b,m] = Σ_p (s[b,m,p] − t[b,p])² / P       ∂/∂s = 2·(s − t)·dD / P,
 *                                                              ∂/∂t = −Σ_m 2·(s − t)·dD / P
 * (F [B,H,W,C] → e [B,H,W]; x, v [B,P]; s [B,S,P], t [B,P] → D [B,S]).
 */
import * as tf from '@tensorflow/tfjs';
import { customOp } from './customOp';

export const AFD_KERNELS = {
  energy: 'RtkEnergyMap',
  energyGrad: 'RtkEnergyMapGrad',
  l2: 'RtkL2NormRows',
  l2Grad: 'RtkL2NormRowsGrad',
  dist: 'RtkSqDistRows',
  distGrad: 'RtkSqDistRowsGrad',
} as const;

export function fusedAfdAvailable(): boolean {
  const b = tf.getBackend();
  return Object.values(AFD_KERNELS).every((k) => tf.getKernel(k, b) != null);
}

const run = (name: string, inputs: tf.NamedTensorMap, attrs: tf.NamedAttrMap = {}) =>
  tf.engine().runKernel(name, inputs, attrs) as tf.Tensor | tf.Tensor[];

/** e = mean_c F² ([B,H,W,C] → [B,H,W]). */
export function fusedEnergyMap(f: tf.Tensor4D): tf.Tensor3D {
  const op = customOp((x: tf.Tensor, save: tf.GradSaveFunc) => {
    save([x]);
    return {
      value: run(AFD_KERNELS.energy, { x }) as tf.Tensor,
      gradFunc: (de: tf.Tensor, [xs]: tf.Tensor[]) => run(AFD_KERNELS.energyGrad, { de, x: xs }) as tf.Tensor,
    };
  });
  return op(f) as tf.Tensor3D;
}

/** x / √(Σ_p x² + ε) per row ([B,P]). */
export function fusedL2NormalizeRows(x: tf.Tensor2D, epsilon: number): tf.Tensor2D {
  const op = customOp((xi: tf.Tensor, save: tf.GradSaveFunc) => {
    const [v, norms] = run(AFD_KERNELS.l2, { x: xi }, { epsilon }) as tf.Tensor[];
    save([v, norms]);
    return {
      value: v,
      gradFunc: (dv: tf.Tensor, [vs, ns]: tf.Tensor[]) => run(AFD_KERNELS.l2Grad, { dv, v: vs, norms: ns }) as tf.Tensor,
    };
  });
  return op(x) as tf.Tensor2D;
}

/** D[b,m] = mean_p (s[b,m,p] − t[b,p])² (s [B,S,P], t [B,P] → [B,S]); differentiable in both. */
export function fusedSqDistanceRows(s: tf.Tensor3D, t: tf.Tensor2D): tf.Tensor2D {
  const op = customOp((si: tf.Tensor, ti: tf.Tensor, save: tf.GradSaveFunc) => {
    save([si, ti]);
    return {
      value: run(AFD_KERNELS.dist, { s: si, t: ti }) as tf.Tensor,
      gradFunc: (dD: tf.Tensor, [ss, ts]: tf.Tensor[]) => run(AFD_KERNELS.distGrad, { dD, s: ss, t: ts }) as tf.Tensor[],
    };
  });
  return op(s, t) as tf.Tensor2D;
}
