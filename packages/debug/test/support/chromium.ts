/**
 * Headless Chromium for a test file: Debian's `/usr/bin/chromium` driven by puppeteer-core (no
 * browser download), one browser per file with its own profile directory, closed after the
 * file and checked gone by that directory. Without the binary the file's tests are skipped
 * with a note, and under CI the file fails instead.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestFn } from 'ava';
import puppeteer, { type Browser } from 'puppeteer-core';
import { eventually } from './helpers.js';

const CHROMIUM = '/usr/bin/chromium';

/** What {@link chromiumRig} gives a test file. */
export interface ChromiumRig {
  /** `test.serial`, or `test.serial.skip` when Chromium is missing. */
  readonly test: TestFn['serial'] | TestFn['serial']['skip'];
  /** The file's browser (started before its first test). */
  browser(): Browser;
}

/**
 * Registers the file's browser: started in `test.before`, closed in `test.after.always`, which
 * also asserts that no process of it is left.
 *
 * @example
 * const chromium = chromiumRig(test, 'observer page');
 * chromium.test('the tree renders', async (t) => { const page = await chromium.browser().newPage(); ... });
 */
export function chromiumRig(test: TestFn, what: string): ChromiumRig {
  const available = existsSync(CHROMIUM);
  if (!available && process.env['CI'] !== undefined) throw new Error(`${CHROMIUM} is missing; CI installs it with apt-get install -y chromium`);
  const userDataDir = mkdtempSync(join(tmpdir(), 'arbor-chromium-'));
  let browser: Browser | undefined;
  /** The browser's processes, found by the file's own profile directory. */
  const left = (): string => {
    try {
      return execFileSync('pgrep', ['-f', userDataDir], { encoding: 'utf8' }).trim();
    } catch {
      return ''; // pgrep exits 1 when nothing matches
    }
  };
  test.before(async () => {
    if (!available) return;
    browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, userDataDir, args: ['--no-sandbox', '--disable-gpu', '--no-first-run'] });
    if (left() === '') throw new Error(`pgrep does not see the browser by ${userDataDir}: the check that none is left would prove nothing`);
  });
  test.after.always('no chromium process is left', async (t) => {
    if (available) {
      await browser?.close();
      t.true(await eventually(() => left() === '', 5000), `left: ${left()}`);
    }
    rmSync(userDataDir, { recursive: true, force: true });
  });
  if (!available) {
    test(`${what} tests need ${CHROMIUM}`, (t) => {
      t.log(`skipped: ${CHROMIUM} is missing (apt-get install -y chromium); CI fails instead`);
      t.false(existsSync(CHROMIUM), 'the browser is still missing');
    });
  }
  return {
    test: available ? test.serial : test.serial.skip,
    browser: () => {
      if (browser === undefined) throw new Error('chromiumRig: the browser is not started (use it inside a test)');
      return browser;
    },
  };
}
