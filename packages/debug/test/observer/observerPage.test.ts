/**
 * The observer page in headless Chromium (Debian's `chromium` package, driven by
 * puppeteer-core: no browser download): the tree renders, a crash shows as a restart, the
 * trace panel shows messages sent to an actor, control buttons only with allowControl.
 * Skipped (with a log line) only when /usr/bin/chromium is missing outside CI.
 */
import test from 'ava';
import type { Page } from 'puppeteer-core';
import type { ActorSystem } from '@arbor/core';
import { localSource, startObserver, type Observer } from '../../src/index.js';
import { eventually } from '../support/helpers.js';
import { chromiumRig } from '../support/chromium.js';
import { clickNow, pressAt } from '../support/pageClicks.js';
import { startShop, type WorkerProtocol } from './fixture.js';

// The callbacks given to page.$eval and page.waitForFunction run in the page; these are the few DOM names they use.
interface PageElement {
  readonly textContent: string | null;
  click(): void;
}
declare const document: {
  querySelector(selector: string): PageElement | null;
  querySelectorAll(selector: string): ArrayLike<PageElement> & Iterable<PageElement>;
  getElementById(id: string): PageElement | null;
};

const chromium = chromiumRig(test, 'observer page');
const chromiumTest = chromium.test;

async function open(t: import('ava').ExecutionContext, options: { allowControl?: boolean; workers?: number } = {}): Promise<{ system: ActorSystem; observer: Observer; page: Page }> {
  const { system } = await startShop(options.workers ?? 3);
  const observer = await startObserver(localSource(system), { allowControl: options.allowControl ?? false, sampleMs: 100 });
  const page = await chromium.browser().newPage();
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(String(e)));
  t.teardown(async () => {
    await page.close();
    await observer.close();
    await system.shutdown();
    if (errors.length > 0) throw new Error(`script errors in the page: ${errors.join('; ')}`);
  });
  await page.setViewport({ width: 1440, height: 900 });
  await page.goto(observer.url);
  await page.waitForSelector('.row[data-key$="/orders"]');
  return { system, observer, page };
}

/** Opens an actor's panel by clicking its row, and waits until the panel shows its trace button. */
async function openActor(page: Page, rowSelector: string): Promise<void> {
  await pressAt(page, rowSelector);
  try {
    await page.waitForSelector('#actor:not([hidden]) #trace-toggle');
  } catch (e) {
    // Say what the page shows, so a failure here can be told apart from a slow machine.
    const seen = await page.evaluate(() => ({
      panel: (document.getElementById('actor')?.textContent ?? '').slice(0, 300),
      rows: document.querySelectorAll('.row').length,
      selectedRows: document.querySelectorAll('.row.selected').length,
    }));
    throw new Error(`the actor panel did not open: ${JSON.stringify(seen)} (${String(e)})`);
  }
}

chromiumTest('the tree renders with statuses, and the pool shows as a card; the token left the address bar', async (t) => {
  const { page, system } = await open(t);
  t.is(new URL(page.url()).search, '', 'the token moved into the cookie');
  const rows = await page.$$eval('.row', (els) => els.map((el) => el.querySelector('.label')?.textContent));
  t.deepEqual(rows, ['shop', 'orders', 'mailer', 'db', 'workers', 'worker-1', 'worker-2', 'worker-3']);
  const orders = await page.$eval('.row[data-key$="/orders"]', (el) => ({ id: el.getAttribute('data-id'), status: el.querySelector('.status')?.textContent }));
  t.deepEqual(orders, { id: system.whereis('orders')!.id, status: 'waiting' });
  t.is(await page.$eval('.pool .title', (el) => el.firstChild?.textContent), 'db');
  t.regex(await page.$eval('.pool', (el) => el.textContent ?? ''), /load5 \/ 6.*queue3/);
  await page.type('#search', 'worker-2');
  await page.waitForFunction(() => document.querySelectorAll('.row').length === 3);
  t.deepEqual(await page.$$eval('.row .label', (els) => els.map((el) => el.textContent)), ['shop', 'workers', 'worker-2']);
});

chromiumTest('a crash shows in the page as a restart: the restarts cell and the timeline', async (t) => {
  const { page, system } = await open(t);
  t.is(await page.$eval('.row[data-key$="/mailer"] [data-col="restarts"]', (el) => el.textContent), '0');
  const before = system.whereis('mailer')!.id;
  system.cast(system.whereis<WorkerProtocol>('mailer')!, { type: 'crash' });
  await page.waitForFunction(() => document.querySelector('.row[data-key$="/mailer"] [data-col="restarts"]')?.textContent === '1');
  await page.waitForSelector('#timeline li[data-kind="restart"][data-key$="/mailer"]');
  t.regex(await page.$eval('#timeline li[data-kind="restart"]', (el) => el.textContent ?? ''), /restartmailerError: boom: asked to crash/);
  const after = await page.$eval('.row[data-key$="/mailer"]', (el) => el.getAttribute('data-id'));
  t.not(after, before);
  t.is(after, system.whereis('mailer')!.id);
});

chromiumTest('the trace panel shows the messages sent to an actor', async (t) => {
  const { page, system } = await open(t);
  await openActor(page, '.row[data-key$="/orders"]');
  await clickNow(page, '#trace-toggle');
  t.true(await eventually(() => system.traces().length === 1, 5000), 'the page started a trace');
  const orders = system.whereis<WorkerProtocol>('orders')!;
  system.cast(orders, { type: 'inc', by: 5 });
  system.cast(orders, { type: 'inc', by: 6 });
  await page.waitForFunction(() => (document.getElementById('trace-log')?.textContent ?? '').includes("{ type: 'inc', by: 6 }"));
  const lines = await page.$$eval('#trace-log div', (els) => els.map((el) => el.textContent ?? ''));
  t.regex(lines[0] ?? '', /^\s+1 .*received\s+cast \{ type: 'inc', by: 5 \}$/);
  t.regex(lines[1] ?? '', /^\s+2 .*handled\s+cast ok \d+µs$/);
  await clickNow(page, '#trace-toggle');
  t.true(await eventually(() => system.traces().length === 0, 5000), 'stopping in the page stops the trace');
  t.regex(await page.$eval('#actor', (el) => el.textContent ?? ''), /STATE|State/i);
  await page.waitForFunction(() => document.querySelector('#actor pre.state')?.textContent === '11');
});

chromiumTest('control buttons are absent without allowControl', async (t) => {
  const { page } = await open(t, { allowControl: false });
  await openActor(page, '.row[data-key$="/orders"]');
  t.is(await page.$$eval('#actor [data-action]', (els) => els.length), 0);
});

chromiumTest('with allowControl a kill is confirmed first: dismissed, nothing happens; accepted, the child restarts', async (t) => {
  const { page, system } = await open(t, { allowControl: true });
  await openActor(page, '.row[data-key$="/orders"]');
  t.deepEqual(await page.$$eval('#actor [data-action]', (els) => els.map((el) => el.getAttribute('data-action'))), ['kill', 'restart', 'suspend', 'resume']);
  const orders = system.whereis('orders')!;
  const questions: string[] = [];
  let accept = false;
  page.on('dialog', (d) => {
    questions.push(d.message());
    void (accept ? d.accept() : d.dismiss());
  });
  await clickNow(page, '#actor [data-action="kill"]');
  t.regex(questions[0] ?? '', /^Kill orders/);
  t.is(system.whereis('orders'), orders, 'dismissed: still alive');
  accept = true;
  await clickNow(page, '#actor [data-action="kill"]');
  await page.waitForFunction(() => document.querySelector('#actor .message')?.textContent === 'kill: done');
  t.true(await eventually(() => system.whereis('orders') !== undefined && system.whereis('orders') !== orders, 5000));
  await page.waitForFunction(() => document.querySelector('.row[data-key$="/orders"] [data-col="restarts"]')?.textContent === '1');
  t.is(await page.$eval('.row[data-key$="/orders"]', (el) => el.getAttribute('data-id')), system.whereis('orders')!.id, 'the row shows the new child');
});

chromiumTest('a 10k-actor tree stays virtualised: the rows in the DOM are only those in view', async (t) => {
  const { page } = await open(t, { workers: 10_000 });
  await page.waitForFunction(() => (document.getElementById('count')?.textContent ?? '').startsWith('10,005'));
  t.is(await page.$$eval('.row', (els) => els.length), 5, 'a node with 10k children starts collapsed');
  await pressAt(page, '.row[data-key$="/workers"] [data-toggle]');
  await page.waitForFunction(() => document.querySelectorAll('.row').length > 5);
  const rows = await page.$$eval('.row', (els) => els.length);
  t.true(rows > 10 && rows < 100, `${rows} rows in the DOM`);
  await page.$eval('#tree', (el) => el.scrollTo(0, 26 * 9000));
  await page.waitForFunction(() => [...document.querySelectorAll('.row .label')].some((el) => el.textContent === 'worker-9000'));
  await page.type('#search', 'worker-9999');
  await page.waitForFunction(() => document.querySelectorAll('.row').length === 3);
  t.deepEqual(await page.$$eval('.row .label', (els) => els.map((el) => el.textContent)), ['shop', 'workers', 'worker-9999'], 'the match with its ancestors');
});

