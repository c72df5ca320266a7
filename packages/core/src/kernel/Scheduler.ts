import { performance } from 'node:perf_hooks';
import type { Cell } from './Cell.js';
import { BUSY, SCHEDULED } from './flags.js';
import { InvalidOptionError } from '../errors/errors.js';

const resolved = Promise.resolve();

/** Scheduler settings of an actor system. */
export interface SchedulerOptions {
  /** Most milliseconds of messages handled before yielding to timers and I/O (default 1). */
  readonly sliceMs?: number;
  /** Most messages one actor handles before the next runnable actor gets its turn (default 256). */
  readonly budget?: number;
}

/**
 * Runs runnable actors round-robin on the one JS thread. The first run after idle is a
 * microtask (low latency for call round trips); after `sliceMs` of work it yields with
 * `setImmediate`, so a flood of messages never starves timers and I/O, and neither does a
 * long run of short ticks in one event-loop turn (async handlers waking each other, or an
 * outside caller's sequential calls). Each actor gets at most `budget` messages per turn, so
 * busy actors share the thread fairly. A tick with several cells queued times its slice from
 * the first turn and checks it every 8 turns, so many actors with a short turn each (one slow
 * message apiece) cannot hold the loop; the ticks of one event-loop turn are timed from the
 * first and checked 8 ticks in, then halfway to the slice's end at the pace so far (1 to 64
 * ticks apart). The slice also holds inside a turn: a turn that has itself used a slice ends early
 * (the actor reads the clock after its 1st and 2nd message, then at most 128 messages apart,
 * see `Cell.run`), and the tick after one in which an async handler started checks the
 * streak's time, so slow handlers cannot hold the loop for a whole turn. Fast turns (256
 * messages well under a slice) keep their full budget, so busy actors still share by
 * messages; a tick of one cell handling one message (call ping-pong) reads no clock. @internal
 */
export class Scheduler {
  readonly sliceMs: number;
  readonly budget: number;
  #queue: (Cell | undefined)[] = [];
  #head = 0;
  #tail = 0;
  #armed = false;
  /** Number of slices that ended by yielding to the event loop (for tests and stats). */
  yields = 0;
  /**
   * A streak is the run of ticks within one event-loop turn. Async handlers re-arm the
   * scheduler from microtasks, so without this bound a ping-pong of async handlers would
   * keep the loop in microtasks forever and starve timers and I/O.
   */
  #streakOpen = false;
  #streakTicks = 0;
  #streakStart = -1;
  /** The streak tick at which the streak's time is next checked. */
  #streakCheckAt = 8;
  /** An async handler started in this streak: the next tick checks the streak's time. */
  #asyncSeen = false;
  /** When this tick's slice began (-1 until read: at the start when several cells are queued, else at the first check). */
  #sliceStart = -1;

  constructor(options: SchedulerOptions = {}) {
    const sliceMs = options.sliceMs === undefined ? 1 : options.sliceMs;
    const budget = options.budget === undefined ? 256 : options.budget;
    // A slice without end (Infinity) would never yield to timers and I/O.
    if (typeof sliceMs !== 'number' || !(sliceMs > 0) || !Number.isFinite(sliceMs)) {
      throw new InvalidOptionError('options.scheduler.sliceMs', 'a finite number of milliseconds > 0', sliceMs);
    }
    if (!Number.isInteger(budget) || budget < 1) throw new InvalidOptionError('options.scheduler.budget', 'an integer >= 1', budget);
    this.sliceMs = sliceMs;
    this.budget = budget;
  }

  schedule(cell: Cell): void {
    cell.flags |= SCHEDULED;
    this.#queue[this.#tail++] = cell;
    if (!this.#armed) {
      this.#armed = true;
      // A resolved promise's reaction: a microtask without queueMicrotask's per-call AsyncResource.
      resolved.then(this.#tick);
    }
  }

  readonly #endStreak = (): void => {
    this.#streakOpen = false;
  };

  /**
   * The clock, for an actor timing its turn (`Cell.run`); it starts the tick's slice if
   * nothing has yet, so a turn cut for using a slice always makes the scheduler yield.
   */
  now(): number {
    const now = performance.now();
    if (this.#sliceStart < 0) this.#sliceStart = now;
    return now;
  }

  /** True when the running tick has used its slice (the first check starts it). */
  #sliceOver(): boolean {
    const now = performance.now();
    if (this.#sliceStart < 0) {
      this.#sliceStart = now;
      return false;
    }
    return now - this.#sliceStart >= this.sliceMs;
  }

  readonly #tick = (): void => {
    if (!this.#streakOpen) {
      // One clock read per event-loop turn that runs actors (it already costs a setImmediate).
      this.#streakOpen = true;
      this.#streakTicks = 0;
      this.#streakStart = performance.now();
      this.#streakCheckAt = 8;
      this.#asyncSeen = false;
      setImmediate(this.#endStreak);
    } else if (++this.#streakTicks === this.#streakCheckAt || this.#asyncSeen) {
      this.#asyncSeen = false;
      const spent = performance.now() - this.#streakStart;
      if (spent >= this.sliceMs) {
        this.yields++;
        setImmediate(this.#tick);
        return;
      }
      // Next check halfway to the slice's end at the pace so far, 1 to 64 ticks on: slow
      // ticks are checked every few, fast ones (call ping-pong) every 64.
      const ahead = ((this.sliceMs - spent) * this.#streakTicks) / (2 * spent);
      this.#streakCheckAt = this.#streakTicks + (ahead >= 64 ? 64 : ahead < 1 ? 1 : Math.floor(ahead));
    }
    // Several cells queued: the slice starts now, so short turns are timed from the first
    // (one clock read). A tick of one cell (call ping-pong) reads the clock only if its turn
    // is long (Cell.run) or queues other cells (below).
    this.#sliceStart = this.#tail - this.#head > 1 ? performance.now() : -1;
    const q = this.#queue;
    const budget = this.budget;
    let turns = 0;
    while (this.#head < this.#tail) {
      const cell = q[this.#head]!;
      q[this.#head++] = undefined;
      cell.flags &= ~SCHEDULED;
      const more = cell.run(budget);
      if (more) {
        cell.flags |= SCHEDULED;
        this.#queue[this.#tail++] = cell;
      }
      // A cell left BUSY started an async handler, whose synchronous part may have been
      // slow: the next tick (the handler's continuation re-arms one) checks the streak.
      if ((cell.flags & BUSY) !== 0) this.#asyncSeen = true;
      if (more || (++turns & 7) === 0 || (this.#sliceStart < 0 && this.#head < this.#tail)) {
        if (this.#sliceOver()) {
          this.#compact();
          this.yields++;
          setImmediate(this.#tick);
          return;
        }
      }
    }
    // Reuse the array (truncating it would reallocate on the next push).
    this.#head = this.#tail = 0;
    if (this.#queue.length > 65536) this.#queue = [];
    this.#armed = false;
  };

  #compact(): void {
    if (this.#head > 1024) {
      this.#queue = this.#queue.slice(this.#head, this.#tail);
      this.#tail -= this.#head;
      this.#head = 0;
    }
  }
}
