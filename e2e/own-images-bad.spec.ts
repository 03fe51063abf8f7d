import { renameSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { expect, test, type Page } from '@playwright/test';
import { zipSync } from 'fflate';
import {
  heicBytes, hugeHeaderPng, mkdirSync, path, pngOf, realTestSet, sparseFile, tmpDir, writeClassFolders, writeFileSync, zipFolder,
} from './fixtures/ownImages';

/**
 * Every bad input of issue 9, each built here from real images: the message names the file and
 * the fix, the selected dataset stays selected, and what was imported before is still there.
 */

const XSS = '<img src=x onerror=alert(1)>';

/** Stages a folder or zip and imports it; resolves once its summary or its error shows. */
async function stageAndImport(page: Page, what: { folder?: string; zip?: string }) {
  const panel = page.getByTestId('import-panel');
  if (what.folder) await panel.getByTestId('import-folder').setInputFiles(what.folder);
  else await panel.getByTestId('import-zip').setInputFiles(what.zip!);
  // Staging clears the previous summary and error (in the change event); the Import button shows
  // once the preview is made, or the error when even the preview refuses the input (a zip bomb).
  const button = panel.getByRole('button', { name: /^Import [\d,]+ files/ });
  await expect(button.and(page.locator(':enabled')).or(panel.getByTestId('import-error'))).toBeVisible({ timeout: 60_000 });
  if (await button.isVisible()) await button.click();
  await expect(panel.getByTestId('import-summary').or(panel.getByTestId('import-error'))).toBeVisible({ timeout: 120_000 });
  return panel;
}

test('bad inputs: each gives its message naming the file and the fix; the selection and earlier imports are kept', async ({ page }) => {
  test.setTimeout(300_000);
  const dir = tmpDir('bad');
  const cifar = await realTestSet('cifar10');
  const goodPng = pngOf(cifar, 0);
  const two = (name: string) => writeClassFolders(path.join(dir, name), 'cifar10', 3, { classes: [0, 1] });
  let dialogs = 0;
  page.on('dialog', (d) => { dialogs++; void d.dismiss(); });

  await page.goto('/?backend=wasm');
  const select = page.getByRole('region', { name: /Dataset/ }).getByRole('combobox', { name: /Dataset/ });
  await expect(select).toHaveValue('mnist');
  // Something imported before the bad inputs (kept, not selected).
  const good = await two('earlier-good');
  let panel = await stageAndImport(page, { folder: good });
  await expect(panel.getByTestId('import-summary')).toContainText('earlier-good');
  const earlier = select.locator('option', { hasText: 'earlier-good (imported)' });
  await expect(earlier).toHaveCount(1);
  const unchanged = async () => {
    await expect(select).toHaveValue('mnist');
    await expect(earlier).toHaveCount(1);
  };

  await test.step('bad files in a folder are skipped, grouped by reason, each named with its fix; mixed sizes and channels are resized', async () => {
    const root = await two('mixed-bag');
    const a = path.join(root, 'airplane');
    writeFileSync(path.join(a, 'truncated.png'), goodPng.subarray(0, Math.floor(goodPng.length / 2)));
    writeFileSync(path.join(a, 'notes.png'), 'These are my notes, not a picture.\n'.repeat(20));
    writeFileSync(path.join(a, 'empty.png'), '');
    writeFileSync(path.join(a, 'huge.png'), hugeHeaderPng(30000, 30000));
    writeFileSync(path.join(a, 'phone.heic'), heicBytes());
    execFileSync('convert', [path.join(a, 'cifar10-3.png'), path.join(a, 'scan.tiff')]);
    sparseFile(path.join(a, 'big.png'), 2 * 1024 ** 3);
    // Mixed sizes and channels: a 64×48 JPEG, a 20×20 greyscale PNG, an RGBA PNG.
    execFileSync('convert', [path.join(a, 'cifar10-3.png'), '-resize', '64x48!', path.join(a, 'wide.jpg')]);
    execFileSync('convert', [path.join(a, 'cifar10-3.png'), '-resize', '20x20!', '-colorspace', 'Gray', path.join(a, 'grey.png')]);
    execFileSync('convert', [path.join(a, 'cifar10-3.png'), '-alpha', 'set', '-channel', 'A', '-evaluate', 'set', '60%', `PNG32:${path.join(a, 'alpha.png')}`]);
    // OS clutter: skipped silently, counted.
    mkdirSync(path.join(root, '__MACOSX', 'airplane'), { recursive: true });
    writeFileSync(path.join(root, '__MACOSX', 'airplane', '._x.png'), 'junk');
    writeFileSync(path.join(a, '._cifar10-3.png'), 'junk');
    writeFileSync(path.join(root, '.DS_Store'), 'junk');
    writeFileSync(path.join(a, 'Thumbs.db'), 'junk');
    panel = await stageAndImport(page, { folder: root });
    const s = panel.getByTestId('import-summary');
    const group = (reason: string) => s.locator(`details[data-reason="${reason}"]`);
    await expect(group('corrupt')).toContainText('airplane/truncated.png is a PNG that cannot be decoded (truncated or corrupt');
    await expect(group('corrupt')).toContainText('Re-export or re-download them');
    await expect(group('not-image')).toContainText('airplane/notes.png is not an image: its first bytes are text');
    await expect(group('empty')).toContainText('airplane/empty.png is empty (0 bytes)');
    await expect(group('too-many-pixels')).toContainText('airplane/huge.png claims 30000×30000 pixels, over the 40 megapixel limit');
    await expect(group('unsupported')).toContainText('airplane/phone.heic is HEIC');
    await expect(group('unsupported')).toContainText('airplane/scan.tiff is TIFF');
    await expect(group('unsupported')).toContainText('Convert them to JPEG or PNG');
    await expect(group('too-large')).toContainText('airplane/big.png is 2.0 GB, over the 64 MB limit for one image');
    await expect(s.getByTestId('mixed-sizes')).toContainText('2 images differed in size');
    await expect(s.getByTestId('mixed-channels')).toContainText(/[1-9]\d* greyscale images were stored as RGB/);
    await expect(s.getByTestId('clutter')).toContainText('4 OS clutter files');
    await expect(s).toContainText('7 training and 2 test images in 2 classes'); // 6 good + 3 mixed, all kept
    await unchanged();
  });

  await test.step('a class folder named like HTML is shown as text', async () => {
    const root = await two('html-name');
    renameSync(path.join(root, 'automobile'), path.join(root, XSS));
    panel = await stageAndImport(page, { folder: root });
    await expect(panel.getByTestId('import-summary').getByRole('rowheader', { name: XSS, exact: true })).toBeVisible();
    await expect(page.locator('img[src="x"]')).toHaveCount(0);
    expect(dialogs).toBe(0);
    await unchanged();
  });

  const refused = async (what: { folder?: string; zip?: string }, ...parts: string[]) => {
    panel = await stageAndImport(page, what);
    for (const p of parts) await expect(panel.getByTestId('import-error')).toContainText(p);
    await unchanged();
  };

  await test.step('one class only', async () => {
    const root = await writeClassFolders(path.join(dir, 'just-cats'), 'cifar10', 3, { classes: [3] });
    await refused({ folder: root }, 'just-cats: has only one class with images ("cat")', 'Add a folder of images for each other class');
  });

  await test.step('images in the root, no class folders', async () => {
    const root = path.join(dir, 'flat');
    mkdirSync(root, { recursive: true });
    for (let i = 0; i < 4; i++) writeFileSync(path.join(root, `img${i}.png`), pngOf(cifar, i));
    await refused({ folder: root }, 'flat: its 4 images lie in the root with no class folders', 'Put each class');
  });

  await test.step('an empty class folder is left out and named', async () => {
    const root = await writeClassFolders(path.join(dir, 'with-empty'), 'cifar10', 3, { classes: [4, 5] });
    mkdirSync(path.join(root, 'empty-class'));
    panel = await stageAndImport(page, { zip: zipFolder(root, path.join(dir, 'with-empty.zip')) });
    await expect(panel.getByTestId('empty-classes')).toContainText('the class folder "empty-class" held no usable image');
    await unchanged();
  });

  await test.step('a zip with ../ entries: those are skipped and reported', async () => {
    const zip = path.join(dir, 'escape.zip');
    writeFileSync(zip, zipSync({ 'a/1.png': pngOf(cifar, 0), 'b/2.png': pngOf(cifar, 1), '../evil.png': goodPng, 'a/../../evil2.png': goodPng }));
    panel = await stageAndImport(page, { zip });
    const g = panel.getByTestId('import-summary').locator('details[data-reason="unsafe-path"]');
    await expect(g).toContainText('../evil.png points outside the archive');
    await expect(g).toContainText('a/../../evil2.png points outside the archive');
    await unchanged();
  });

  await test.step('a zip bomb is stopped at the stated cap', async () => {
    const zip = path.join(dir, 'bomb.zip');
    writeFileSync(zip, zipSync({ 'a/1.png': pngOf(cifar, 0), 'b/bomb.png': new Uint8Array(100 * 1024 * 1024) }, { level: 9 }));
    await refused({ zip }, 'bomb.zip: entry b/bomb.png inflates past 64 MB', 'zip bomb', 'nothing was kept');
  });

  await test.step('storage quota too small: refused before the import, saying how many MB and what to do', async (step) => {
    const cdp = await page.context().newCDPSession(page);
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin, quotaSize: 200_000 });
    // The override reaches navigator.storage.estimate() a moment later. Debian's Chromium 156 on
    // the CI machine accepts the command but never applies it (the estimate stays at 10 GiB):
    // there the step is reported as skipped, not passed.
    const quota = () => page.evaluate(async () => (await navigator.storage.estimate()).quota ?? Infinity);
    const deadline = Date.now() + 10_000;
    while ((await quota()) > 200_000 && Date.now() < deadline) await page.waitForTimeout(250);
    step.skip((await quota()) > 200_000, 'Storage.overrideQuotaForOrigin had no effect in this Chromium: the quota message is not exercised');
    const root = await writeClassFolders(path.join(dir, 'too-big'), 'cifar10', 60, { classes: [0, 1] });
    // Refused on screen before the import starts: the need, the room the browser reports, the fix.
    panel = page.getByTestId('import-panel');
    await panel.getByTestId('import-folder').setInputFiles(root);
    await expect(panel.getByTestId('import-storage')).toContainText('Storage: 120 images × 32×32×3 = 369 kB', { timeout: 60_000 });
    await expect(panel.getByTestId('import-refusal')).toContainText("Will not fit in this browser's storage: it needs 1 MB");
    await expect(panel.getByTestId('import-refusal')).toContainText('remove an imported dataset');
    await expect(panel.getByRole('button', { name: 'Import 120 files' })).toBeDisabled();
    await panel.getByRole('button', { name: 'Cancel' }).click();
    await unchanged();
    await cdp.send('Storage.overrideQuotaForOrigin', { origin: new URL(page.url()).origin });
  });

  await test.step('after a reload the earlier import is still there and nothing is selected in its place', async () => {
    await page.reload();
    await expect(page.getByTestId('dataset-counts')).toBeVisible({ timeout: 60_000 });
    await unchanged();
  });
});
