/**
 * The TF.js the studio bundles in place of the `@tensorflow/tfjs` package (vite.config.ts and
 * vitest.config.ts map that import here; tsconfig.worker.json types it from here). It is what the
 * package gives, core with every gradient and chained op plus layers, without the package's
 * eager cpu and WebGL backends, converter and data: backends are imported in
 * ml/backend/select.ts only when they are tried, so a wasm or WebGPU run never loads WebGL.
 */
// Core first, as the package does: its flags (DEBUG, …) must exist before gradients register.
import '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-core/dist/register_all_gradients';
import '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops';

export * from '@tensorflow/tfjs-core';
export * from '@tensorflow/tfjs-layers';
