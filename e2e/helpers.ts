import { expect, type Page } from '@playwright/test';

/** Fast test mode: a real MNIST subset, one epoch, fixed seed. */
// A higher learning rate lets ~45 steps on 3,000 real images learn enough to be checked.
export const FAST = 'dataset=mnist&trainLimit=3000&testLimit=1000&epochs=1&seed=3&batchSize=64&lr=0.01';

export interface PilotResult { wallSeconds: number; testAccuracy: Record<string, number> }

/** Clicks "Run pilot" and waits until both runs have a test accuracy. */
export async function runPilotToEnd(page: Page, timeout = 200_000): Promise<PilotResult> {
  await page.getByRole('button', { name: 'Run pilot' }).click();
  const status = page.getByTestId('pilot-status');
  await expect(status).toHaveAttribute('data-pilot', /done|failed/, { timeout });
  const verdict = await status.getAttribute('data-pilot');
  if (verdict !== 'done') throw new Error(`pilot ended as ${verdict}: ${await page.locator('main').innerText()}`);
  return JSON.parse((await status.getAttribute('data-result')) ?? '{}') as PilotResult;
}
