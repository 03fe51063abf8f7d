import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { WebGpuCounter, webgpuCounter } from './webgpuCounter';
import { startDawnWebGpu } from '../../../scripts/lib/dawn';

let available = false;
beforeAll(async () => { available = await startDawnWebGpu(); });

interface Gpu { requestAdapter(): Promise<{ requestDevice(): Promise<Record<string, unknown>> }> }

describe('WebGpuCounter', () => {
  it('counts a hand-written program exactly', async (ctx) => {
    if (!available) ctx.skip();
    const gpu = (navigator as unknown as { gpu: Gpu }).gpu;
    const device = await (await gpu.requestAdapter()).requestDevice() as Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
    const counter = new WebGpuCounter(device);
    const U = (globalThis as unknown as { GPUBufferUsage: Record<string, number> }).GPUBufferUsage;
    const module = device.createShaderModule({ code: `
      @group(0) @binding(0) var<storage, read_write> a: array<f32>;
      @compute @workgroup_size(4) fn main(@builtin(global_invocation_id) id: vec3<u32>) { a[id.x] = a[id.x] + 1.0; }` });
    const pipeline = device.createComputePipeline({ layout: 'auto', compute: { module, entryPoint: 'main' } });
    const data = device.createBuffer({ size: 16, usage: U.STORAGE | U.COPY_SRC | U.COPY_DST });
    const read = device.createBuffer({ size: 16, usage: U.MAP_READ | U.COPY_DST });
    device.queue.writeBuffer(data, 0, new Float32Array([1, 2, 3, 4]));
    const bind = device.createBindGroup({ layout: pipeline.getBindGroupLayout(0), entries: [{ binding: 0, resource: { buffer: data } }] });
    const enc = device.createCommandEncoder();
    const pass = enc.beginComputePass();
    pass.setPipeline(pipeline);
    pass.setBindGroup(0, bind);
    for (let i = 0; i < 3; i++) pass.dispatchWorkgroups(1);
    pass.end();
    const pass2 = enc.beginComputePass();
    pass2.setPipeline(pipeline);
    pass2.setBindGroup(0, bind);
    pass2.dispatchWorkgroups(1);
    pass2.end();
    enc.copyBufferToBuffer(data, 0, read, 0, 16);
    device.queue.submit([enc.finish()]);
    await read.mapAsync(1);
    const out = Array.from(new Float32Array(read.getMappedRange().slice(0)));
    read.unmap();
    // The program really ran 4 times: each element grew by 4.
    expect(out).toEqual([5, 6, 7, 8]);
    expect(counter.counts).toMatchObject({
      computePasses: 2, dispatches: 4, submits: 1, buffersCreated: 2, bytesCreated: 32,
      bindGroups: 1, writeBuffers: 1, bytesWritten: 16, readbacks: 1, mapWrites: 0,
    });
    expect(counter.perStep(2).dispatches).toBe(2);
    device.destroy();
  });

  it('counts the dispatches, bind groups and readbacks of TF.js ops on the webgpu backend', async (ctx) => {
    if (!available) ctx.skip();
    tf.env().set('WEBGPU_CPU_FORWARD', false);
    const counter = webgpuCounter()!;
    expect(counter).not.toBeNull();
    expect(webgpuCounter()).toBe(counter);
    const a = tf.tensor1d([1, 2, 3, 4, 5, 6, 7, 8]);
    const b = tf.tensor1d([8, 7, 6, 5, 4, 3, 2, 1]);
    await tf.add(a, b).data(); // first use: uploads and compiles
    counter.reset();
    const c = tf.add(a, b);
    const d = tf.mul(c, a);
    const e = tf.sub(d, b);
    expect(counter.counts.dispatches).toBe(3);
    expect(counter.counts.bindGroups).toBe(3);
    expect(counter.counts.readbacks).toBe(0);
    expect(Array.from(await e.data())).toEqual([1, 2, 3, 4, 5, 6, 7, 8].map((x, i) => 9 * x - (8 - i)));
    expect(counter.counts.readbacks).toBe(1);
    expect(counter.counts.submits).toBeGreaterThanOrEqual(1);
    expect(counter.breakdown().reduce((s, r) => s + r.dispatches, 0)).toBe(3);
    tf.dispose([a, b, c, d, e]);
  });
});
