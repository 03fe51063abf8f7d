import { execFileSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { expect, test, type Browser, type Locator, type Page } from '@playwright/test';
import { PNG } from 'pngjs';
import { path, tmpDir } from './fixtures/ownImages';

/**
 * Issue 26, "import": 224×224 photos (CIFAR-10 test images upscaled to 224 px JPEG in class
 * folders, made by scripts/photo-fixture/make_photos.py) imported at their own size, as a folder
 * and as a zip, each in a fresh browser profile: the storage and memory they need are stated
 * before the import starts, the summary says 1,200 images in 10 classes at 224×224×3, the
 * training worker reads the stored chunks back, and the preview tiles are 64 px squares that
 * show the photos (not strips, not blanks).
 */

const COUNT = 1200;
let root = '';
let zip = '';

test.beforeAll(() => {
  const dir = tmpDir('photos224');
  root = path.join(dir, 'photos224');
  execFileSync('/usr/bin/python3', ['scripts/photo-fixture/make_photos.py', '--out', root, '--count', String(COUNT), '--size', '224', '--zip'], { stdio: 'inherit', timeout: 120_000 });
  zip = `${root}.zip`;
  expect(existsSync(zip)).toBe(true);
});

/** The first preview tile as drawn on screen: its size, and the spread of its pixel values (0 for a blank tile). */
async function tileOf(grid: Locator): Promise<{ width: number; height: number; spread: number; white: number }> {
  const tile = grid.locator('.preview-tile').first();
  const box = (await tile.boundingBox())!;
  const png = PNG.sync.read(await tile.screenshot());
  const values: number[] = [];
  let white = 0;
  for (let p = 0; p < png.width * png.height; p++) {
    const [r, g, b] = [png.data[4 * p], png.data[4 * p + 1], png.data[4 * p + 2]];
    values.push((r + g + b) / 3);
    if (r > 250 && g > 250 && b > 250) white++;
  }
  const mean = values.reduce((a, b) => a + b, 0) / values.length;
  const spread = Math.sqrt(values.reduce((a, v) => a + (v - mean) ** 2, 0) / values.length);
  return { width: Math.round(box.width), height: Math.round(box.height), spread, white: white / values.length };
}

async function expectPhotoTiles(grid: Locator) {
  await expect(grid).toBeVisible();
  const t = await tileOf(grid);
  expect([t.width, t.height]).toEqual([64, 64]);
  expect(t.spread, 'a tile that shows a photo has varied pixels').toBeGreaterThan(8);
  expect(t.white, 'share of blank (white) pixels in the tile').toBeLessThan(0.5);
}

async function importAt224(browser: Browser, pick: (panel: Locator) => Promise<void>, name: string, shot: string): Promise<Page> {
  const page = await (await browser.newContext()).newPage();
  await page.goto('/?backend=wasm');
  const panel = page.getByTestId('import-panel');
  await pick(panel);
  await expect(panel.getByTestId('import-staged')).toContainText(`${name}: 1,200 files, 10 class folders (airplane, automobile`, { timeout: 60_000 });
  // No teacher of the user's yet: the small default stays, and the note names the photos' own size.
  const size = panel.getByLabel('Input size');
  await expect(size).toHaveValue('32');
  await expect(panel.getByTestId('import-options')).toContainText('The sampled images are 224×224');
  // Tiles are 64 px squares at every size: 96 (once strips) and larger than 224 too.
  for (const side of ['96', '384']) {
    await size.selectOption(side);
    await expect(panel.getByTestId('import-storage')).toContainText(`× ${side}×${side}×3`);
    await expectPhotoTiles(panel.locator(`[role="img"][data-shape="${side}x${side}"]`));
  }
  await panel.locator('[role="img"][data-shape="384x384"]').screenshot({ path: test.info().outputPath(`${shot.replace('.png', '')}-384-tiles.png`) });
  await size.selectOption('224');
  await expect(panel.getByTestId('import-storage')).toContainText('Storage: 1,200 images × 224×224×3 = 181 MB');
  await expect(panel.getByTestId('import-storage')).toContainText(/This browser reports [\d.,]+ [MG]B free for this site \(quota [\d.,]+ [MG]B\)/);
  await expect(panel.getByTestId('import-memory')).toContainText("181 MB of the studio's 1.5 GB budget");
  await expect(panel.getByTestId('import-refusal')).toHaveCount(0);
  await expectPhotoTiles(panel.locator('[role="img"][data-shape="224x224"]'));
  await panel.screenshot({ path: test.info().outputPath(shot) });
  const started = Date.now();
  await panel.getByRole('button', { name: 'Import 1,200 files' }).click();
  const summary = panel.getByTestId('import-summary');
  await expect(summary).toContainText('960 training and 240 test images in 10 classes, 224×224 RGB (stretch), 180.6 MB in this browser', { timeout: 90_000 });
  console.log(`${name}: 1,200 photos imported at 224×224 in ${((Date.now() - started) / 1000).toFixed(1)} s (click to summary)`);
  await expect(summary.getByRole('row')).toHaveCount(11);
  return page;
}

test('import: 1,200 photos at 224×224 from a folder and from a zip, storage stated first, square non-blank previews', async ({ browser }) => {
  test.setTimeout(150_000);
  const page = await importAt224(browser, (panel) => panel.getByTestId('import-folder').setInputFiles(root), 'photos224', 'photos224-folder-staged.png');
  // The training worker reads the 224×224 chunks back: counts and the dataset's own preview.
  await page.getByTestId('import-panel').getByRole('button', { name: 'Use these images' }).click();
  const dataset = page.getByRole('region', { name: /Dataset/ });
  await expect(dataset.getByTestId('dataset-counts')).toContainText('960 training images · 240 test images', { timeout: 60_000 });
  await expect(dataset.getByTestId('imported-selected')).toContainText('224×224 RGB');
  await expectPhotoTiles(dataset.locator('[role="img"][data-shape="224x224"]').filter({ has: page.locator('li:nth-child(32)') }));
  await dataset.screenshot({ path: test.info().outputPath('photos224-dataset.png') });
  await page.context().close();

  const zipPage = await importAt224(browser, (panel) => panel.getByTestId('import-zip').setInputFiles(zip), 'photos224.zip', 'photos224-zip-staged.png');
  await zipPage.context().close();
});

test("import: with the user's own teacher imported, the size defaults to the teacher's input and says so", async ({ browser }) => {
  test.setTimeout(120_000);
  const page = await (await browser.newContext()).newPage();
  // torchvision's MobileNetV3-small fixture reads 64×64×3 (fixtures/onnx/mobilenet-v3-small.json).
  await page.goto('/?backend=wasm&dataset=cifar10&trainLimit=200&testLimit=200&epochs=1&seed=1');
  await page.getByTestId('own-teacher-files').setInputFiles(path.resolve('fixtures/onnx/mobilenet-v3-small.onnx'));
  await expect(page.getByTestId('own-teacher-card')).toBeVisible({ timeout: 60_000 });
  const panel = page.getByTestId('import-panel');
  await panel.getByTestId('import-zip').setInputFiles(zip);
  await expect(panel.getByLabel('Input size')).toHaveValue('64', { timeout: 60_000 });
  await expect(panel.getByTestId('import-options')).toContainText(/mobilenet-v3-small(\.onnx)? reads 64×64 images, so the import defaults to 64×64/);
  await expect(panel.getByLabel('Input size').locator('option:checked')).toHaveText('64×64 (your teacher)');
  await expect(panel.getByTestId('import-storage')).toContainText('Storage: 1,200 images × 64×64×3 = 15 MB');
  await page.context().close();
});
