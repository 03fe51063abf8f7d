import { readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect, test, type Page } from '@playwright/test';
import { runPilotToEnd } from './helpers';

/**
 * Your own teacher: the shipped MNIST teacher imported as files gives its card's accuracy; the
 * ONNX fixture (PyTorch, fixtures/onnx) shows its taps and baseline card and distils with RTK to
 * the pilot card under its own tap names; each bad input is refused by name while the teacher
 * selected before stays selected; and nobody else downloads onnxruntime-web. Models made
 * elsewhere (issue 23): a fixed batch (baseline and pilot), ImageNet-normalised inputs detected on
 * import, class names from a metadata.json beside the file, torchvision's MobileNetV3-small taps and FLOPs.
 */
const ROOT = path.resolve(fileURLToPath(new URL('..', import.meta.url)));
const TEACHER = path.join(ROOT, 'public/teachers/mnist');
const FIX = path.join(ROOT, 'fixtures/onnx');
const fixture = JSON.parse(readFileSync(path.join(FIX, 'fixture.json'), 'utf8')) as { testAccuracy: number };
const pct = (v: number) => `${(v * 100).toFixed(2)}%`;
const FASHION = 'backend=wasm&dataset=fashion-mnist&trainLimit=2000&testLimit=500&epochs=1&seed=3&batchSize=64&lr=0.01&method=rtk';

type Upload = { name: string; mimeType: string; buffer: Buffer };
const up = (name: string, buffer: Buffer): Upload => ({ name, mimeType: 'application/octet-stream', buffer });
const modelJson = () => JSON.parse(readFileSync(path.join(TEACHER, 'model.json'), 'utf8')) as Record<string, unknown> & { modelTopology: { keras_version: string; config: { layers: { class_name: string }[] } } };
const weights = () => readFileSync(path.join(TEACHER, 'weights.bin'));

/** Which files the page and its workers fetched from onnxruntime-web (its code or its .wasm). */
function watchOrt(page: Page): string[] {
  const seen: string[] = [];
  page.on('request', (r) => { if (/ort[.-]wasm|onnxRunner/.test(r.url())) seen.push(r.url()); });
  return seen;
}

test('the shipped MNIST teacher imported as files scores its card accuracy, and onnxruntime-web is never fetched', async ({ page }) => {
  const ort = watchOrt(page);
  await page.goto('/?backend=wasm&dataset=mnist');
  const cardAccuracy = await page.getByTestId('teacher-accuracy').innerText();
  await page.getByTestId('own-teacher-files').setInputFiles([path.join(TEACHER, 'model.json'), path.join(TEACHER, 'weights.bin')]);
  await expect(page.getByTestId('own-teacher-accuracy')).toHaveText(cardAccuracy, { timeout: 120_000 });
  await expect(page.getByTestId('own-teacher-card')).toContainText('TF.js Layers model');
  expect(await page.getByTestId('teacher-tap').count()).toBeGreaterThan(3);
  await expect(page.getByTestId('use-own-teacher')).toBeChecked();
  expect(ort).toEqual([]);
});

test('the ONNX fixture: taps, baseline card equal to PyTorch\'s accuracy, and an RTK pilot to the pilot card', async ({ page }) => {
  // The baseline scores all 10,000 test images; on the shared 2-core box that alone can take minutes.
  test.setTimeout(900_000);
  const ort = watchOrt(page);
  await page.goto(`/?${FASHION}`);
  await page.getByTestId('own-teacher-files').setInputFiles(path.join(FIX, 'fashion-resnet.onnx'));
  const card = page.getByTestId('own-teacher-card');
  await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
  // The studio's accuracy on all 10,000 test images equals what PyTorch measured, within 0.1 points.
  const shown = Number((await page.getByTestId('own-teacher-accuracy').innerText()).replace('%', '')) / 100;
  expect(Math.abs(shown - fixture.testAccuracy)).toBeLessThanOrEqual(0.001);
  await expect(card).toContainText('ONNX model');
  await expect(card).toContainText('Latency / image');
  const taps = page.getByTestId('teacher-tap');
  expect(await taps.count()).toBeGreaterThanOrEqual(10);
  const checked = page.getByTestId('teacher-taps').locator('input:checked');
  await expect(checked).toHaveCount(3);
  for (const stage of ['stage1', 'stage2', 'stage3']) await expect(page.getByTestId('teacher-taps')).toContainText(`/${stage}/Relu_1_output_0`);
  expect(ort.some((u) => u.endsWith('.wasm'))).toBe(true);
  await page.screenshot({ path: 'test-results/own-teacher-onnx.png', fullPage: true });

  const result = await runPilotToEnd(page, 400_000);
  expect(result.testAccuracy.rtk).toBeGreaterThan(0.5);
  const teacherRow = page.getByTestId('card-teacher');
  await expect(teacherRow).toContainText('Teacher (yours: fashion-resnet)');
  await expect(teacherRow).toContainText(pct(shown));
  // The key explorer speaks the ONNX model's own tap names.
  await expect(page.locator('.explorer')).toContainText('/stage3/Relu_1_output_0');
});

test('bad inputs: each refused with the file and the fix; the teacher selected before stays selected', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto(`/?${FASHION}`);
  const input = page.getByTestId('own-teacher-files');
  await input.setInputFiles(path.join(FIX, 'fashion-resnet.onnx'));
  await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
  await test.step('detect picks the input scaling with the best accuracy on 256 labelled images (0–1 for this model)', async () => {
    await page.getByTestId('own-teacher-detect').click();
    await expect(page.getByTestId('own-teacher-detected')).toContainText('ImageNet mean/std', { timeout: 300_000 });
    await expect(page.locator('#own-preprocess')).toHaveValue('unit');
    await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
  });
  const checked = page.getByTestId('teacher-taps').locator('input:checked');
  await page.getByRole('checkbox', { name: 'Use /stage1/Relu_1_output_0 as a tap' }).uncheck();
  await expect(checked).toHaveCount(2);
  const onnx = readFileSync(path.join(FIX, 'fashion-resnet.onnx'));
  const lambda = modelJson();
  lambda.modelTopology.config.layers[2].class_name = 'Lambda';
  const keras3 = modelJson();
  keras3.modelTopology.keras_version = '3.3.3';
  const cases: [string, Upload[], RegExp][] = [
    ['model.json without its shards', [up('model.json', readFileSync(path.join(TEACHER, 'model.json')))], /model\.json lists the weight shard weights\.bin, and no \.bin file was picked with it/],
    ['a shortened shard', [up('model.json', readFileSync(path.join(TEACHER, 'model.json'))), up('weights.bin', weights().subarray(0, 5000))], /hold 5000 bytes but its manifest describes 398488/],
    ['a Lambda layer', [up('model.json', Buffer.from(JSON.stringify(lambda))), up('weights.bin', weights())], /uses the layer class Lambda, which TF\.js does not know/],
    ['a Keras 3 model.json', [up('model.json', Buffer.from(JSON.stringify(keras3))), up('weights.bin', weights())], /written by Keras 3/],
    ['a .pt file', [up('state-dict.pt', readFileSync(path.join(FIX, 'bad/state-dict.pt')))], /state-dict\.pt is a PyTorch checkpoint.*torch\.onnx\.export/],
    ['a truncated ONNX file', [up('fashion-resnet.onnx', onnx.subarray(0, 150_000))], /fashion-resnet\.onnx is not a complete ONNX model/],
    ['external weights missing', [up('external-weights.onnx', readFileSync(path.join(FIX, 'bad/external-weights.onnx')))], /keeps its weights in external-weights\.onnx\.data, which was not chosen/],
    ['a [1,128] input', [up('vector-input.onnx', readFileSync(path.join(FIX, 'bad/vector-input.onnx')))], /vector-input\.onnx: its input input is \[batch, 128\], not an image/],
    ['more classes than the dataset', [up('twenty-classes.onnx', readFileSync(path.join(FIX, 'bad/twenty-classes.onnx')))], /twenty-classes has 20 classes; Fashion-MNIST has 10/],
  ];
  for (const [what, files, message] of cases) {
    await test.step(what, async () => {
      await input.setInputFiles(files);
      await expect(page.getByTestId('own-teacher-error')).toHaveText(message, { timeout: 60_000 });
      await expect(page.getByTestId('own-teacher-name')).toHaveText('fashion-resnet');
      await expect(page.getByTestId('use-own-teacher')).toBeChecked();
    });
  }
  await test.step('the tap choice is remembered for the model (by fingerprint)', async () => {
    await input.setInputFiles(path.join(FIX, 'fashion-resnet.onnx'));
    await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
    await expect(checked).toHaveCount(2);
    await expect(page.getByRole('checkbox', { name: 'Use /stage1/Relu_1_output_0 as a tap' })).not.toBeChecked();
  });
  await test.step('no spatial feature maps: imported for KD only, and the studio says why', async () => {
    await input.setInputFiles(path.join(FIX, 'bad/no-feature-maps.onnx'));
    await expect(page.getByTestId('own-teacher-name')).toHaveText('no-feature-maps', { timeout: 60_000 });
    await expect(page.getByTestId('own-teacher-warning').filter({ hasText: 'only KD can distil it' })).toBeVisible();
    await expect(page.getByTestId('teacher-taps')).toHaveCount(0);
  });
});

/** PyTorch's test accuracy of a fixture made by make_fixture.py (its <name>.json). */
const made = (name: string) => JSON.parse(readFileSync(path.join(FIX, `${name}.json`), 'utf8')) as { testAccuracy: number };
const shownAccuracy = async (page: Page) => Number((await page.getByTestId('own-teacher-accuracy').innerText()).replace('%', '')) / 100;

test('models made elsewhere: a fixed batch, ImageNet inputs, class names in a metadata.json beside the file', async ({ page }) => {
  // Three baselines on all 10,000 test images, one of them an image at a time.
  test.setTimeout(900_000);
  await page.goto(`/?${FASHION}`);
  const input = page.getByTestId('own-teacher-files');
  const card = page.getByTestId('own-teacher-card');
  await test.step('exported without dynamic_axes (batch fixed at 1): its baseline, and the note naming the fix', async () => {
    await input.setInputFiles(path.join(FIX, 'fashion-resnet-b1.onnx'));
    await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
    expect(Math.abs(await shownAccuracy(page) - made('fashion-resnet-b1').testAccuracy)).toBeLessThanOrEqual(0.001);
    await expect(card).toContainText('Its batch is fixed at 1');
    await expect(card).toContainText("dynamic_axes={'input': {0: 'batch'}");
  });
  await test.step('trained on ImageNet-normalised inputs: detected on import, the first baseline already right', async () => {
    await input.setInputFiles(path.join(FIX, 'fashion-resnet-imagenet.onnx'));
    await expect(page.getByTestId('own-teacher-name')).toHaveText('fashion-resnet-imagenet', { timeout: 120_000 });
    await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
    await expect(page.locator('#own-preprocess')).toHaveValue('imagenet');
    await expect(page.getByTestId('own-teacher-detected')).toContainText('ImageNet mean/std');
    // The accuracy line names the scaling it was measured with (then the seconds and batch).
    await expect(card).toContainText(/Test accuracy on Fashion-MNIST \(10,000 images, ImageNet mean\/std[,)]/);
    expect(Math.abs(await shownAccuracy(page) - made('fashion-resnet-imagenet').testAccuracy)).toBeLessThanOrEqual(0.001);
  });
  await test.step('no class names in the model: the metadata.json picked with it maps them by name', async () => {
    const dir = path.join(FIX, 'fashion-alpha');
    await input.setInputFiles([path.join(dir, 'fashion-alpha.onnx'), path.join(dir, 'metadata.json')]);
    await expect(page.getByTestId('own-teacher-name')).toHaveText('fashion-alpha', { timeout: 120_000 });
    await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
    await expect(page.getByTestId('own-teacher-warning').filter({ hasText: 'mapped by name' })).toBeVisible();
    await expect(card).toContainText('Class names from metadata.json: Ankle boot, Bag, Coat');
    expect(Math.abs(await shownAccuracy(page) - made('fashion-alpha').testAccuracy)).toBeLessThanOrEqual(0.001);
  });
});

test('a fixed-batch ONNX teacher distils: an RTK pilot to the pilot card', async ({ page }) => {
  test.setTimeout(900_000);
  await page.goto(`/?${FASHION}`);
  await page.getByTestId('own-teacher-files').setInputFiles(path.join(FIX, 'fashion-resnet-b1.onnx'));
  await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
  const result = await runPilotToEnd(page, 600_000);
  expect(result.testAccuracy.rtk).toBeGreaterThan(0.5);
  await expect(page.getByTestId('card-teacher')).toContainText('Teacher (yours: fashion-resnet-b1)');
});

test('MobileNetV3-small from torchvision: the 16×16 stage gets a default tap, and HardSwish is costed', async ({ page }) => {
  test.setTimeout(600_000);
  await page.goto('/?backend=wasm&dataset=cifar10&trainLimit=2000&testLimit=500&epochs=1&seed=1');
  await page.getByTestId('own-teacher-files').setInputFiles(path.join(FIX, 'mobilenet-v3-small.onnx'));
  await expect(page.getByTestId('own-teacher-accuracy')).toBeVisible({ timeout: 300_000 });
  const card = page.getByTestId('own-teacher-card');
  // Every op is costed: no 'FLOPs estimated' hint naming HardSwish or HardSigmoid.
  await expect(card).not.toContainText('FLOPs estimated');
  const checkedShapes = await page.getByTestId('teacher-tap').filter({ has: page.locator('input:checked') }).locator('td:nth-child(3)').allInnerTexts();
  expect(checkedShapes.map((s) => s.split(' × ').slice(0, 2).join('×'))).toEqual(['16×16', '8×8', '4×4', '2×2']);
});
