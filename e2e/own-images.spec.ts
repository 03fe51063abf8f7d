import { expect, test, type Page } from '@playwright/test';
import { runPilotToEnd } from './helpers';
import { tmpDir, writeClassFolders, zipFolder, path } from './fixtures/ownImages';

/** Own images (issue 9): import a real image folder, train a teacher on it, run the pilot to the card. */

const FAST_OWN = 'backend=wasm&trainLimit=0&testLimit=0&epochs=1&seed=3&batchSize=32&lr=0.01';

/** Every request the page (and its workers) makes; the test fails if one leaves the studio's origin. */
function recordRequests(page: Page): string[] {
  const urls: string[] = [];
  page.context().on('request', (r) => urls.push(r.url()));
  return urls;
}

export async function importFolder(page: Page, dir: string) {
  const panel = page.getByTestId('import-panel');
  await panel.getByTestId('import-folder').setInputFiles(dir);
  await expect(panel.getByRole('button', { name: /^Import [\d,]+ files/ })).toBeEnabled({ timeout: 60_000 });
  return panel;
}

test('import a folder of real CIFAR-10 PNG and JPEG files, train a teacher on it, run the pilot to the card; no request leaves the origin', async ({ page, baseURL }, info) => {
  test.setTimeout(420_000);
  const root = path.join(tmpDir('own'), 'my-photos');
  await writeClassFolders(root, 'cifar10', 40, { prefix: 'my-', jpegEvery: 3 });
  const urls = recordRequests(page);
  await page.goto(`/?${FAST_OWN}`);
  await expect(page.getByTestId('backend-name')).toHaveText('wasm', { timeout: 60_000 });

  const panel = await importFolder(page, root);
  await expect(panel.getByTestId('import-staged')).toContainText('400 files, 10 class folders (my-airplane, my-automobile');
  await expect(panel.getByRole('img', { name: /training images, labelled my-/ })).toBeVisible();
  await panel.getByRole('button', { name: 'Import 400 files' }).click();
  const summary = panel.getByTestId('import-summary');
  await expect(summary).toContainText('my-photos', { timeout: 120_000 });
  await expect(summary).toContainText('320 training and 80 test images in 10 classes');
  await expect(summary.getByRole('row')).toHaveCount(11);
  await panel.getByRole('button', { name: 'Use these images' }).click();
  const dataset = page.getByRole('region', { name: /Dataset/ });
  await expect(dataset.getByRole('combobox', { name: /Dataset/ })).toHaveValue(/^user-[0-9a-f]{16}$/);
  await expect(page).toHaveURL(/dataset=user-[0-9a-f]{16}/);
  await expect(dataset.getByTestId('dataset-counts')).toContainText('320 training images · 80 test images', { timeout: 60_000 });
  await expect(dataset.getByRole('table', { name: 'Class balance of the training images' })).toContainText('my-truck');
  await dataset.screenshot({ path: info.outputPath('dataset-imported.png') });

  // 2 · No shipped teacher for these images: train one here (small, one epoch).
  const teacher = page.getByRole('region', { name: /Teacher/ });
  const trainer = teacher.getByTestId('teacher-trainer');
  await trainer.getByLabel('Teacher width').fill('8');
  await trainer.getByLabel('Teacher depth').fill('1');
  await trainer.getByLabel('Teacher epochs').fill('2');
  await trainer.getByRole('button', { name: 'Train the teacher' }).click();
  await expect(trainer.getByTestId('teacher-progress')).toContainText(/left/, { timeout: 60_000 });
  await expect(trainer.getByTestId('teacher-outcome')).toContainText('Teacher saved: test accuracy', { timeout: 180_000 });
  await expect(teacher.getByTestId('teacher-accuracy')).toHaveText(/%$/);
  await teacher.screenshot({ path: info.outputPath('teacher-trained.png') });

  // 3 · The student presets are sized to 32×32×3 and 10 classes; the pilot runs both methods.
  await expect(page.getByTestId('student-costs')).toContainText('Parameters');
  const result = await runPilotToEnd(page, 240_000);
  expect(result.testAccuracy['student-alone']).toBeGreaterThan(0);
  expect(result.testAccuracy.rtk).toBeGreaterThan(0);
  await expect(page.getByTestId('pilot-card').getByRole('row')).toHaveCount(4);
  await expect(page.getByTestId('summary-sentence')).toContainText(/Against the teacher/);
  // The explorer's bias check speaks the user's class names.
  await expect(page.getByRole('region', { name: /Key explorer/ })).toContainText('my-airplane');
  await page.screenshot({ path: info.outputPath('own-pilot.png'), fullPage: true });

  const origin = new URL(baseURL!).origin;
  const outside = urls.filter((u) => !u.startsWith(origin) && !u.startsWith('blob:') && !u.startsWith('data:'));
  expect(outside, `requests that left ${origin}`).toEqual([]);
  expect(urls.length).toBeGreaterThan(5);
});

test('import a zip of Fashion-MNIST greyscale PNGs; a reload keeps it; one button removes it', async ({ page }) => {
  const dir = tmpDir('zip');
  const root = path.join(dir, 'fashion');
  await writeClassFolders(root, 'fashion-mnist', 12);
  const zip = zipFolder(root, path.join(dir, 'fashion.zip'), 'fashion/');
  await page.goto('/?backend=wasm');
  const panel = page.getByTestId('import-panel');
  await panel.getByTestId('import-zip').setInputFiles(zip);
  await expect(panel.getByTestId('import-staged')).toContainText('120 files, 10 class folders (Ankle boot, Bag, Coat', { timeout: 60_000 });
  // Greyscale images: the suggested input is 28×28 greyscale.
  await expect(panel.getByLabel('Colour')).toHaveValue('grey');
  await expect(panel.getByLabel('Input size')).toHaveValue('28');
  await panel.getByRole('button', { name: 'Import 120 files' }).click();
  await expect(panel.getByTestId('import-summary')).toContainText('28×28 greyscale', { timeout: 60_000 });
  await panel.getByRole('button', { name: 'Use these images' }).click();
  const select = page.getByRole('region', { name: /Dataset/ }).getByRole('combobox', { name: /Dataset/ });
  const id = await select.inputValue();
  expect(id).toMatch(/^user-/);

  await page.reload();
  await expect(select).toHaveValue(id, { timeout: 30_000 });
  await expect(page.getByTestId('imported-selected')).toContainText('fashion.zip');
  await expect(page.getByTestId('dataset-counts')).toContainText('100 training images · 20 test images', { timeout: 60_000 });
  await page.getByRole('button', { name: 'Remove these images from this browser' }).click();
  await expect(select).toHaveValue('mnist');
  await expect(select.locator(`option[value="${id}"]`)).toHaveCount(0);
  await page.reload();
  await expect(select.locator(`option[value="${id}"]`)).toHaveCount(0);
});

test('a shared link names imported images by fingerprint: a recipient without them is told to import the same folder, then gets the configuration', async ({ browser }) => {
  const dir = tmpDir('link');
  const root = await writeClassFolders(path.join(dir, 'shared-set'), 'cifar10', 6, { classes: [0, 1, 2] });
  const zip = zipFolder(root, path.join(dir, 'shared-set.zip'), 'shared-set/');
  const importZip = async (page: Page) => {
    const panel = page.getByTestId('import-panel');
    await panel.getByTestId('import-zip').setInputFiles(zip);
    await panel.getByRole('button', { name: 'Import 18 files' }).click();
    await expect(panel.getByTestId('import-summary')).toContainText('shared-set.zip', { timeout: 60_000 });
    return panel;
  };
  // The sender imports, selects it and changes the configuration; the address carries it all.
  const sender = await (await browser.newContext()).newPage();
  await sender.goto('/?backend=wasm');
  await (await importZip(sender)).getByRole('button', { name: 'Use these images' }).click();
  await sender.getByLabel('Epochs', { exact: true }).fill('3');
  await expect(sender).toHaveURL(/epochs=3/);
  const link = sender.url();
  const id = new URL(link).searchParams.get('dataset')!;
  expect(id).toMatch(/^user-[0-9a-f]{16}$/);

  // The recipient (a fresh browser profile) has no such images.
  const recipient = await (await browser.newContext()).newPage();
  await recipient.goto(link);
  const select = recipient.getByRole('region', { name: /Dataset/ }).getByRole('combobox', { name: /Dataset/ });
  await expect(recipient.getByTestId('link-needs-import')).toContainText(id);
  await expect(recipient.getByTestId('link-needs-import')).toContainText('Import the same folder or zip');
  await expect(select).toHaveValue('mnist');
  await importZip(recipient);
  await expect(select).toHaveValue(id);
  await expect(recipient.getByTestId('link-needs-import')).toHaveCount(0);
  await expect(recipient).toHaveURL(/epochs=3/);
  await expect(recipient.getByLabel('Epochs', { exact: true })).toHaveValue('3');
});
