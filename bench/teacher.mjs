/**
 * `npm run bench:teacher`: the ONNX fixture (fixtures/onnx/fashion-resnet.onnx) as a teacher.
 * - browserImagesPerSec: its forward pass with the default taps' summaries fetched, onnxruntime-web (wasm,
 *   one thread) inside the studio's teacher worker in headless Chromium (the file is picked in
 *   the page as a user would);
 * - nativeImagesPerSec: the same file with the same taps' summaries added (the studio's own graph editing,
 *   src/ml/onnx/graph.ts teacherGraph: an NHWC Transpose node and summary outputs) in onnxruntime-node in this process, same machine, same run (one
 *   intra-op thread as the browser, and the runtime's default threads too);
 * - rtkStepSamplesPerSec: full RTK steps (teacher forward in its worker, student, attention,
 *   optimiser) with the ONNX teacher, batch 128, as a run trains.
 * - wasmCeiling (bench/ortCeiling.ts): onnxruntime-web's wasm build under Node against
 *   onnxruntime-node on single-op models and the fixture: how fast wasm can be on this CPU.
 * - baseline: the studio's scoring of the test images (logits only, its batch and threads, as the
 *   card's baseline runs) beside the same images, batch and threads in onnxruntime-web's wasm
 *   build under Node and in onnxruntime-node; target: the studio within 1.5 × wasm in Node.
 * `--file fixtures/onnx/<name>.onnx` measures another fixture (results in teacher-<name>.*).
 * `--trainLimit N --testLimit N --ceilingRuns N` shrink it (the smoke run of npm test).
 * Run with tsx (it imports the TypeScript graph module).
 */
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as ort from 'onnxruntime-node';
import * as ortWeb from 'onnxruntime-web';
import { decodeOnnx, nhwcName, nodeValues, onnxFlops, teacherGraph, withOutputs } from '../src/ml/onnx/graph.ts';
import { onnxInputOf, onnxTapsOf } from '../src/ml/onnx/describe.ts';
import { ortCeiling } from './ortCeiling.ts';

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

async function nativeRate(bytes, B, runs, threads) {
  const session = await ort.InferenceSession.create(bytes, threads ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : {});
  const x = new ort.Tensor('float32', Float32Array.from({ length: B * 784 }, (_, i) => ((i * 2654435761) % 1000) / 1000), [B, 28, 28, 1]);
  const times = [];
  for (let i = 0; i < runs + 5; i++) {
    const t0 = performance.now();
    await session.run({ [nhwcName('input')]: x });
    if (i >= 5) times.push(performance.now() - t0);
  }
  await session.release();
  return { imagesPerSec: Math.round(B / (median(times) / 1000)), medianMsPerBatch: Number(median(times).toFixed(2)) };
}

/**
 * Seconds to score `images` images as the studio's baseline does (logits only, `B` per run, the
 * model with its NHWC input and taps added but not fetched), in `rt` (onnxruntime-node, or
 * onnxruntime-web's wasm build under Node) with `threads` threads.
 */
async function baselineSeconds(rt, bytes, images, B, threads, [h, w, c]) {
  const node = rt === ort;
  if (!node) rt.env.wasm.numThreads = threads;
  const session = await rt.InferenceSession.create(bytes, node ? { intraOpNumThreads: threads, interOpNumThreads: 1 } : { executionProviders: ['wasm'] });
  const make = (n) => new rt.Tensor('float32', Float32Array.from({ length: n * h * w * c }, (_, i) => ((i * 2654435761) % 1000) / 1000), [n, h, w, c]);
  const full = make(B);
  const logits = session.outputNames[0];
  await session.run({ [session.inputNames[0]]: full }, [logits]);
  const t0 = performance.now();
  for (let at = 0; at < images; at += B) {
    const n = Math.min(B, images - at);
    await session.run({ [session.inputNames[0]]: n === B ? full : make(n) }, [logits]);
  }
  const seconds = (performance.now() - t0) / 1000;
  await session.release();
  return Number(seconds.toFixed(2));
}

export async function runTeacherBench({ args, root, withStudio, openStudio, save, machine }) {
  const B = Number(args.batch ?? 128);
  const runs = Number(args.runs ?? 30);
  const steps = Number(args.steps ?? 40);
  // --trainLimit / --testLimit (images the page loads; 0 = the whole test split) and --ceilingRuns
  // (timed runs per median in bench/ortCeiling.ts) shrink it for the smoke run of npm test.
  const trainLimit = Number(args.trainLimit ?? 10000);
  const testLimit = Number(args.testLimit ?? 0);
  const ceilingRuns = Number(args.ceilingRuns ?? 20);
  // --file another fixture made by scripts/onnx-fixture/make_fixture.py --name (its figures go to teacher-<name>.*).
  const file = path.resolve(root, String(args.file ?? path.join('fixtures', 'onnx', 'fashion-resnet.onnx')));
  const fileName = path.basename(file);
  const main = fileName === 'fashion-resnet.onnx';
  const bytes = new Uint8Array(readFileSync(file));
  const fixture = JSON.parse(readFileSync(main ? path.join(path.dirname(file), 'fixture.json') : file.replace(/\.onnx$/, '.json'), 'utf8'));
  const load = { before: os.loadavg() };
  // The default taps, found exactly as the studio finds them (one batch-1 run with every value fetched).
  const model = decodeOnnx(bytes, fileName);
  const io = onnxInputOf(model, fileName, [28, 28, 1]);
  const probe = await ort.InferenceSession.create(withOutputs(model, nodeValues(model).map((v) => v.value)));
  const out = await probe.run({ input: new ort.Tensor('float32', new Float32Array(784), io.probeDims) });
  const dims = new Map(Object.entries(out).map(([k, t]) => [k, [...t.dims]]));
  const taps = onnxTapsOf(model, fileName, dims, io).defaultTaps;
  const flopsPerImage = onnxFlops(model, dims).flops;
  // The model exactly as the studio hands it to onnxruntime-web: NHWC in, each tap's summary added as outputs.
  const tapped = teacherGraph(model, taps, 'NCHW');

  let browser = null;
  await withStudio(async ({ browser: b, baseUrl, browserVersion }) => {
    const q = `backend=wasm&dataset=fashion-mnist&method=rtk&batchSize=${B}&trainLimit=${trainLimit}&testLimit=${testLimit}&autorun=bench-teacher&runs=${runs}&steps=${steps}`;
    const { page, backend, adapter } = await openStudio(b, `${baseUrl}/?${q}`);
    await page.getByTestId('own-teacher-files').setInputFiles(file);
    const h = await page.waitForFunction(() => window.__benchResult, null, { timeout: 1_800_000, polling: 500 });
    const figures = await h.jsonValue();
    await page.close();
    if (figures.error) throw new Error(`bench:teacher in the browser: ${figures.error}`);
    browser = { ...figures, browserVersion, trainingBackend: backend, adapter };
  });
  const native1 = await nativeRate(tapped, B, runs, 1);
  const nativeDefault = await nativeRate(tapped, B, runs, 0);
  // The studio's baseline (its images, batch and threads) beside the same work in Node.
  const bImages = browser.baselineImages;
  const bBatch = browser.baselineBatch > 0 ? browser.baselineBatch : 256;
  const threads = browser.teacherThreads ?? 1;
  const shape = [io.inputShape[0], io.inputShape[1], io.inputShape[2]];
  const baseline = {
    images: bImages, batch: bBatch, threads, studioSeconds: Number(browser.baselineSeconds.toFixed(2)),
    nodeSeconds: await baselineSeconds(ort, tapped, bImages, bBatch, threads, shape),
    wasmInNodeSeconds: await baselineSeconds(ortWeb, tapped, bImages, bBatch, threads, shape),
  };
  baseline.studioOverWasmInNode = Number((baseline.studioSeconds / baseline.wasmInNodeSeconds).toFixed(2));
  const ceiling = await ortCeiling(file, ceilingRuns);
  load.after = os.loadavg();
  const json = {
    date: new Date().toISOString(), machine: machine(), loadAverage: load, file: path.relative(root, file), flopsPerImage, width: fixture.width, batchSize: B, runs, taps,
    browserImagesPerSec: browser.browserImagesPerSec, nativeImagesPerSec: native1.imagesPerSec, nativeDefaultThreadsImagesPerSec: nativeDefault.imagesPerSec,
    browserOverNative: Number((browser.browserImagesPerSec / native1.imagesPerSec).toFixed(3)),
    seamImagesPerSec: browser.seamImagesPerSec, rtkStepSamplesPerSec: browser.rtkStepSamplesPerSec,
    targets: { browserOverNative: 0.5, rtkStepSamplesPerSec: 800 },
    browser: { version: browser.browserVersion, runtime: 'onnxruntime-web 1.30 (wasm, 1 thread) in the teacher worker', trainingBackend: browser.trainingBackend, adapter: browser.adapter, teacherFeed: browser.teacherFeed, medianMsPerBatch: browser.browserMedianMsPerBatch },
    native: { runtime: `onnxruntime-node (${ort.env.versions?.node ?? 'installed'})`, oneThread: native1, defaultThreads: nativeDefault },
    accuracy: { studio: browser.baselineAccuracy, pytorch: fixture.testAccuracy }, latencyMedianMs: browser.latencyMedianMs,
    wasmCeiling: ceiling, baseline,
  };
  json.targets.baselineStudioOverWasmInNode = 1.5;
  const md = [
    `# bench:teacher: the ONNX fixture ${path.relative(root, file)} (ResNet-style, width ${fixture.width}, ${(flopsPerImage / 1e6).toFixed(1)} MFLOPs per image) as a teacher`, '',
    `${json.date} · ${json.machine.cpu}, ${json.machine.cores} cores · load average ${load.before.map((v) => v.toFixed(2)).join(' / ')} before, ${load.after.map((v) => v.toFixed(2)).join(' / ')} after (the machine is shared) · Chromium ${browser.browserVersion} · batch ${B}`, '',
    '| figure | value | target |', '|---|---|---|',
    `| browserImagesPerSec (onnxruntime-web wasm, 1 thread, ${taps.length} taps' summaries fetched) | ${json.browserImagesPerSec} | ≥ 0.5 × native |`,
    `| nativeImagesPerSec (onnxruntime-node, 1 intra-op thread, same file and taps) | ${json.nativeImagesPerSec} | |`,
    `| browser / native | ${json.browserOverNative} | ≥ 0.5 |`,
    `| onnxruntime-node with its default threads | ${json.nativeDefaultThreadsImagesPerSec} | |`,
    `| through the teacher seam (transfer, scaling, tensors) | ${json.seamImagesPerSec} | |`,
    `| rtkStepSamplesPerSec (full RTK step, ONNX teacher, training on ${browser.trainingBackend}) | ${json.rtkStepSamplesPerSec} | ≥ 800 |`, '',
    '', `## The baseline: ${baseline.images} test images, logits only, batch ${baseline.batch}, ${baseline.threads} thread${baseline.threads === 1 ? '' : 's'}`, '',
    '| where | seconds | target |', '|---|---|---|',
    `| the studio (teacher worker, onnxruntime-web wasm, in Chromium) | ${baseline.studioSeconds} | ≤ 1.5 × wasm in Node |`,
    `| onnxruntime-web's wasm build under Node, same threads and batch | ${baseline.wasmInNodeSeconds} | |`,
    `| onnxruntime-node, same threads and batch | ${baseline.nodeSeconds} | |`,
    `| studio / wasm in Node | ${baseline.studioOverWasmInNode} | ≤ 1.5 |`, '',
    `Teacher feed: ${browser.teacherFeed}. Taps: ${taps.join(', ')}.`,
    `Studio test accuracy of the fixture ${(browser.baselineAccuracy * 100).toFixed(2)} % (PyTorch ${(fixture.testAccuracy * 100).toFixed(2)} %); latency per image ${browser.latencyMedianMs.toFixed(2)} ms median.`,
    '', '## How fast onnxruntime\'s wasm build can be here (bench/ortCeiling.ts)', '',
    `The wasm binary the studio ships (onnxruntime-web, 1 thread) under Node's V8, outside any browser, against onnxruntime-node (1 intra-op thread), same process, same run (best of three medians of ${ceilingRuns} runs each):`, '',
    '| model | onnxruntime-node | onnxruntime-web wasm in Node | wasm / native |', '|---|---|---|---|',
    ...ceiling.map((r) => `| ${r.model} | ${r.native} ${r.unit} | ${r.wasmInNode} ${r.unit} | ${r.ratio} |`),
  ].join('\n');
  save(main ? 'teacher' : `teacher-${fileName.replace(/\.onnx$/, '')}`, json, md);
}
