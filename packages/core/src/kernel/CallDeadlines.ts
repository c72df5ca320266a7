import { performance } from 'node:perf_hooks';
import type { PendingCall } from './Envelope.js';
import { CallTimeoutError } from '../errors/errors.js';

/** Timeouts at or above this use coarse epochs; shorter ones get exact deadlines. */
const COARSE_FROM_MS = 1000;
/** Length of one coarse epoch: a coarse timeout fires at most this late, never early. */
const EPOCH_MS = 25;

/** Calls with the same timeout, in insertion (and so deadline) order. */
class Bucket {
  items: (PendingCall | undefined)[] = [];
  head = 0;
  /** One past the last item; the array is reused, not truncated, when it empties. */
  tail = 0;

  constructor(
    readonly owner: CallDeadlines,
    readonly timeout: number,
  ) {}

  /** Drops answered calls from the front; empties the array when all are gone. */
  push(pc: PendingCall): void {
    this.items[this.tail++] = pc;
  }

  trim(): void {
    const items = this.items;
    while (this.head < this.tail && items[this.head]!.bucket === null) items[this.head++] = undefined;
    if (this.head === this.tail) {
      this.head = this.tail = 0;
      if (items.length > 4096) this.items = [];
    } else if (this.head > 1024 && this.head * 2 > this.tail) {
      this.items = items.slice(this.head, this.tail);
      this.tail -= this.head;
      this.head = 0;
    }
  }
}

/**
 * Call timeouts without a timer, or a clock read, per call. Calls are grouped by timeout
 * value, so each group is in deadline order, and one timer serves all groups.
 *
 * - Short timeouts (< 1 s) are exact: each call reads the clock once.
 * - Longer ones (the 5 s default) are stamped with a coarse epoch number, which the timer
 *   advances every 25 ms while calls wait. A call of epoch `e` was made before epoch
 *   `e + 1` began, so it expires once `timeout` ms have passed since then: never early,
 *   and at most one epoch late.
 *
 * The timer keeps the process alive only while some call is waiting. @internal
 */
export class CallDeadlines {
  readonly #buckets = new Map<number, Bucket>();
  #last: Bucket | null = null;
  #timer: ReturnType<typeof setTimeout> | null = null;
  #timerAt = Infinity;
  #waiting = 0;
  #coarseWaiting = 0;
  /** A coarse call was tracked since the last fire: keep the epochs ticking. */
  #coarseSeen = false;
  /** The armed timer fires no later than the next epoch step. */
  #cadence = false;
  /** The current coarse epoch, and when each recent epoch began (index: epoch - base). */
  #epoch = 0;
  #base = 0;
  #epochStarts: number[] = [performance.now()];

  track(pc: PendingCall, timeout: number): void {
    let bucket = this.#last;
    if (bucket === null || bucket.timeout !== timeout) {
      bucket = this.#buckets.get(timeout) ?? null;
      if (bucket === null) this.#buckets.set(timeout, (bucket = new Bucket(this, timeout)));
      this.#last = bucket;
    }
    bucket.push(pc);
    pc.bucket = bucket;
    if (++this.#waiting === 1 && this.#timer !== null) this.#timer.ref();
    if (timeout >= COARSE_FROM_MS) {
      pc.deadline = this.#epoch;
      this.#coarseWaiting++;
      this.#coarseSeen = true;
      if (!this.#cadence) this.#arm(performance.now() + EPOCH_MS, true);
    } else {
      const now = performance.now();
      pc.deadline = now + timeout;
      if (pc.deadline < this.#timerAt) this.#arm(pc.deadline, this.#cadence);
    }
  }

  /** A tracked call was answered (or failed): forget it. */
  release(pc: PendingCall): void {
    const bucket = pc.bucket as Bucket;
    pc.bucket = null;
    if (bucket.timeout >= COARSE_FROM_MS) this.#coarseWaiting--;
    // An epoch timer stops by itself within two epochs of idle; an exact one may be far off.
    if (--this.#waiting === 0 && this.#timer !== null && !this.#cadence) this.#timer.unref();
    if (bucket.items[bucket.head] === pc) bucket.trim();
  }

  #arm(at: number, cadence: boolean): void {
    if (this.#timer !== null) clearTimeout(this.#timer);
    this.#timerAt = at;
    this.#cadence = cadence;
    this.#timer = setTimeout(this.#fire, Math.max(0, Math.ceil(at - performance.now())));
    if (this.#waiting === 0) this.#timer.unref();
  }

  readonly #fire = (): void => {
    this.#timer = null;
    this.#timerAt = Infinity;
    this.#cadence = false;
    const now = performance.now();
    this.#epoch++;
    this.#epochStarts.push(now);
    let next = Infinity;
    let oldestEpoch = this.#epoch;
    for (const bucket of this.#buckets.values()) {
      bucket.trim();
      const coarse = bucket.timeout >= COARSE_FROM_MS;
      while (bucket.head < bucket.tail) {
        const pc = bucket.items[bucket.head]!;
        if (pc.bucket === null) {
          bucket.items[bucket.head++] = undefined;
          continue;
        }
        const due = coarse ? this.#epochStarts[pc.deadline + 1 - this.#base]! + bucket.timeout : pc.deadline;
        if (due > now) {
          if (coarse) oldestEpoch = Math.min(oldestEpoch, pc.deadline);
          else next = Math.min(next, pc.deadline);
          break;
        }
        bucket.items[bucket.head++] = undefined;
        this.release(pc);
        pc.target.inflight?.delete(pc);
        pc.fail(new CallTimeoutError(pc.target, pc.timeout));
      }
      bucket.trim();
    }
    // Forget the start times no waiting call needs.
    if (oldestEpoch > this.#base) {
      this.#epochStarts = this.#epochStarts.slice(oldestEpoch - this.#base);
      this.#base = oldestEpoch;
    }
    const tick = this.#coarseWaiting > 0 || this.#coarseSeen;
    this.#coarseSeen = false;
    if (tick) this.#arm(Math.min(next, now + EPOCH_MS), true);
    else if (next !== Infinity) this.#arm(next, false);
  };
}
