/**
 * What `python/handlers.py` serves, written once as an interface (Python has no types
 * to share): it makes a `py` pool's `worker.request(...)` typed.
 *
 * @example
 * const five = await py.transaction((w) => w.request('add', { a: 2, b: 3 }));
 */
export interface PyApi {
  add(arg: { a: number; b: number }): number;
  word_count(text: string): Record<string, number>;
  /** Sleeps `seconds`, then answers its pid. */
  sleep(seconds: number): number;
  /** How many `sleep` requests run right now. */
  sleeping(arg: null): number;
}
