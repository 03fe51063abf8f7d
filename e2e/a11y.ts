import AxeBuilder from '@axe-core/playwright';
import { expect, type Page, type TestInfo } from '@playwright/test';

/**
 * Runs axe-core on the page as it is and fails on serious or critical violations, naming each
 * rule and the elements it found. The full report is attached to the test results.
 */
export async function expectNoSeriousA11y(page: Page, info: TestInfo, view: string): Promise<void> {
  const results = await new AxeBuilder({ page }).analyze();
  await info.attach(`axe-${view}.json`, { body: JSON.stringify(results.violations, null, 2), contentType: 'application/json' });
  const bad = results.violations.filter((v) => v.impact === 'serious' || v.impact === 'critical');
  const text = bad.map((v) => `${v.id} (${v.impact}): ${v.help}\n  ${v.nodes.slice(0, 5).map((n) => n.target.join(' ')).join('\n  ')}`).join('\n');
  expect(bad, `axe on ${view}:\n${text}`).toEqual([]);
}
