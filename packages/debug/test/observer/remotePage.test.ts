/**
 * The observer page over remoteSource, in headless Chromium: the page that `arbor observe`
 * serves, reading a system through its DebugEndpoint (here in this process, over the
 * socket). The tree renders, the trace panel shows the messages sent to an actor (a trace
 * on the endpoint, ended when the panel stops it), the state comes from the `actor` op,
 * and with allowControl a restart goes through the `control` op. Skipped (with a log line)
 * only when /usr/bin/chromium is missing outside CI.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import test, { type ExecutionContext } from 'ava';
import type { Page } from 'puppeteer-core';
import type { ActorSystem } from '@arbor/core';
import { DebugEndpoint, remoteSource, startObserver } from '../../src/index.js';
import { eventually } from '../support/helpers.js';
import { chromiumRig } from '../support/chromium.js';
import { clickNow, pressAt } from '../support/pageClicks.js';
import { startShop, type WorkerProtocol } from './fixture.js';

// The callbacks given to page.$eval and page.waitForFunction run in the page; these are the few DOM names they use.
interface PageElement {
  readonly textContent: string | null;
  click(): void;
  getAttribute(name: string): string | null;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  getElementById(id: string): PageElement | null;
};

const chromium = chromiumRig(test, 'remote observer page');
const chromiumTest = chromium.test;

/** The shop with a socket endpoint, an observer over remoteSource of it, and a page on it. */
async function open(t: ExecutionContext, allowControl: boolean): Promise<{ system: ActorSystem; page: Page }> {
  const dir = mkdtempSync(join(tmpdir(), 'arbor-rp-'));
  const { system } = await startShop(3);
  const endpoint = await DebugEndpoint.endpoint(await DebugEndpoint.start(system, { path: join(dir, 'shop.sock') }));
  const source = remoteSource(endpoint);
  const observer = await startObserver(source, { allowControl, sampleMs: 100 });
  const page = await chromium.browser().newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  t.teardown(async () => {
    await page.close();
    await observer.close();
    await source.close();
    await system.shutdown();
    rmSync(dir, { recursive: true, force: true });
    if (errors.length > 0) throw new Error(`script errors in the page: ${errors.join('; ')}`);
  });
  await page.setViewport({ width: 1440, height: 900 });
  await page.goto(observer.url);
  await page.waitForSelector('.row[data-key$="/orders"]');
  return { system, page };
}

chromiumTest('the page over remoteSource: the tree, the state from the actor op, and a trace of the casts sent to an actor', async (t) => {
  const { page, system } = await open(t, false);
  const labels = await page.$$eval('.row .label', (els) => els.map((el) => el.textContent));
  for (const name of ['shop', 'orders', 'mailer', 'db', 'workers']) t.true(labels.includes(name), name);
  const orders = system.whereis<WorkerProtocol>('orders')!;
  t.is(await page.$eval('.row[data-key$="/orders"]', (el) => el.getAttribute('data-id')), orders.id);
  await pressAt(page, '.row[data-key$="/orders"]');
  await page.waitForSelector('#trace-toggle');
  await clickNow(page, '#trace-toggle');
  t.true(await eventually(() => system.traces().length === 1, 5000), 'the page started a trace through the endpoint');
  system.cast(orders, { type: 'inc', by: 5 });
  system.cast(orders, { type: 'inc', by: 6 });
  await page.waitForFunction(() => (document.getElementById('trace-log')?.textContent ?? '').includes("{ type: 'inc', by: 6 }"));
  const lines = await page.$$eval('#trace-log div', (els) => els.map((el) => el.textContent ?? ''));
  t.regex(lines[0] ?? '', /^\s+1 .*received\s+cast \{ type: 'inc', by: 5 \}$/);
  await clickNow(page, '#trace-toggle');
  t.true(await eventually(() => system.traces().length === 0, 5000), 'stopping in the page ends the trace on the endpoint');
  await page.waitForFunction(() => document.querySelector('#actor pre.state')?.textContent === '11');
});

chromiumTest('with allowControl a restart from the page goes through the control op: the child gets a new actor', async (t) => {
  const { page, system } = await open(t, true);
  const before = system.whereis('mailer')!;
  await pressAt(page, '.row[data-key$="/mailer"]');
  await page.waitForSelector('#actor [data-action="restart"]');
  page.on('dialog', (d) => void d.accept());
  await clickNow(page, '#actor [data-action="restart"]');
  await page.waitForFunction(() => document.querySelector('#actor .message')?.textContent === 'restart: done');
  t.true(await eventually(() => system.whereis('mailer') !== undefined && system.whereis('mailer') !== before, 5000));
  const after = system.whereis('mailer')!;
  await page.waitForFunction((id: string) => document.querySelector('.row[data-key$="/mailer"]')?.getAttribute('data-id') === id, {}, after.id);
  t.false(system.isAlive(before));
});

