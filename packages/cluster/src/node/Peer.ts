import { CallExitError, deliverRemoteDown, deliverRemoteExit, type ActorRef, type ActorSystem, type MonitorRef } from '@arbor/core';
import type { ClusterRef } from './ClusterRef.js';
import { FrameBatch } from '../wire/FrameBatch.js';
import { InboundIds, OutboundIds } from './ChannelIds.js';

/** A call sent to a peer and not answered yet. @internal */
export interface PendingRemoteCall {
  readonly ref: ClusterRef;
  readonly resolve: (value: unknown) => void;
  readonly reject: (error: unknown) => void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

/**
 * What one node knows of one incarnation of another node: the channel both ways (epochs and
 * sequence numbers), the frames waiting for the end of the turn, and every link, monitor and
 * call that crosses to it, so that losing it fires each of them once. @internal
 *
 * @example
 * const peer = new Peer('b~k3j2', Date.now());
 */
export class Peer {
  /** 'pending': frames were sent to it, no heartbeat heard yet; 'up'; 'down' (declared lost). */
  state: 'pending' | 'up' | 'down' = 'pending';
  lastHeard: number;
  /** Our channel to it: bumped at every reset, so frames of an old channel are refused. */
  outEpoch = 1;
  outSeq = 0;
  /** Its channel to us: the epoch we accept and the next sequence number we expect. */
  inEpoch = 0;
  inSeq = 0;
  /** The lowest epoch of its channel we still accept (raised when we drop the channel). */
  inMin = 0;
  /** When we last repeated a reset for frames of a dropped channel. */
  lastReset = 0;
  /** The last sequence number its heartbeat said it sent us and we had not received; null when caught up. */
  behind: number | null = null;
  /** It left gracefully: this incarnation never comes back. */
  gone = false;
  /** Frames queued for the end of this turn, encoded into one buffer. */
  readonly out = new FrameBatch();
  /** Cast targets interned on our channel to it, and the ones it interned on its channel to us. */
  readonly targets = new OutboundIds();
  readonly names = new InboundIds();
  /** Links between our actors and its actors: its ref -> our actors linked to it. */
  readonly links = new Map<ClusterRef, Set<ActorRef>>();
  /** Monitors our watchers hold on its actors: monitor id -> (monitor, ref). */
  readonly monitorsHeld = new Map<number, { readonly mref: MonitorRef; readonly ref: ClusterRef }>();
  /** Monitors it holds on our actors: its monitor id -> our local monitor. */
  readonly monitorsServed = new Map<number, MonitorRef>();
  /** Calls to it not answered yet, by call id. */
  readonly calls = new Map<number, PendingRemoteCall>();
  /** Spawn requests to it not answered yet. */
  readonly spawns = new Map<number, { readonly behaviour: string; readonly resolve: (ref: unknown) => void; readonly reject: (error: unknown) => void; timer: ReturnType<typeof setTimeout> }>();
  /** Name lookups (`whereisOn`) not answered yet. */
  readonly lookups = new Map<number, { readonly resolve: (ref: unknown) => void; readonly reject: (error: unknown) => void; timer: ReturnType<typeof setTimeout> }>();

  constructor(
    readonly incarnation: string,
    now: number,
  ) {
    this.lastHeard = now;
  }

  get name(): string {
    return this.incarnation.slice(0, this.incarnation.indexOf('~'));
  }

  /**
   * The live peer whose connection is named `name` (a node's incarnation, or on a memory
   * network its name). A connection keeps the name of the incarnation that opened it, also
   * after a rejoin: a name is matched by node name too, when one incarnation of it is live.
   */
  static ofConnection(peers: ReadonlyMap<string, Peer>, name: string): Peer | undefined {
    const direct = peers.get(name);
    if (direct !== undefined && direct.state !== 'down') return direct;
    const node = name.includes('~') ? name.slice(0, name.indexOf('~')) : name;
    const byName = [...peers.values()].filter((p) => p.name === node && p.state !== 'down');
    return byName.length === 1 ? byName[0] : undefined;
  }

  /**
   * Down and silent for `horizonMs`: everything across it fired long ago, so the node forgets
   * it (a dead incarnation costs nothing after a while). Should it speak again, its frames
   * open a new peer, whose sequence check resets the old channel on both sides.
   */
  forgettable(now: number, horizonMs: number): boolean {
    return this.state === 'down' && now - this.lastHeard >= horizonMs && this.calls.size + this.spawns.size + this.lookups.size + this.links.size === 0;
  }

  /** What a heartbeat says we sent: per peer incarnation, our channel's epoch and last sequence number. */
  static lastSent(peers: Iterable<Peer>): Record<string, [number, number]> {
    const sent: Record<string, [number, number]> = {};
    for (const p of peers) if (p.state !== 'down' && p.outSeq > 0) sent[p.incarnation] = [p.outEpoch, p.outSeq];
    return sent;
  }

  /**
   * Its heartbeat says it sent us batch `sent` = [epoch, seq]. True when we still lack a
   * batch the previous heartbeat already announced: it was lost at the channel's tail, where
   * no later batch shows the gap (one heartbeat of grace, for a batch still on its way).
   */
  tailLost(sent: unknown): boolean {
    if (!Array.isArray(sent) || typeof sent[0] !== 'number' || typeof sent[1] !== 'number' || sent[0] < this.inMin || this.state === 'down') return false;
    const received = sent[0] === this.inEpoch ? this.inSeq : sent[0] > this.inEpoch ? 0 : Infinity;
    if (received >= sent[1]) this.behind = null;
    else if (this.behind !== null && received <= this.behind) return true;
    else this.behind = sent[1];
    return false;
  }

  addLink(ref: ClusterRef, local: ActorRef): void {
    let set = this.links.get(ref);
    if (set === undefined) this.links.set(ref, (set = new Set()));
    set.add(local);
  }

  removeLink(ref: ClusterRef, local: ActorRef): boolean {
    const set = this.links.get(ref);
    if (set === undefined || !set.delete(local)) return false;
    if (set.size === 0) this.links.delete(ref);
    return true;
  }

  /**
   * The channel is lost: every pending call rejects with `CallExitError('noconnection')`,
   * every spawn and lookup with `spawnError()`, every link across delivers `noconnection`, every monitor
   * held on its actors a DOWN, and the monitors it held on ours are removed; each once.
   */
  loseEverything(system: ActorSystem, spawnError: () => Error): void {
    const calls = [...this.calls.values()];
    this.calls.clear();
    for (const c of calls) {
      clearTimeout(c.timer);
      c.reject(new CallExitError(c.ref, 'noconnection'));
    }
    const spawns = [...this.spawns.values(), ...this.lookups.values()];
    this.spawns.clear();
    this.lookups.clear();
    for (const s of spawns) {
      clearTimeout(s.timer);
      s.reject(spawnError());
    }
    const links = [...this.links];
    this.links.clear();
    for (const [ref, locals] of links) for (const local of locals) deliverRemoteExit(local, ref, 'noconnection', { linked: true });
    const held = [...this.monitorsHeld.values()];
    this.monitorsHeld.clear();
    for (const { mref } of held) deliverRemoteDown(mref, 'noconnection');
    const served = [...this.monitorsServed.values()];
    this.monitorsServed.clear();
    for (const mref of served) system.demonitor(mref);
  }
}
