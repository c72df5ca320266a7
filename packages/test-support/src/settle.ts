/**
 * Lets queued microtasks and one macrotask turn run (a `setImmediate`).
 *
 * @example
 * cast(ref, { type: 'inc' });
 * await settle(); // the cast is handled
 */
export function settle(): Promise<void> {
  return new Promise((r) => setImmediate(r));
}
