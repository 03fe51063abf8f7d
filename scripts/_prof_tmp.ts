import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { registerWasmTrainingKernels } from '../src/ml/backend/wasmKernels';
await tf.setBackend('wasm'); registerWasmTrainingKernels();
const B = 128;
const input = tf.input({ shape: [28, 28, 1] });
let h: tf.SymbolicTensor = input;
for (const [filters, strides] of [[8, 1], [16, 2], [32, 2]] as const) {
  h = tf.layers.conv2d({ filters, kernelSize: 3, strides, padding: 'same', useBias: false }).apply(h) as tf.SymbolicTensor;
  h = tf.layers.batchNormalization().apply(h) as tf.SymbolicTensor;
  h = tf.layers.reLU().apply(h) as tf.SymbolicTensor;
}
h = tf.layers.globalAveragePooling2d({}).apply(h) as tf.SymbolicTensor;
const model = tf.model({ inputs: input, outputs: tf.layers.dense({ units: 10 }).apply(h) as tf.SymbolicTensor });
const opt = tf.train.adam(1e-3);
const x = tf.randomNormal([B, 28, 28, 1]);
const y = tf.oneHot(tf.randomUniform([B], 0, 10, 'int32') as tf.Tensor1D, 10);
const step = () => opt.minimize(() => tf.losses.softmaxCrossEntropy(y, model.apply(x, { training: true }) as tf.Tensor) as tf.Scalar, false);
for (let i = 0; i < 3; i++) step();
tf.env().set('CHECK_COMPUTATION_FOR_ERRORS', false);
const info = await tf.profile(() => { step(); });
const rows = info.kernels.map(k => [k.kernelTimeMs as number, k.name, JSON.stringify(k.inputShapes), JSON.stringify(k.outputShapes)] as const).sort((a, b) => b[0] - a[0]);
for (const r of rows.slice(0, 45)) console.log(r[0].toFixed(2).padStart(8), r[1].padEnd(24), r[2], '->', r[3]);
