/**
 * How often a run reads its loss and metrics back from the device. Each read waits for the
 * device to finish every queued step, so on WebGPU it happens only every N steps (and on the
 * last step of an epoch, and on a single step while paused); the status line shows N. On the
 * CPU backends a read costs nothing, so they read whenever a progress report is due.
 */
export const WEBGPU_READ_EVERY = 10;

export function readEverySteps(backend: string): number {
  return backend === 'webgpu' ? WEBGPU_READ_EVERY : 1;
}
