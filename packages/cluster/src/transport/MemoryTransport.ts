import { InvalidSubjectError } from '../errors/InvalidSubjectError.js';
import { TransportClosedError } from '../errors/TransportClosedError.js';
import { isValidSubject, subjectMatches } from './subjectMatches.js';
import type { Transport, TransportStatus, TransportSubscription } from './Transport.js';

/** One subscription held by a {@link MemoryTransport}. @internal */
export interface MemorySubscription {
  readonly pattern: string;
  readonly onMessage: (data: Uint8Array, subject: string) => void;
  active: boolean;
}

/** What a {@link MemoryTransport} asks of its network. @internal */
export interface MemoryBus {
  publish(from: MemoryTransport, subject: string, data: Uint8Array): boolean;
  flush(from: MemoryTransport): Promise<void>;
  detach(from: MemoryTransport, reason: 'closed' | 'killed'): void;
  emitStatus(to: MemoryTransport, listener: (status: TransportStatus) => void, status: TransportStatus): void;
}

/**
 * One connection to a {@link MemoryNetwork}: a {@link Transport} for protocol tests, made by
 * `net.connect(name)`. Deliveries are asynchronous (macrotasks, see MemoryNetwork), and each
 * delivery hands the subscriber a copy of the bytes taken at delivery time, so a buffer reused
 * after `publish` shows the same corruption as over NATS.
 *
 * @example
 * const net = new MemoryNetwork();
 * const a = net.connect('a'), b = net.connect('b');
 * b.subscribe('arbor.c.n.b', (data) => console.log(data));
 * a.publish('arbor.c.n.b', new Uint8Array([1]));
 */
export class MemoryTransport implements Transport {
  #closed = false;
  readonly #subs = new Set<MemorySubscription>();
  readonly #listeners = new Set<(status: TransportStatus) => void>();

  /** @internal use `MemoryNetwork.connect(name)` */
  constructor(readonly name: string, private readonly bus: MemoryBus) {}

  get closed(): boolean {
    return this.#closed;
  }

  publish(subject: string, data: Uint8Array): boolean {
    if (this.#closed) return false;
    return this.bus.publish(this, subject, data);
  }

  subscribe(subject: string, onMessage: (data: Uint8Array, subject: string) => void): TransportSubscription {
    if (this.#closed) throw new TransportClosedError(this.name, `subscribe(${JSON.stringify(subject)})`);
    if (!isValidSubject(subject, true)) throw new InvalidSubjectError(subject);
    const sub: MemorySubscription = { pattern: subject, onMessage, active: true };
    this.#subs.add(sub);
    return {
      unsubscribe: () => {
        sub.active = false;
        this.#subs.delete(sub);
      },
    };
  }

  onStatus(listener: (status: TransportStatus) => void): () => void {
    this.#listeners.add(listener);
    return () => void this.#listeners.delete(listener);
  }

  flush(): Promise<void> {
    if (this.#closed) return Promise.reject(new TransportClosedError(this.name, 'flush()'));
    return this.bus.flush(this);
  }

  close(): Promise<void> {
    if (!this.#closed) this.bus.detach(this, 'closed');
    return Promise.resolve();
  }

  /** The active subscriptions matching `subject`. @internal */
  matching(subject: string): MemorySubscription[] {
    const out: MemorySubscription[] = [];
    for (const s of this.#subs) if (subjectMatches(s.pattern, subject)) out.push(s);
    return out;
  }

  /** Marks the transport closed and drops its subscriptions. @internal */
  markClosed(): void {
    this.#closed = true;
    for (const s of this.#subs) s.active = false;
    this.#subs.clear();
  }

  /** Queues `status` for every listener (asynchronously, through the network). @internal */
  emit(status: TransportStatus): void {
    for (const l of [...this.#listeners]) this.bus.emitStatus(this, l, status);
    if (status.type === 'closed') this.#listeners.clear();
  }
}
