/**
 * TF.js asks its GPUDevice for a few of the adapter's limits but not for more storage buffers
 * per shader stage, so its device has WebGPU's default 8. The grouped in-place Adam update
 * (webgpuAdam.ts) binds 4 per variable, so with 8 it updates 2 variables per dispatch; with the
 * adapter's own limit (capped at 64) up to 16. `raiseStorageBufferLimit()` makes every
 * `GPUAdapter.requestDevice` of this thread ask for it. Idempotent; a no-op without WebGPU.
 */
const CAP = 64;

interface Adapter { limits: { maxStorageBuffersPerShaderStage?: number }; requestDevice(d?: DeviceDescriptor): Promise<unknown> }
interface DeviceDescriptor { requiredLimits?: Record<string, number>; [k: string]: unknown }

let installed = false;

export function raiseStorageBufferLimit(): void {
  const proto = (globalThis as { GPUAdapter?: { prototype: Adapter } }).GPUAdapter?.prototype;
  if (installed || !proto) return;
  installed = true;
  const original = proto.requestDevice;
  proto.requestDevice = function requestDevice(this: Adapter, desc: DeviceDescriptor = {}) {
    const have = this.limits.maxStorageBuffersPerShaderStage ?? 8;
    const limits = { ...(desc.requiredLimits ?? {}) };
    const want = Math.min(have, CAP);
    if (want > (limits.maxStorageBuffersPerShaderStage ?? 8)) limits.maxStorageBuffersPerShaderStage = want;
    return original.call(this, { ...desc, requiredLimits: limits });
  };
}
