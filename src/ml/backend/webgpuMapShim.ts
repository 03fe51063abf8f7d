/**
 * Works around Chromium's software WebGPU adapter (SwiftShader) refusing buffers created with
 * `mappedAtCreation: true` inside a Web Worker ("createBuffer failed, size (50176) is too large
 * for the implementation when mappedAtCreation == true"), which is how TF.js uploads every tensor.
 *
 * Only for SwiftShader adapters: such buffers are created unmapped instead, `getMappedRange()`
 * hands out a plain ArrayBuffer and `unmap()` copies it in with `queue.writeBuffer`. Staging
 * buffers (MAP_WRITE | COPY_SRC) become COPY_SRC | COPY_DST buffers so the copy is allowed.
 */

// WebGPU constants (GPUBufferUsage), spelled out because the worker's lib has no WebGPU types.
const MAP_WRITE = 0x0002;
const COPY_SRC = 0x0004;
const COPY_DST = 0x0008;

interface Buffer { mapState: string; getMappedRange(): ArrayBuffer; unmap(): void }
interface Device {
  queue: { writeBuffer(b: Buffer, offset: number, data: ArrayBuffer): void };
  createBuffer(d: { size: number; usage: number; mappedAtCreation?: boolean }): Buffer;
}

let installed = false;

/** Patches GPUDevice.createBuffer for this worker. Idempotent. */
export function installMapAtCreationShim(): void {
  const proto = (globalThis as { GPUDevice?: { prototype: Device } }).GPUDevice?.prototype;
  if (installed || !proto) return;
  installed = true;
  const original = proto.createBuffer;
  proto.createBuffer = function patched(this: Device, desc) {
    if (!desc.mappedAtCreation) return original.call(this, desc);
    const usage = desc.usage & MAP_WRITE ? (desc.usage & ~MAP_WRITE) | COPY_SRC | COPY_DST : desc.usage | COPY_DST;
    const buffer = original.call(this, { size: desc.size, usage });
    const data = new ArrayBuffer(desc.size);
    let mapped = true;
    Object.defineProperty(buffer, 'mapState', { configurable: true, get: () => (mapped ? 'mapped' : 'unmapped') });
    // TF.js pools buffers by (size, usage): report the usage it asked for.
    Object.defineProperty(buffer, 'usage', { configurable: true, get: () => desc.usage });
    // TF.js maps the whole buffer (no offset), so the whole ArrayBuffer is the mapped range.
    buffer.getMappedRange = () => data;
    buffer.unmap = () => {
      if (!mapped) return;
      mapped = false;
      this.queue.writeBuffer(buffer, 0, data);
    };
    return buffer;
  };
}

/** True for Chromium's software WebGPU adapter. */
export function isSwiftShader(info: Record<string, string> | undefined): boolean {
  // GPUAdapterInfo exposes its fields as prototype getters, so read them by name.
  return ['vendor', 'architecture', 'device', 'description'].some((k) => /swiftshader/i.test(String(info?.[k] ?? '')));
}
