/**
 * OnnxRunner on a real ONNX teacher (fashion-resnet.onnx made NHWC-in with one tap's summary added
 * as graph outputs, exactly as the studio hands it to onnxruntime-web: graph.ts teacherGraph):
 * scoring fetches the logits alone, a batch above maxBatch runs in parts with the same logits, and
 * the training forward fetches the logits and the tap's summary, equal to the summary TF.js
 * computes from the tap itself. onnxruntime-node's session (same run API as onnxruntime-web's)
 * stands in, watched for fetches.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import * as ort from 'onnxruntime-node';
import { describe, expect, it } from 'vitest';
import { nhwcName, nodeValues, summaryNames, teacherGraph, withOutputs } from '../ml/onnx/graph';
import { readOnnxFiles } from '../ml/onnx/describe';
import { nchwToNhwc, nhwcToNchw } from '../ml/onnx/layout';
import { summarizeTap } from '../ml/losses/teacherTap';
import { OnnxRunner } from './onnxRunner';

const FIX = path.resolve(__dirname, '../../fixtures/onnx');

function fixture() {
  const bytes = readFileSync(path.join(FIX, 'fashion-resnet.onnx'));
  const { model } = readOnnxFiles([{ name: 'fashion-resnet.onnx', bytes: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) }]);
  const tap = nodeValues(model).filter((v) => v.node.opType === 'Relu')[0].value;
  return { model, tap };
}

async function runner(maxBatch: number) {
  const { model, tap } = fixture();
  const session = await ort.InferenceSession.create(teacherGraph(model, [tap], 'NCHW'));
  const fetched: string[][] = [];
  const watched = {
    run: (feeds: ort.InferenceSession.FeedsType, fetches: string[]) => { fetched.push([...fetches]); return session.run(feeds, fetches); },
    release: () => session.release(),
  };
  const r = OnnxRunner.over(
    { bytes: new ArrayBuffer(0), inputName: nhwcName('input'), layout: 'NHWC', inputShape: [28, 28, 1], logitsName: 'logits', softmaxOutput: false, summaries: [summaryNames(tap)], maxBatch },
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
    expect(parts.pooled).toEqual([]);
    expect(parts.energy).toEqual([]);
    expect(parts.logits.length).toBe(80);
    const whole = await (await runner(256)).r.forward(images(8), 8, 'unit', true);
    for (let i = 0; i < 80; i++) expect(parts.logits[i]).toBeCloseTo(whole.logits[i], 4);
  });

  it('training forward: the logits and the tap\'s summary are fetched, equal to the summary of the tap itself', async () => {
    const { r, fetched, tap } = await runner(4);
    const B = 6;
    const out = await r.forward(images(B), B, 'unit');
    const { pooled, energy } = summaryNames(tap);
    expect(fetched).toEqual([['logits', pooled, energy], ['logits', pooled, energy]]);
    expect(out.logits.length).toBe(60);
    // The tap itself from the unedited model (NCHW), summarised by TF.js as a teacher in this thread is.
    const { model } = fixture();
    const plain = await (await ort.InferenceSession.create(withOutputs(model, [tap])))
      .run({ input: new ort.Tensor('float32', nhwcToNchw(images(B), B, 28, 28, 1), [B, 1, 28, 28]) });
    const [b, c, h, w] = plain[tap].dims as number[];
    const want = summarizeTap(tf.tensor4d(nchwToNhwc(plain[tap].data as Float32Array, b, c, h, w), [b, h, w, c]));
    expect(out.pooled[0].length).toBe(B * c);
    expect(out.energy[0].length).toBe(B * h * w);
    const close = (got: Float32Array, ref: Float32Array) => {
      const scale = ref.reduce((a, v) => Math.max(a, Math.abs(v)), 0);
      expect(scale).toBeGreaterThan(0);
      got.forEach((v, i) => expect(Math.abs(v - ref[i])).toBeLessThan(1e-5 * scale));
    };
    close(out.pooled[0], want.pooled.dataSync() as Float32Array);
    close(out.energy[0], want.energy.dataSync() as Float32Array);
    tf.dispose(want);
  });
});
