import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';

/** Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer). */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Serves the datasets' .gz files as plain bytes. Vite's static server would add
 * "Content-Encoding: gzip", the browser would inflate them, and the loader expects gzip.
 */
function rawDatasetFiles(): Plugin {
  const handler = (dir: () => string) => (req: IncomingMessage, res: ServerResponse, next: () => void) => {
    const url = (req.url ?? '').split('?')[0];
    if (!/^\/datasets\/.+\.gz$/.test(url)) return next();
    const file = path.join(dir(), decodeURIComponent(url));
    if (!file.startsWith(dir()) || !existsSync(file)) return next();
    res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': statSync(file).size, ...isolation });
    createReadStream(file).pipe(res);
  };
  let publicDir = path.resolve('public');
  let outDir = path.resolve('dist');
  return {
    name: 'raw-dataset-files',
    configResolved(c) { publicDir = c.publicDir; outDir = path.resolve(c.root, c.build.outDir); },
    configureServer(server) { server.middlewares.use(handler(() => publicDir)); },
    configurePreviewServer(server) { server.middlewares.use(handler(() => outDir)); },
  };
}

/** `@tensorflow/tfjs` without its eager backends, converter and data (src/ml/tfjs.ts). */
export const tfjsAlias = { find: /^@tensorflow\/tfjs$/, replacement: fileURLToPath(new URL('./src/ml/tfjs.ts', import.meta.url)) };

export default defineConfig({
  plugins: [react(), rawDatasetFiles()],
  resolve: { alias: [tfjsAlias] },
  // Pre-bundled when the dev server starts: the workers and the lazily imported backends are
  // otherwise found only when a page first asks for them, and the dev server reloads that page.
  optimizeDeps: {
    include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops', '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu'],
  },
  server: { headers: isolation },
  preview: { headers: isolation },
  worker: { format: 'es' },
  // Not minified: the wasm backend's threaded build ships its Emscripten factory to the pthread
  // workers as source text (Function.toString), and minified names break it there.
  build: { target: 'es2022', chunkSizeWarningLimit: 4000, minify: false },
});
