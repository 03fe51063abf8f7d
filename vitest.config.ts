import { defineConfig } from 'vitest/config';
import { tfjsAlias } from './vite.config';
import { softwareVulkanEnv } from './scripts/lib/dawn';

// WebGPU kernel tests run on Dawn; without a GPU it needs Chromium's SwiftShader Vulkan driver,
// which the forked test processes find through their environment at start-up.
Object.assign(process.env, softwareVulkanEnv() ?? {});

export default defineConfig({
  // The same TF.js as the build; the setup file registers the cpu backend the tests compare with.
  resolve: { alias: [tfjsAlias] },
  test: {
    setupFiles: ['src/ml/testSetup.ts'],
    include: ['src/**/*.test.ts', 'src/**/*.test.tsx', 'scripts/**/*.test.ts'],
    environment: 'node',
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
  },
});
