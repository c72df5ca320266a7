import { sleep } from './sleep.js';

/**
 * Polls `check` (every 20 ms; it may be async) until it holds or `ms` pass; returns whether
 * it held. For state outside the process: OS processes, files, a registry on disk.
 *
 * @example
 * t.true(await pollUntil(() => !pids.some(isAlive), 5_000), 'every worker process is gone');
 */
export async function pollUntil(check: () => boolean | Promise<boolean>, ms = 15_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (await check()) return true;
    if (Date.now() > deadline) return false;
    await sleep(20);
  }
}
