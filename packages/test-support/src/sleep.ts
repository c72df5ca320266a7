/**
 * Resolves after `ms` milliseconds (real timers).
 *
 * @example
 * await sleep(20); // let a timer of the code under test fire
 */
export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}
