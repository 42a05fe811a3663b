import { Locator } from 'playwright-core';

/**
 * Clicks as a person does with a mouse: presses, holds until the page has drawn twice (what the
 * press set off, a field losing focus and being checked, has then moved whatever it moves), and
 * releases at the same spot. Playwright's own click releases at once, before the page reacts.
 */
export async function pressAndRelease(target: Locator): Promise<void> {
  await target.scrollIntoViewIfNeeded();
  const box = await target.boundingBox();
  if (!box) throw new Error(`${target.toString()} is not visible`);
  const page = target.page();
  await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
  await page.mouse.down();
  await page.evaluate('new Promise((drawn) => requestAnimationFrame(() => requestAnimationFrame(drawn)))');
  await page.mouse.up();
}
