/**
 * The clock a machine actor gives xstate (its `clock` option): every delayed event and
 * every timer of the actor's xstate system goes through it, so `close()` cancels all of
 * them at once and refuses new ones, whatever xstate itself left running. @internal
 */
export class TrackingClock {
  readonly #timers = new Set<NodeJS.Timeout>();
  #closed = false;

  readonly setTimeout = (fn: (...args: any[]) => void, ms: number): NodeJS.Timeout | undefined => {
    if (this.#closed) return undefined;
    const handle = setTimeout(() => {
      this.#timers.delete(handle);
      fn();
    }, ms);
    this.#timers.add(handle);
    return handle;
  };

  readonly clearTimeout = (handle: NodeJS.Timeout | undefined): void => {
    if (handle === undefined) return;
    clearTimeout(handle);
    this.#timers.delete(handle);
  };

  /** Timers still pending. */
  get pending(): number {
    return this.#timers.size;
  }

  /** Cancels every pending timer; later `setTimeout` calls schedule nothing. */
  close(): void {
    this.#closed = true;
    for (const t of this.#timers) clearTimeout(t);
    this.#timers.clear();
  }
}
