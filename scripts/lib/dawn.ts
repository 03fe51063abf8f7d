/**
 * WebGPU in Node from Dawn (the npm package `webgpu`), as `navigator.gpu` and the GPU* globals a
 * browser has, for bench:node and for the kernel tests.
 *
 * Without a GPU, Dawn finds no adapter unless a Vulkan driver is there. Debian's Chromium ships
 * one in software (SwiftShader: /usr/lib/chromium/libvk_swiftshader.so with its own Vulkan
 * loader); `softwareVulkanEnv()` gives the environment that points Dawn at it. It has to be in
 * the process's environment when the process starts (the loader is found by the dynamic
 * linker), so vitest.config.ts sets it before it forks the test processes.
 */
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import os from 'node:os';

const CHROMIUM_LIB = '/usr/lib/chromium';

/** LD_LIBRARY_PATH / VK_ICD_FILENAMES for Chromium's SwiftShader Vulkan driver, or null when it is absent. */
export function softwareVulkanEnv(env: NodeJS.ProcessEnv = process.env): Record<string, string> | null {
  const icd = `${CHROMIUM_LIB}/vk_swiftshader_icd.json`;
  if (!existsSync(icd) || !existsSync(`${CHROMIUM_LIB}/libvulkan.so.1`)) return null;
  const ld = env.LD_LIBRARY_PATH;
  return { LD_LIBRARY_PATH: ld ? `${ld}:${CHROMIUM_LIB}` : CHROMIUM_LIB, VK_ICD_FILENAMES: icd };
}

/** Gives Node a `navigator.gpu` from Dawn; returns a runtime description. */
export async function installDawn(): Promise<string> {
  let dawn: { create(flags: string[]): unknown; globals: Record<string, unknown> };
  try {
    dawn = await import('webgpu') as unknown as typeof dawn;
  } catch (e) {
    throw new Error(`WebGPU in Node needs the 'webgpu' package (npm ci installs it): ${e instanceof Error ? e.message : String(e)}`);
  }
  Object.assign(globalThis, dawn.globals);
  Object.defineProperty(globalThis, 'navigator', {
    value: { gpu: dawn.create([]), hardwareConcurrency: os.cpus().length, userAgent: `Node ${process.version}` },
    configurable: true,
  });
  const version = (JSON.parse(readFileSync(createRequire(import.meta.url).resolve('webgpu/package.json'), 'utf8')) as { version: string }).version;
  return `Node ${process.version} + Dawn (npm webgpu ${version})`;
}

/** Installs Dawn and returns whether it offers an adapter (tests skip WebGPU cases when not). */
export async function dawnAdapterAvailable(): Promise<boolean> {
  try {
    await installDawn();
    const gpu = (globalThis.navigator as unknown as { gpu: { requestAdapter(): Promise<unknown> } }).gpu;
    return (await gpu.requestAdapter()) != null;
  } catch {
    return false;
  }
}

/**
 * For tests: the TF.js webgpu backend on Dawn. Returns false only where no WebGPU driver can
 * exist here (no GPU and no Chromium SwiftShader); where the software driver is present a failure
 * throws, so the kernel tests cannot be skipped silently.
 */
export async function startDawnWebGpu(): Promise<boolean> {
  if (!(await dawnAdapterAvailable())) {
    if (softwareVulkanEnv() != null) throw new Error('Dawn found no adapter although Chromium\'s SwiftShader is installed (see scripts/lib/dawn.ts)');
    return false;
  }
  const tf = await import('@tensorflow/tfjs');
  const { installMapAtCreationShim } = await import('../../src/ml/backend/webgpuMapShim');
  installMapAtCreationShim();
  await import('@tensorflow/tfjs-backend-webgpu');
  if (!(await tf.setBackend('webgpu'))) throw new Error('tf.setBackend("webgpu") failed on Dawn');
  await tf.ready();
  return true;
}
