import type { Peer } from './Peer.js';

/** What the failure detector needs of its node. @internal */
export interface DetectorHost {
  /** The peers known, by incarnation (forgotten ones are deleted from it). */
  readonly peers: Map<string, Peer>;
  /** When our own connection to NATS went down (null while it is up). */
  readonly disconnectedAt: number | null;
  /** Whether the node has left: nothing is judged any more. */
  readonly left: boolean;
  /** Publishes this node's heartbeat. */
  beat(): void;
  /** `peer` was not heard from for `downAfterMs`. */
  down(peer: Peer): void;
  /** Our own connection has been down for `downAfterMs`: every peer is. */
  allDown(): void;
  /** Our event loop ran `lagMs` late: the liveness checks of this tick are skipped. */
  stalled(lagMs: number): void;
}

/**
 * The node's failure detector: a heartbeat every `heartbeatMs`, and a peer not heard from for
 * `downAfterMs` is down. Each tick judges every peer, and a deadline timer judges the first
 * one that runs out before the next tick at that moment (not up to a heartbeat late). After a
 * stall of our own loop (a tick or a deadline more than a heartbeat late) nothing is judged
 * until the next tick, once what arrived meanwhile has been read. Down peers past a horizon
 * with nothing left to fire are forgotten. Timers are unref'd. @internal
 *
 * @example
 * const detector = new FailureDetector(host, 1000, 5000);
 * detector.start();
 */
export class FailureDetector {
  #timer: ReturnType<typeof setInterval> | undefined;
  #deadline: ReturnType<typeof setTimeout> | undefined;
  #deadlineAt = Infinity;
  #lastTick = Date.now();
  #lastLag = 0;
  #stopped = false;

  constructor(
    private readonly host: DetectorHost,
    private readonly heartbeatMs: number,
    private readonly downAfterMs: number,
  ) {}

  /** How late our last tick ran (ms, 0 when on time): heartbeats carry it. */
  get lastLagMs(): number {
    return this.#lastLag;
  }

  start(): void {
    this.#lastTick = Date.now();
    this.#timer = setInterval(() => this.#tick(), this.heartbeatMs);
    this.#timer.unref?.();
  }

  /** Stops ticking and judging, also from inside a host callback of a tick that is running. */
  stop(): void {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#disarm();
  }

  #tick(): void {
    if (this.#stopped) return;
    const now = Date.now();
    const lag = now - this.#lastTick - this.heartbeatMs;
    this.#lastTick = now;
    this.#lastLag = Math.max(0, lag);
    this.host.beat();
    if (this.#stopped) return;
    // After a stall of our own event loop, the peers' heartbeats are still unread: judge them next tick.
    if (lag > this.heartbeatMs) {
      this.host.stalled(lag);
      return;
    }
    const disconnectedAt = this.host.disconnectedAt;
    if (disconnectedAt !== null && now - disconnectedAt >= this.downAfterMs) {
      this.host.allDown();
      return;
    }
    const horizon = Math.max(10 * this.downAfterMs, 60_000);
    for (const peer of this.host.peers.values()) if (peer.forgettable(now, horizon)) this.host.peers.delete(peer.incarnation);
    this.#judge(now, 'tick');
  }

  /**
   * Declares down the peers past `downAfterMs`, then arms the deadline for the first due before
   * the next tick. While our own connection is down, deadlines are left to the tick: its check
   * of the connection comes first (reason `disconnected`, not `timeout` for each peer).
   */
  #judge(now: number, dueAt: number | 'tick'): void {
    if (this.#stopped || this.host.left) return;
    if (dueAt !== 'tick' && (now - dueAt > this.heartbeatMs || this.host.disconnectedAt !== null)) return;
    const nextTick = this.#lastTick + this.heartbeatMs;
    let first = nextTick;
    for (const peer of this.host.peers.values()) {
      if (this.#stopped) return;
      if (peer.state === 'down') continue;
      if (now - peer.lastHeard >= this.downAfterMs) this.host.down(peer);
      else first = Math.min(first, peer.lastHeard + this.downAfterMs);
    }
    if (this.#stopped || this.host.disconnectedAt !== null) return;
    if (first < nextTick && first < this.#deadlineAt) {
      this.#disarm();
      this.#deadlineAt = first;
      this.#deadline = setTimeout(() => {
        this.#deadline = undefined;
        this.#deadlineAt = Infinity;
        this.#judge(Date.now(), first);
      }, Math.max(0, first - now));
      this.#deadline.unref?.();
    }
  }

  #disarm(): void {
    if (this.#deadline !== undefined) clearTimeout(this.#deadline);
    this.#deadline = undefined;
    this.#deadlineAt = Infinity;
  }
}
