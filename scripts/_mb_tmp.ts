import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
await tf.setBackend('wasm');
function time(name: string, f: () => tf.Tensor, reps = 20) {
  for (let i = 0; i < 3; i++) f().dispose();
  const ts: number[] = [];
  for (let i = 0; i < reps; i++) { const t0 = performance.now(); const r = f(); ts.push(performance.now() - t0); r.dispose(); }
  ts.sort((a, b) => a - b);
  console.log(name.padEnd(34), 'median', ts[reps >> 1].toFixed(2), 'min', ts[0].toFixed(2), 'ms');
}
for (const C of [8, 32]) {
  const P = 128 * 28 * 28 * 8 / C;
  const base = tf.randomNormal([P, C]); const z = tf.scalar(0); const mk = () => tf.add(base, z);
  time(`C=${C} stock sum`, () => tf.tidy(() => tf.sum(mk(), 0)));
  time(`C=${C} copy only`, () => mk());
  time(`C=${C} ones x (fresh b)`, () => tf.tidy(() => tf.matMul(tf.ones([1, P]), mk())));
  const P2 = 1024 / C; const P1 = P / P2;
  const E = tf.tile(tf.eye(C), [P2, 1]);
  time(`C=${C} E-matrix 2 stage`, () => tf.tidy(() => { const o = tf.matMul(mk().reshape([P1, P2 * C]), E); return tf.matMul(tf.ones([1, P1]), o); }));
  time(`C=${C} avgpool`, () => tf.tidy(() => tf.avgPool(mk().reshape([1, 392, P / 392, C]) as tf.Tensor4D, [392, P / 392], 1, 'valid')));
  time(`C=${C} avgpool 2stage`, () => tf.tidy(() => tf.avgPool(tf.avgPool(mk().reshape([1, P / 16, 16, C]) as tf.Tensor4D, [1, 16], 1, 'valid'), [P / 256, 1], [P/256,1], 'valid')));
}
