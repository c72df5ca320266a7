import { RingQueue } from './RingQueue.js';
import { RequestState, type PendingRequest } from './PendingRequest.js';

/**
 * Request deadlines with one timer: requests are grouped per timeout value, so each group's
 * deadlines come in FIFO order and only the groups' heads are looked at. Never early; as
 * late as the event loop is. Settled requests are skipped lazily. @internal
 *
 * @example
 * const deadlines = new DeadlineTimer((rec) => expire(rec)); deadlines.add(rec);
 */
export class DeadlineTimer {
  readonly #groups = new Map<number, RingQueue<PendingRequest>>();
  readonly #expire: (rec: PendingRequest) => void;
  #timer: NodeJS.Timeout | undefined = undefined;
  #armedFor = Infinity;

  constructor(expire: (rec: PendingRequest) => void) {
    this.#expire = expire;
  }

  /** Tracks a request with a finite deadline (`timeoutMs` and `deadline` set). */
  add(rec: PendingRequest): void {
    const timeoutMs = rec.timeoutMs!;
    const deadline = rec.deadline!;
    let group = this.#groups.get(timeoutMs);
    if (group === undefined) this.#groups.set(timeoutMs, (group = new RingQueue()));
    group.push(rec);
    if (deadline < this.#armedFor) this.#arm(deadline);
  }

  /** Drops every tracked request and the timer. */
  clear(): void {
    this.#groups.clear();
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
    this.#armedFor = Infinity;
  }

  #arm(at: number): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#armedFor = at;
    this.#timer = setTimeout(this.#fire, Math.max(0, at - Date.now()) + 1);
  }

  readonly #fire = (): void => {
    this.#timer = undefined;
    this.#armedFor = Infinity;
    const now = Date.now();
    let next = Infinity;
    for (const [timeoutMs, group] of this.#groups) {
      for (let head = group.peek(); head !== undefined; head = group.peek()) {
        const live = head.state === RequestState.Queued || head.state === RequestState.InFlight;
        if (live && head.deadline! > now) break;
        group.shift();
        if (live) this.#expire(head);
      }
      const head = group.peek();
      if (head === undefined) this.#groups.delete(timeoutMs);
      else if (head.deadline! < next) next = head.deadline!;
    }
    if (next !== Infinity && next < this.#armedFor) this.#arm(next);
  };
}
