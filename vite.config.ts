import { createReadStream, existsSync, statSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { defineConfig, type Plugin } from 'vite';
import react from '@vitejs/plugin-react';
import { VitePWA } from 'vite-plugin-pwa';

/** Cross-origin isolation lets the wasm backend use threads (SharedArrayBuffer). */
const isolation = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
};

/**
 * Content-Security-Policy: the page may connect to its own origin only, so the user's images
 * (and anything else) cannot leave the machine. What wasm and workers need is added:
 * 'wasm-unsafe-eval' to compile WebAssembly, and blob: for the wasm backend's threads (TF.js
 * builds each pthread worker from a Blob and importScripts() its factory from a blob: URL).
 * 'self' also covers onnxruntime-web's .wasm/.mjs when they are served from this origin. No
 * 'unsafe-eval': the ONNX graph code (src/ml/onnx) uses protobufjs's static code generated ahead of
 * time (npm run gen:onnx), which builds no function at run time. Connections stay 'self' only.
 * Trusted Types are not required ('require-trusted-types-for'): the studio's own code writes no
 * HTML sinks, but its workers (TF.js's wasm threads from blob: URLs, Vite's module workers, the
 * service worker) are script-URL sinks in the page and in each worker, which would all need a
 * default policy, and the e2e tooling (Playwright, axe) injects scripts of its own. The dev
 * server adds what Vite's development client needs ('unsafe-inline' for React Refresh's
 * preamble and injected <style> elements; its HMR websocket is same-origin, which 'self' covers).
 */
export function contentSecurityPolicy(dev: boolean): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'wasm-unsafe-eval' blob:${dev ? " 'unsafe-inline'" : ''}`,
    "worker-src 'self' blob:",
    "connect-src 'self'",
    "img-src 'self' data: blob:",
    `style-src 'self'${dev ? " 'unsafe-inline'" : ''}`,
    "font-src 'self'",
    "object-src 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "frame-ancestors 'none'",
  ].join('; ');
}

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

/**
 * The studio as an installable app that works with no network after one visit (vite-plugin-pwa:
 * a Workbox service worker generated at build time, registered by src/app/UpdatePrompt.tsx).
 * - Precached at install: the app shell (index.html, every JS/CSS chunk, TF.js's wasm binaries),
 *   the shipped teachers (public/teachers), the icons, every built-in dataset's manifest and the
 *   whole of OFFLINE_DATASETS (the default pilot's MNIST, 11 MB).
 * - Cached once used (runtime, cache-first): the other built-in datasets' files
 *   (public/datasets/<id>/; checked by checksum, they never change), and onnxruntime-web's code and
 *   wasm (hashed names) once someone imports an ONNX model: they are left out of the precache
 *   (about 41 MB that most visits never use).
 * - A new deployment installs in the background and waits: the page offers to reload into it
 *   (registerType 'prompt'); nothing reloads under a running training.
 * Cached responses keep the headers they were served with (COOP/COEP, CSP), so the page is still
 * cross-origin isolated (wasm threads) and under the same CSP offline (e2e/offline.spec.ts).
 */
/** Built-in datasets cached at the first visit (Fashion-MNIST adds 30 MB, CIFAR-10 124 MB). */
export const OFFLINE_DATASETS = ['mnist'];

export const pwa = () => VitePWA({
  registerType: 'prompt',
  injectRegister: false,
  manifest: {
    name: 'RTK Distillation Studio',
    short_name: 'RTK Studio',
    description: 'Distil an image classifier into a smaller one in the browser, and see which teacher features were worth passing on.',
    start_url: '.',
    scope: '.',
    display: 'standalone',
    background_color: '#1b1f2a',
    theme_color: '#1b1f2a',
    icons: [
      { src: 'icons/icon-192.png', sizes: '192x192', type: 'image/png' },
      { src: 'icons/icon-512.png', sizes: '512x512', type: 'image/png' },
      { src: 'icons/maskable-512.png', sizes: '512x512', type: 'image/png', purpose: 'maskable' },
    ],
  },
  workbox: {
    // (the manifest's icons are added by the plugin)
    globPatterns: ['**/*.{html,js,css,wasm}', 'teachers/**/*.{json,bin}', 'datasets/index.json', 'datasets/*/manifest.json',
      ...OFFLINE_DATASETS.map((id) => `datasets/${id}/*`)],
    globIgnores: ['**/ort-wasm*', '**/ort.*'],
    // The largest precached file is MNIST's training images (9.2 MB).
    maximumFileSizeToCacheInBytes: 32 * 2 ** 20,
    navigateFallback: 'index.html',
    cleanupOutdatedCaches: true,
    // A first visit's page is taken over at once, so a dataset it uses next is cached too (an
    // update still waits for the page's "Reload": no skipWaiting).
    clientsClaim: true,
    runtimeCaching: [
      {
        urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/assets\/ort[.-]/.test(url.pathname),
        handler: 'CacheFirst',
        options: { cacheName: 'onnxruntime', expiration: { maxEntries: 8 } },
      },
      {
        urlPattern: ({ url, sameOrigin }) => sameOrigin && /\/datasets\/[^/]+\/[^/]+$/.test(url.pathname),
        handler: 'CacheFirst',
        options: { cacheName: 'datasets', cacheableResponse: { statuses: [200] } },
      },
    ],
  },
});

/** `@tensorflow/tfjs` without its eager backends, converter and data (src/ml/tfjs.ts). */
export const tfjsAlias = { find: /^@tensorflow\/tfjs$/, replacement: fileURLToPath(new URL('./src/ml/tfjs.ts', import.meta.url)) };

export default defineConfig({
  plugins: [react(), rawDatasetFiles(), pwa()],
  resolve: { alias: [tfjsAlias] },
  // Pre-bundled when the dev server starts: the workers and the lazily imported backends are
  // otherwise found only when a page first asks for them, and the dev server reloads that page.
  optimizeDeps: {
    include: ['@tensorflow/tfjs-core', '@tensorflow/tfjs-core/dist/register_all_gradients',
      '@tensorflow/tfjs-core/dist/public/chained_ops/register_all_chained_ops', '@tensorflow/tfjs-layers',
      '@tensorflow/tfjs-backend-cpu', '@tensorflow/tfjs-backend-webgl', '@tensorflow/tfjs-backend-wasm', '@tensorflow/tfjs-backend-webgpu',
      'upng-js', 'fflate', 'idb'],
  },
  server: { headers: { ...isolation, 'Content-Security-Policy': contentSecurityPolicy(true) } },
  preview: { headers: { ...isolation, 'Content-Security-Policy': contentSecurityPolicy(false) } },
  worker: { format: 'es' },
  // Not minified: the wasm backend's threaded build ships its Emscripten factory to the pthread
  // workers as source text (Function.toString), and minified names break it there.
  build: {
    target: 'es2022', chunkSizeWarningLimit: 4000, minify: false,
    // The page's entry chunk (React, the panels) asks V8 to compile all its functions while the
    // script loads, off the main thread (explicit compile hints, Chrome 136+; a plain comment
    // elsewhere). Compiled lazily, they compiled on the main thread at first use: npm run bench:ui
    // (software compositing) saw 5 tasks over 50 ms in 5 page loads without the hint and 1 with
    // it; the page's JS heap grows by about 0.3 MB.
    rollupOptions: { output: { banner: (chunk) => (chunk.isEntry ? '//# allFunctionsCalledOnLoad' : '') } },
  },
});
