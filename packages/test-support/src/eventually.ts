import { sleep } from './sleep.js';

/**
 * Polls `cond` (every 2 ms) until it holds or `ms` pass; returns whether it held (`cond` is
 * asked once more at the end). For in-process state: an actor's status, a log line.
 *
 * @example
 * t.true(await eventually(() => !system.isAlive(ref)), 'the actor exits');
 */
export async function eventually(cond: () => boolean, ms = 2000): Promise<boolean> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (cond()) return true;
    await sleep(2);
  }
  return cond();
}
