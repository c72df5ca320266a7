import type { Cell } from './Cell.js';

let clearOf: (t: TimerRef) => void;

/** Stops a timer without an answer (its target exited, or it was made for a dead one). @internal */
export function clearTimer(t: TimerRef): void {
  clearOf(t);
}

/**
 * A pending `sendAfter` message. Cancel it with `cancel()` (or `cancelTimer`);
 * it is cancelled by itself when its target exits.
 *
 * @example
 * const t = system.sendAfter(ref, { type: 'tick' }, 1000);
 * t.cancel(); // -> ms left, or false if it already fired
 */
export class TimerRef {
  #handle: ReturnType<typeof setTimeout> | null;
  readonly #deadline: number;
  readonly #target: Cell;

  /** @internal */
  constructor(target: Cell, ms: number, fire: () => void) {
    this.#target = target;
    this.#deadline = Date.now() + ms;
    this.#handle = setTimeout(() => {
      this.#handle = null;
      target.timers?.delete(this);
      fire();
    }, ms);
  }

  /** True until it fires or is cancelled. */
  get active(): boolean {
    return this.#handle !== null;
  }

  /** Cancels it; returns the milliseconds it had left, or false if it is no longer active. */
  cancel(): number | false {
    if (this.#handle === null) return false;
    this.#clear();
    return Math.max(0, this.#deadline - Date.now());
  }

  static {
    clearOf = (t) => t.#clear();
  }

  #clear(): void {
    if (this.#handle === null) return;
    clearTimeout(this.#handle);
    this.#handle = null;
    this.#target.timers?.delete(this);
  }
}
