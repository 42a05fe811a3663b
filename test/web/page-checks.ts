import AxeBuilder from '@axe-core/playwright';
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { Page } from 'playwright-core';
import { packageRoot } from '../../src/core/data-files';
import { checkHtml } from './html-rules';

/** Where the browser tests leave their screenshots (CI keeps the folder as an artifact). */
export const SCREENSHOTS = join(packageRoot(), 'artifacts', 'screenshots');
const WIDTHS = [1280, 375];
const WCAG_21_AA = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];

/** Every page checked in this test process, for the list each spec prints at the end. */
export const checkedPages: string[] = [];

/**
 * What every page of the app must pass: no axe violations (WCAG 2.1 A and AA) at either width,
 * html-validate with FKUI's rules on the rendered page, and a screenshot at 1280 px and 375 px.
 * A finding fails with the checker's own description of it.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  const original = page.viewportSize() ?? { width: 1280, height: 900 };
  try {
    for (const width of WIDTHS) {
      await page.setViewportSize({ width, height: original.height });
      await settled(page);
      const result = await new AxeBuilder({ page }).withTags(WCAG_21_AA).analyze();
      const violations = result.violations.map(
        (violation) =>
          `${violation.id} (${violation.impact}): ${violation.help} — ${violation.nodes.map((node) => node.target.join(' ')).join(', ')}`,
      );
      if (violations.length) throw new Error(`axe found on ${name} at ${width} px:\n${violations.join('\n')}`);
      await page.screenshot({ path: join(SCREENSHOTS, `${name}-${width}.png`), fullPage: true });
    }
    await checkReflow(page, name);
  } finally {
    await page.setViewportSize(original);
  }
  await checkHtml(page, name);
  checkedPages.push(name);
}

/**
 * WCAG 1.4.10 reflow: at 320 CSS px (what 1280 px at 400 % zoom gives; 200 % zoom is 640) the page
 * itself never scrolls sideways. Wide tables scroll inside their own box (.scroll-box).
 */
async function checkReflow(page: Page, name: string): Promise<void> {
  await page.setViewportSize({ width: 320, height: 640 });
  await settled(page);
  // Responsive charts (Chart.js) follow a resize a frame or more later, so the page gets a moment to reflow.
  const reflowed = await page
    .waitForFunction('document.documentElement.scrollWidth <= window.innerWidth + 1', undefined, { timeout: 3_000 })
    .then(
      () => true,
      () => false,
    );
  if (reflowed) return;
  const overflow = await page.evaluate<string | null>(`(() => {
    if (document.documentElement.scrollWidth <= window.innerWidth + 1) return null;
    // Only what shows and is not clipped by a box of its own (a scroll box, FKUI's overflow menu) can widen the page.
    const clipped = (element) => {
      for (let box = element.parentElement; box && box !== document.body; box = box.parentElement) {
        if (getComputedStyle(box).overflowX !== 'visible') return true;
      }
      return false;
    };
    const wide = [...document.querySelectorAll('body *')].filter(
      (element) => element.getBoundingClientRect().right > window.innerWidth + 1 &&
        element.checkVisibility({ visibilityProperty: true }) && !clipped(element),
    );
    const culprit = wide.find((element) => ![...element.children].some((child) => wide.includes(child))) ?? wide[0];
    return culprit ? culprit.outerHTML.slice(0, 200) : 'the page';
  })()`);
  if (overflow) throw new Error(`${name} scrolls sideways at 320 px; the widest element: ${overflow}`);
}

/** The page has its heading and nothing is still loading (FKUI's loader, our own aria-busy). */
export async function settled(page: Page): Promise<void> {
  await page.locator('h1').first().waitFor();
  await page.locator('[aria-busy="true"], .loader').first().waitFor({ state: 'detached', timeout: 15_000 });
}
