/**
 * OnnxRunner on a real ONNX teacher (fashion-resnet.onnx with one intermediate value added as a
 * graph output, as the studio adds taps): scoring fetches the logits alone, a batch above
 * maxBatch runs in parts with the same logits, and the training forward fetches logits and taps.
 * onnxruntime-node's session (same run API as onnxruntime-web's) stands in, watched for fetches.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { nodeValues, withOutputs } from '../ml/onnx/graph';
import { readOnnxFiles } from '../ml/onnx/describe';
import { OnnxRunner } from './onnxRunner';

const FIX = path.resolve(__dirname, '../../fixtures/onnx');

async function runner(maxBatch: number) {
  const bytes = readFileSync(path.join(FIX, 'fashion-resnet.onnx'));
  const { model } = readOnnxFiles([{ name: 'fashion-resnet.onnx', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }]);
  const tap = nodeValues(model).filter((v) => v.node.opType === 'Relu')[0].value;
  const session = await ort.InferenceSession.create(withOutputs(model, [tap]));
  const fetched: string[][] = [];
  const watched = {
    run: (feeds: ort.InferenceSession.FeedsType, fetches: string[]) => { fetched.push([...fetches]); return session.run(feeds, fetches); },
    release: () => session.release(),
  };
  const r = OnnxRunner.over(
    { bytes: new ArrayBuffer(0), inputName: 'input', layout: 'NCHW', inputShape: [28, 28, 1], logitsName: 'logits', softmaxOutput: false, tapNames: [tap], maxBatch },
    watched as never, ort as never, 'onnxruntime-node',
  );
  return { r, fetched, tap };
}

const images = (n: number) => Float32Array.from({ length: n * 28 * 28 }, (_, i) => ((i * 2654435761) % 1000) / 1000);

describe('OnnxRunner fetches', () => {
  it('scoring: only the logits are fetched, in parts of maxBatch, with the logits of one whole pass', async () => {
    const { r, fetched } = await runner(3);
    const parts = await r.forward(images(8), 8, 'unit', true);
    expect(fetched).toEqual([['logits'], ['logits'], ['logits']]);
    expect(parts.taps).toEqual([]);
    expect(parts.logits.length).toBe(80);
    const whole = await (await runner(256)).r.forward(images(8), 8, 'unit', true);
    for (let i = 0; i < 80; i++) expect(parts.logits[i]).toBeCloseTo(whole.logits[i], 4);
  });

  it('training forward: the logits and the taps are fetched, taps NHWC for every image', async () => {
    const { r, fetched, tap } = await runner(4);
    const out = await r.forward(images(6), 6, 'unit');
    expect(fetched).toEqual([['logits', tap], ['logits', tap]]);
    expect(out.taps).toHaveLength(1);
    expect(out.taps[0].length % 6).toBe(0);
    expect(out.logits.length).toBe(60);
  });
});
