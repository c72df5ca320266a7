import { performance } from 'node:perf_hooks';
import { TransportClosedError } from '../errors/TransportClosedError.js';
import { TransportNameInUseError } from '../errors/TransportNameInUseError.js';
import { UnknownConnectionError } from '../errors/UnknownConnectionError.js';
import { MemoryTransport, type MemoryBus, type MemorySubscription } from './MemoryTransport.js';
import { seededRandom } from './seededRandom.js';
import { isValidSubject } from './subjectMatches.js';
import type { TransportStatus } from './Transport.js';
import { silentTransportLogger, type TransportLogger } from './TransportLogger.js';

/** A connection given to a switch: its name, or the transport itself. */
export type MemoryPeer = string | { readonly name: string };

/** Which pairs a delay or loss rule applies to: omitted `from` / `to` mean any. */
export interface MemoryPairFilter {
  readonly from?: MemoryPeer;
  readonly to?: MemoryPeer;
}

/** Counters of one ordered pair (publisher -> receiving connection), from `net.stats()`. */
export interface MemoryPairStats {
  /** Messages addressed to the receiver (it had a matching subscription at publish time). */
  published: number;
  /** Copies handed to the receiver's subscriptions (a duplicated message counts twice). */
  delivered: number;
  /** Messages lost to a switch: cut, isolate, loss, dropNext, or queued when the receiver closed. */
  dropped: number;
}

/** Why a connection left the network, as `onDisconnect` reports it. */
export type MemoryDisconnectReason = 'closed' | 'killed' | 'isolated';

/** Options of {@link MemoryNetwork}. */
export interface MemoryNetworkOptions {
  /** Seed of the loss PRNG when `setLoss` is given none (default 1). */
  readonly seed?: number;
  /** Where a throwing subscriber or status listener is reported (default: silent). */
  readonly logger?: TransportLogger;
}

interface Entry {
  readonly seq: number;
  readonly at: number;
  readonly from: string;
  readonly subject: string;
  readonly data: Uint8Array;
  readonly subs: readonly MemorySubscription[];
}

interface Conn {
  readonly transport: MemoryTransport;
  entries: Entry[];
  head: number;
  timer: NodeJS.Timeout | NodeJS.Immediate | undefined;
  timerAt: number;
  paused: boolean;
  isolated: boolean;
  flushes: Array<{ resolve: () => void; reject: (e: Error) => void }>;
}

interface DelayRule { readonly from: string | undefined; readonly to: string | undefined; readonly ms: number }
interface LossRule { readonly from: string | undefined; readonly to: string | undefined; readonly p: number; readonly next: () => number }

const nameOf = (p: MemoryPeer): string => (typeof p === 'string' ? p : p.name);
const pairKey = (from: string, to: string): string => `${from}->${to}`;
const cutKey = (x: string, y: string): string => (x < y ? `${x}\u0000${y}` : `${y}\u0000${x}`);

/** The most specific rule for (from, to): from+to, then from, then to, then neither. */
function pick<R extends { from: string | undefined; to: string | undefined }>(rules: readonly R[], from: string, to: string): R | undefined {
  let best: R | undefined;
  let bestScore = -1;
  for (const r of rules) {
    if ((r.from !== undefined && r.from !== from) || (r.to !== undefined && r.to !== to)) continue;
    const score = (r.from !== undefined ? 2 : 0) + (r.to !== undefined ? 1 : 0);
    if (score > bestScore) (best = r), (bestScore = score);
  }
  return best;
}

/**
 * An in-process message bus with NATS's subject matching, for protocol tests of two or three
 * systems in one process, with deterministic switches for the faults a real bus has.
 *
 * Delivery: each receiving connection has its own queue, ordered by (due time, publish order),
 * drained in **macrotasks** (`setImmediate` when a message is due, `setTimeout` when it is delayed);
 * a callback never runs inside `publish`. Per publisher, each receiver gets messages in publish
 * order, also under `setDelay` (a message is never due before an earlier one of the same pair).
 * Messages are matched to subscriptions at publish time; one unsubscribed before delivery gets
 * nothing. Each receiving connection gets a copy of the bytes taken at delivery time. A
 * connection receives its own publishes when it subscribes to them (NATS's `noEcho: false`).
 * The switches act on names, so `cut`, `setDelay`, `setLoss`, `dropNext` and `duplicateNext`
 * can be set before the connections exist. Drops are checked at publish time and again at
 * delivery (a cut or an isolation also loses what is in flight).
 *
 * @example
 * const net = new MemoryNetwork({ seed: 7 });
 * const a = net.connect('a'), b = net.connect('b');
 * b.subscribe('arbor.c.n.*', (data, subject) => console.log(subject, data));
 * net.setDelay(20, { from: 'a' });
 * a.publish('arbor.c.n.b', new Uint8Array([1])); // arrives after ~20 ms
 * net.cut('a', 'b');
 * a.publish('arbor.c.n.b', new Uint8Array([2])); // dropped
 * net.stats()['a->b']; // { published: 2, delivered: 0 (for now), dropped: 1 }
 */
export class MemoryNetwork {
  readonly #open = new Map<string, Conn>();
  readonly #byTransport = new Map<MemoryTransport, Conn>();
  readonly #cuts = new Set<string>();
  #delays: DelayRule[] = [];
  #losses: LossRule[] = [];
  readonly #dropNext = new Map<string, number>();
  readonly #dupNext = new Map<string, number>();
  readonly #lastAt = new Map<string, number>();
  readonly #stats = new Map<string, MemoryPairStats>();
  readonly #disconnectListeners = new Set<(name: string, reason: MemoryDisconnectReason) => void>();
  readonly #seed: number;
  readonly #logger: TransportLogger;
  #seq = 0;
  readonly #bus: MemoryBus;

  constructor(options: MemoryNetworkOptions = {}) {
    this.#seed = options.seed ?? 1;
    this.#logger = options.logger ?? silentTransportLogger;
    this.#bus = {
      publish: (from, subject, data) => this.#publish(from, subject, data),
      flush: (from) => this.#flush(from),
      detach: (from, reason) => this.#detach(from, reason),
      emitStatus: (to, listener, status) =>
        setImmediate(() => {
          try {
            listener(status);
          } catch (error) {
            this.#logger.error('a transport status listener threw', { connection: to.name, status: status.type, error });
          }
        }),
    };
  }

  /**
   * Opens a connection named `name` (unique among open connections; a closed or killed name can
   * connect again, as a restarted node would).
   *
   * @example
   * const a = net.connect('a');
   */
  connect(name: string): MemoryTransport {
    if (this.#open.has(name)) throw new TransportNameInUseError(name);
    const transport = new MemoryTransport(name, this.#bus);
    const conn: Conn = { transport, entries: [], head: 0, timer: undefined, timerAt: Infinity, paused: false, isolated: false, flushes: [] };
    this.#open.set(name, conn);
    this.#byTransport.set(transport, conn);
    return transport;
  }

  /**
   * Drops every message between `x` and `y`, both directions, until `heal(x, y)`.
   *
   * @example
   * net.cut('a', 'b'); // a and b still reach c
   */
  cut(x: MemoryPeer, y: MemoryPeer): void {
    this.#cuts.add(cutKey(nameOf(x), nameOf(y)));
  }

  /**
   * Ends a `cut(x, y)`.
   *
   * @example
   * net.heal('a', 'b');
   */
  heal(x: MemoryPeer, y: MemoryPeer): void {
    this.#cuts.delete(cutKey(nameOf(x), nameOf(y)));
  }

  /**
   * `x` loses the server: its status listeners get 'disconnect', its publishes and every delivery
   * to it are dropped, its `flush()` waits, and `onDisconnect` listeners hear `(x, 'isolated')`
   * (the server closes its side, as $SYS DISCONNECT would report).
   *
   * @example
   * net.isolate('a'); // ... later: net.rejoin('a')
   */
  isolate(x: MemoryPeer): void {
    const conn = this.#conn(x, 'isolate');
    if (conn.isolated) return;
    conn.isolated = true;
    conn.transport.emit({ type: 'disconnect' });
    this.#notifyDisconnect(conn.transport.name, 'isolated');
  }

  /**
   * Ends an `isolate(x)`: its listeners get 'reconnect'; its subscriptions are kept (as the NATS
   * client resends them) and waiting flushes resolve.
   *
   * @example
   * net.rejoin('a');
   */
  rejoin(x: MemoryPeer): void {
    const conn = this.#conn(x, 'rejoin');
    if (!conn.isolated) return;
    conn.isolated = false;
    conn.transport.emit({ type: 'reconnect' });
    const waiting = conn.flushes.splice(0);
    setImmediate(() => waiting.forEach((f) => f.resolve()));
  }

  /**
   * Delays deliveries by `ms` for the pairs matching `filter` (all pairs without one); `0` removes
   * the rule. The most specific rule of a pair wins (from+to, then from, then to, then none).
   * Order per publisher is kept: a message is never due before the pair's previous one.
   *
   * @example
   * net.setDelay(50, { from: 'a', to: 'b' });
   */
  setDelay(ms: number, filter: MemoryPairFilter = {}): void {
    const from = filter.from === undefined ? undefined : nameOf(filter.from);
    const to = filter.to === undefined ? undefined : nameOf(filter.to);
    this.#delays = this.#delays.filter((r) => r.from !== from || r.to !== to);
    if (ms > 0) this.#delays.push({ from, to, ms });
  }

  /**
   * Drops each message of the matching pairs with `probability`, drawn from a PRNG seeded with
   * `seed` (default: the network's seed), so the same run drops the same messages; `0` removes
   * the rule. The most specific rule wins, as for `setDelay`.
   *
   * @example
   * net.setLoss(0.1, { from: 'a', seed: 42 });
   */
  setLoss(probability: number, filter: MemoryPairFilter & { readonly seed?: number } = {}): void {
    const from = filter.from === undefined ? undefined : nameOf(filter.from);
    const to = filter.to === undefined ? undefined : nameOf(filter.to);
    this.#losses = this.#losses.filter((r) => r.from !== from || r.to !== to);
    if (probability > 0) this.#losses.push({ from, to, p: probability, next: seededRandom(filter.seed ?? this.#seed) });
  }

  /**
   * Drops the next `n` messages from `from` to `to`.
   *
   * @example
   * net.dropNext('a', 'b', 1); // a gap in a->b's sequence
   */
  dropNext(from: MemoryPeer, to: MemoryPeer, n: number): void {
    const k = pairKey(nameOf(from), nameOf(to));
    this.#dropNext.set(k, (this.#dropNext.get(k) ?? 0) + n);
  }

  /**
   * Delivers each of the next `n` messages from `from` to `to` twice, back to back.
   *
   * @example
   * net.duplicateNext('a', 'b', 1); // b sees the same sequence number twice
   */
  duplicateNext(from: MemoryPeer, to: MemoryPeer, n: number): void {
    const k = pairKey(nameOf(from), nameOf(to));
    this.#dupNext.set(k, (this.#dupNext.get(k) ?? 0) + n);
  }

  /**
   * Freezes `x` as a stopped process: deliveries to it are queued, not dropped, until
   * `resume(x)` delivers them in order. Its own publishes still go out. No disconnect is reported
   * (nats-server 2.9.10 keeps a busy frozen client, reference 2.5).
   *
   * @example
   * net.pause('b'); a.publish('s', buf); net.resume('b'); // b gets it now
   */
  pause(x: MemoryPeer): void {
    const conn = this.#conn(x, 'pause');
    conn.paused = true;
    this.#clearTimer(conn);
  }

  /**
   * Ends a `pause(x)`: the queued deliveries run, in order.
   *
   * @example
   * net.resume('b');
   */
  resume(x: MemoryPeer): void {
    const conn = this.#conn(x, 'resume');
    conn.paused = false;
    this.#schedule(conn);
  }

  /**
   * Closes `x` abruptly (a crashed process): deliveries queued for it are dropped, its listeners
   * get 'closed' with an error, pending flushes reject, and `onDisconnect` listeners hear
   * `(x, 'killed')`. What it published before is still delivered.
   *
   * @example
   * net.kill('b');
   */
  kill(x: MemoryPeer): void {
    this.#detach(this.#conn(x, 'kill').transport, 'killed');
  }

  /**
   * Calls `listener(name, reason)` when a connection leaves the bus (close, kill, isolate), like
   * a subscriber of `$SYS.ACCOUNT.*.DISCONNECT`; asynchronously. Returns the unsubscribe function.
   *
   * @example
   * net.onDisconnect((name, reason) => { if (reason === 'killed') nodeDown(name) });
   */
  onDisconnect(listener: (name: string, reason: MemoryDisconnectReason) => void): () => void {
    this.#disconnectListeners.add(listener);
    return () => void this.#disconnectListeners.delete(listener);
  }

  /**
   * Counters per ordered pair, keyed `'from->to'` (a copy).
   *
   * @example
   * const { published, delivered, dropped } = net.stats()['a->b'] ?? {};
   */
  stats(): Record<string, MemoryPairStats> {
    const out: Record<string, MemoryPairStats> = {};
    for (const [k, v] of this.#stats) out[k] = { ...v };
    return out;
  }

  #conn(x: MemoryPeer, operation: string): Conn {
    const name = nameOf(x);
    const conn = this.#open.get(name);
    if (conn === undefined) throw new UnknownConnectionError(name, operation);
    return conn;
  }

  #pair(from: string, to: string): MemoryPairStats {
    const k = pairKey(from, to);
    let s = this.#stats.get(k);
    if (s === undefined) this.#stats.set(k, (s = { published: 0, delivered: 0, dropped: 0 }));
    return s;
  }

  #publish(fromT: MemoryTransport, subject: string, data: Uint8Array): boolean {
    const fromConn = this.#byTransport.get(fromT);
    if (fromConn === undefined) return false;
    if (!isValidSubject(subject, false)) {
      this.#logger.error('publish to an invalid subject: dropped', { connection: fromT.name, subject });
      return false;
    }
    const from = fromT.name;
    const seq = ++this.#seq;
    const now = performance.now();
    for (const [to, conn] of this.#open) {
      const subs = conn.transport.matching(subject);
      if (subs.length === 0) continue;
      const stats = this.#pair(from, to);
      stats.published++;
      const k = pairKey(from, to);
      if (fromConn.isolated || conn.isolated || this.#cuts.has(cutKey(from, to))) {
        stats.dropped++;
        continue;
      }
      const drop = this.#dropNext.get(k) ?? 0;
      if (drop > 0) {
        this.#dropNext.set(k, drop - 1);
        stats.dropped++;
        continue;
      }
      const loss = pick(this.#losses, from, to);
      if (loss !== undefined && loss.next() < loss.p) {
        stats.dropped++;
        continue;
      }
      const dup = this.#dupNext.get(k) ?? 0;
      if (dup > 0) this.#dupNext.set(k, dup - 1);
      const delay = pick(this.#delays, from, to)?.ms ?? 0;
      const at = Math.max(now + delay, this.#lastAt.get(k) ?? 0);
      this.#lastAt.set(k, at);
      const entry: Entry = { seq, at, from, subject, data, subs };
      this.#enqueue(conn, entry);
      if (dup > 0) this.#enqueue(conn, entry);
    }
    return true;
  }

  #enqueue(conn: Conn, entry: Entry): void {
    const list = conn.entries;
    // insert after every entry that is due no later (stable for equal keys: duplicates stay adjacent)
    let lo = conn.head;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      const e = list[mid]!;
      if (e.at < entry.at || (e.at === entry.at && e.seq <= entry.seq)) lo = mid + 1;
      else hi = mid;
    }
    if (lo === list.length) list.push(entry);
    else list.splice(lo, 0, entry);
    this.#schedule(conn);
  }

  #clearTimer(conn: Conn): void {
    if (conn.timer !== undefined) {
      if (conn.timerAt === -Infinity) clearImmediate(conn.timer as NodeJS.Immediate);
      else clearTimeout(conn.timer as NodeJS.Timeout);
    }
    conn.timer = undefined;
    conn.timerAt = Infinity;
  }

  #schedule(conn: Conn): void {
    if (conn.paused || conn.transport.closed || conn.head >= conn.entries.length) return;
    const due = conn.entries[conn.head]!.at;
    const wait = due - performance.now();
    const at = wait <= 0 ? -Infinity : due;
    if (conn.timer !== undefined && conn.timerAt <= at) return;
    this.#clearTimer(conn);
    conn.timerAt = at;
    conn.timer = at === -Infinity ? setImmediate(() => this.#pump(conn)) : setTimeout(() => this.#pump(conn), Math.ceil(wait));
  }

  #pump(conn: Conn): void {
    conn.timer = undefined;
    conn.timerAt = Infinity;
    const now = performance.now();
    let n = 0;
    for (let i = conn.head; i < conn.entries.length && conn.entries[i]!.at <= now; i++) n++;
    const to = conn.transport.name;
    for (let i = 0; i < n; i++) {
      if (conn.paused || conn.transport.closed) break;
      const entry = conn.entries[conn.head]!;
      conn.head++;
      const stats = this.#pair(entry.from, to);
      if (conn.isolated || this.#cuts.has(cutKey(entry.from, to))) {
        stats.dropped++;
        continue;
      }
      stats.delivered++;
      const copy = entry.data.slice();
      for (const sub of entry.subs) {
        if (!sub.active) continue;
        try {
          sub.onMessage(copy, entry.subject);
        } catch (error) {
          this.#logger.error('a subscriber callback threw; the subscription goes on', { connection: to, subject: entry.subject, error });
        }
      }
    }
    if (conn.head > 1024 && conn.head * 2 > conn.entries.length) {
      conn.entries = conn.entries.slice(conn.head);
      conn.head = 0;
    }
    this.#schedule(conn);
  }

  #flush(fromT: MemoryTransport): Promise<void> {
    const conn = this.#byTransport.get(fromT);
    if (conn === undefined) return Promise.reject(new TransportClosedError(fromT.name, 'flush()'));
    return new Promise((resolve, reject) => {
      if (conn.isolated) conn.flushes.push({ resolve, reject });
      else setImmediate(resolve);
    });
  }

  #detach(t: MemoryTransport, reason: 'closed' | 'killed'): void {
    const conn = this.#byTransport.get(t);
    if (conn === undefined) return;
    this.#byTransport.delete(t);
    if (this.#open.get(t.name) === conn) this.#open.delete(t.name);
    this.#clearTimer(conn);
    for (let i = conn.head; i < conn.entries.length; i++) this.#pair(conn.entries[i]!.from, t.name).dropped++;
    conn.entries = [];
    conn.head = 0;
    t.markClosed();
    const error = reason === 'killed' ? new TransportClosedError(t.name, 'killed by MemoryNetwork.kill') : undefined;
    t.emit(error === undefined ? { type: 'closed' } : { type: 'closed', error });
    for (const f of conn.flushes.splice(0)) f.reject(new TransportClosedError(t.name, 'flush()'));
    this.#notifyDisconnect(t.name, reason);
  }

  #notifyDisconnect(name: string, reason: MemoryDisconnectReason): void {
    for (const l of [...this.#disconnectListeners]) {
      setImmediate(() => {
        try {
          l(name, reason);
        } catch (error) {
          this.#logger.error('an onDisconnect listener threw', { connection: name, reason, error });
        }
      });
    }
  }
}
