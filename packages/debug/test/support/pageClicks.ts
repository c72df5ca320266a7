/**
 * Clicks in the observer page for its Chromium tests. The page redraws its rows with every
 * update (a few a second) and its panel every 2 s, so an element handle kept across two
 * steps of the test (as `page.$eval(selector, el => el.click())` keeps one between its
 * query and its call) may be a detached row by the time it is clicked, and the click is
 * lost. These helpers never hold a handle.
 */
import type { Page } from 'puppeteer-core';

// The callbacks below run in the page; these are the few DOM names they use (the tests compile without the DOM lib).
interface PageRect {
  readonly left: number;
  readonly top: number;
  readonly width: number;
  readonly height: number;
}
interface PageElement {
  click(): void;
  scrollIntoView(options: { block: 'center' }): void;
  getBoundingClientRect(): PageRect;
}
declare const document: { querySelector(selector: string): PageElement | null };

/**
 * Presses and releases the mouse at the middle of the element, as a person does: the page
 * must take it even if the row under the pointer is redrawn between the press and the release.
 *
 * @example
 * await pressAt(page, '.row[data-key$="/orders"]');
 */
export async function pressAt(page: Page, selector: string): Promise<void> {
  const box = await page.evaluate((s: string) => {
    const el = document.querySelector(s);
    if (el === null) return null;
    el.scrollIntoView({ block: 'center' });
    const r = el.getBoundingClientRect();
    return { x: r.left + r.width / 2, y: r.top + r.height / 2 };
  }, selector);
  if (box === null) throw new Error(`pressAt: nothing in the page matches ${selector}`);
  await page.mouse.move(box.x, box.y);
  await page.mouse.down();
  await page.mouse.up();
}

/**
 * Finds the element and clicks it in one step of the page (no redraw can come between).
 *
 * @example
 * await clickNow(page, '#trace-toggle');
 */
export async function clickNow(page: Page, selector: string): Promise<void> {
  const found = await page.evaluate((s: string) => {
    const el = document.querySelector(s);
    el?.click();
    return el !== null;
  }, selector);
  if (!found) throw new Error(`clickNow: nothing in the page matches ${selector}`);
}
