import { defineConfig } from '@playwright/test';

/**
 * End-to-end journeys in Debian's Chromium (never a downloaded browser) against the production
 * build served with cross-origin isolation (and one against the dev server of `npm start`).
 * Project "wasm" runs the studio on the wasm backend; project "webgpu" on Chromium's software
 * WebGPU adapter (SwiftShader), which checks the WebGPU code path, not its speed.
 */
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const baseArgs = ['--no-sandbox', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'];
/** E2E_PORT / E2E_DEV_PORT let two checkouts run their suites side by side. */
const PORT = Number(process.env.E2E_PORT ?? 4179);
/** Also read by e2e/dev-server.spec.ts. */
const DEV_PORT = Number(process.env.E2E_DEV_PORT ?? 4180);

export default defineConfig({
  testDir: 'e2e',
  timeout: 240_000,
  expect: { timeout: 30_000 },
  fullyParallel: false,
  workers: 1,
  // One retry on CI: a retried pass is still reported as flaky in the output (known: the KD-only
  // step of e2e/own-teacher.spec.ts 'bad inputs' failed once in three full runs).
  retries: process.env.CI ? 1 : 0,
  reporter: [['list'], ['html', { open: 'never', outputFolder: 'playwright-report' }]],
  outputDir: 'test-results',
  use: {
    baseURL: `http://127.0.0.1:${PORT}`,
    screenshot: 'only-on-failure',
    trace: 'retain-on-failure',
    // The studio's service worker (vite.config.ts pwa) precaches about 10 MB on a first visit: in
    // every journey that download would compete with what is tested and change which files a page
    // fetches. e2e/offline.spec.ts allows it and tests it.
    serviceWorkers: 'block',
  },
  projects: [
    {
      name: 'wasm',
      testIgnore: /webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath: chromiumPath, args: baseArgs } },
    },
    {
      name: 'webgpu',
      testMatch: /webgpu\.spec\.ts/,
      use: { launchOptions: { executablePath: chromiumPath, args: [...baseArgs, '--enable-unsafe-webgpu', '--enable-features=Vulkan', '--use-angle=swiftshader', '--use-webgpu-adapter=swiftshader'] } },
    },
  ],
  webServer: [
    {
      command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
      url: `http://127.0.0.1:${PORT}`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
    {
      // The dev server that README's `npm start` runs (e2e/dev-server.spec.ts).
      command: `npx vite --host 127.0.0.1 --port ${DEV_PORT} --strictPort`,
      url: `http://127.0.0.1:${DEV_PORT}`,
      reuseExistingServer: false,
      timeout: 60_000,
    },
  ],
});
