import type { ConnSlot } from './ConnSlot.js';
import type { HealthResult } from './WorkerInfo.js';
import type { HealthOptions } from './WorkerOptions.js';

interface PingWaiter {
  readonly slot: ConnSlot;
  readonly sentAt: number;
  readonly timer: NodeJS.Timeout;
  readonly resolve: (r: HealthResult) => void;
}

interface HealthPing {
  readonly id: number;
  readonly slot: ConnSlot;
  readonly busy: boolean;
  readonly timer: NodeJS.Timeout;
}

/**
 * Health over the worker's own channel: the periodic ping (a miss counts only while the
 * worker was idle; `maxMisses` in a row call `onDead`), and one-off `check`s. @internal
 *
 * @example
 * const probe = new HealthProbe(options.health, () => active, (slot, missed) => kill(slot, missed));
 */
export class HealthProbe {
  readonly #options: Required<HealthOptions> | undefined;
  readonly #current: () => ConnSlot | undefined;
  readonly #onDead: (slot: ConnSlot, missed: number) => void;
  readonly #waiters = new Map<number, PingWaiter>();
  #seq = 0;
  #timer: NodeJS.Timeout | undefined = undefined;
  #ping: HealthPing | undefined = undefined;
  #misses = 0;

  constructor(options: Required<HealthOptions> | undefined, current: () => ConnSlot | undefined, onDead: (slot: ConnSlot, missed: number) => void) {
    this.#options = options;
    this.#current = current;
    this.#onDead = onDead;
  }

  /** Starts the periodic ping (when health checking is on). */
  start(): void {
    if (this.#options === undefined || this.#timer !== undefined) return;
    this.#timer = setInterval(this.#tick, this.#options.intervalMs);
    this.#timer.unref();
  }

  /** Stops the periodic ping. */
  stop(): void {
    if (this.#timer !== undefined) clearInterval(this.#timer);
    this.#timer = undefined;
  }

  /** A new worker: its misses start from zero. */
  reset(): void {
    this.#misses = 0;
  }

  /** A `pong` from `slot`. */
  onPong(slot: ConnSlot, id: number): void {
    if (this.#ping?.id === id) {
      clearTimeout(this.#ping.timer);
      this.#ping = undefined;
      this.#misses = 0;
      return;
    }
    const w = this.#waiters.get(id);
    if (w === undefined || w.slot !== slot) return;
    clearTimeout(w.timer);
    this.#waiters.delete(id);
    w.resolve({ ok: true, rttMs: performance.now() - w.sentAt });
  }

  /** `slot` ended: its pending checks answer `not_running`. */
  forget(slot: ConnSlot): void {
    for (const [id, w] of this.#waiters) {
      if (w.slot !== slot) continue;
      clearTimeout(w.timer);
      this.#waiters.delete(id);
      w.resolve({ ok: false, reason: 'not_running' });
    }
    if (this.#ping?.slot === slot) {
      clearTimeout(this.#ping.timer);
      this.#ping = undefined;
    }
  }

  /** One ping to `slot`: `{ ok: true, rttMs }`, or `{ ok: false, reason: 'timeout' }`. */
  check(slot: ConnSlot, timeoutMs: number): Promise<HealthResult> {
    const id = ++this.#seq;
    return new Promise<HealthResult>((resolve) => {
      const timer = setTimeout(() => {
        this.#waiters.delete(id);
        resolve({ ok: false, reason: 'timeout' });
      }, timeoutMs);
      this.#waiters.set(id, { slot, sentAt: performance.now(), timer, resolve });
      slot.conn.send({ t: 'ping', id });
    });
  }

  readonly #tick = (): void => {
    const slot = this.#current();
    const h = this.#options;
    if (slot === undefined || h === undefined || this.#ping !== undefined) return;
    const id = ++this.#seq;
    const timer = setTimeout(this.#missed, h.timeoutMs);
    this.#ping = { id, slot, busy: slot.inFlight.size > 0, timer };
    slot.conn.send({ t: 'ping', id });
  };

  readonly #missed = (): void => {
    const p = this.#ping;
    this.#ping = undefined;
    const h = this.#options;
    if (p === undefined || h === undefined || p.slot !== this.#current() || p.slot.dead) return;
    if (p.busy || p.slot.inFlight.size > 0) return; // busy workers are judged by their requests' timeouts
    if (++this.#misses < h.maxMisses) return;
    this.#onDead(p.slot, this.#misses);
  };
}
