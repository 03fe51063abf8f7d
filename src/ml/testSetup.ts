/** Vitest setup: the cpu backend, which many tests select directly with tf.setBackend('cpu'). */
import '@tensorflow/tfjs-backend-cpu';
