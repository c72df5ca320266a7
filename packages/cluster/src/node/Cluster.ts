import {
  CallExitError,
  CallTimeoutError,
  InvalidOptionError,
  isActorRef,
  LocalActorRef,
  NoProcError,
  type ActorRef,
  type ActorSystem,
  type AnyBehaviour,
  type BehaviourClass,
  type Protocol,
} from '@arbor/core';
import type { Logger } from 'winston';
import { MessageTooLargeError } from '../errors/MessageTooLargeError.js';
import { ClusterLeftError, NoNodeError } from '../errors/nodeErrors.js';
import type { Transport, TransportSubscription } from '../transport/Transport.js';
import { FrameBatch, readBatch, readFrames, type ReceivedBatch } from '../wire/FrameBatch.js';
import { FrameCodec } from '../wire/FrameCodec.js';
import { ClusterRef } from './ClusterRef.js';
import type { ResolvedClusterOptions } from './ClusterOptions.js';
import { CALL, CALL_FAIL, CAST, INFO, REPLY, RESET, type Beat } from './frames.js';
import { handleBatch, type InboundNode } from './inbound.js';
import { newIncarnation, type NodeDownReason, type NodeEvent, type NodeId, type RemoteSpawnOptions } from './NodeEvent.js';
import { FailureDetector } from './FailureDetector.js';
import { NodeWatchers } from './NodeWatchers.js';
import { Peer } from './Peer.js';
import { RefTable } from './RefTable.js';
import { requestLookup, requestSpawn, type RequestingNode } from './requests.js';
import type { OutboundNode } from './outbound.js';
import type { ClusterRegistry } from '../registry/ClusterRegistry.js';

/**
 * Frames in one batch at most (a batch also goes once it holds a quarter of the bus's payload
 * limit). 2048: remote_cast measured 1.84-1.99M/s with 2048 to 16384 against 1.66-1.77M/s with
 * 512 (fewer publishes and server messages); a receiver handles one batch in about a millisecond.
 */
const MAX_FRAMES_PER_BATCH = 2048;

/**
 * This node's membership of a cluster: what `joinCluster` returns. Remote refs come from it
 * (`spawn`, or any ref inside a message from another node) and work with core's functions.
 * Links, monitors and calls across nodes follow Erlang: when a node is lost, every link to
 * its actors delivers `'noconnection'`, every monitor a `DOWN` with `'noconnection'`, every
 * pending call rejects with `CallExitError('noconnection')`, once each.
 *
 * @example
 * const cluster = await joinCluster(system, { cluster: 'shop', node: 'api-1', nats: { servers: url }, behaviours: { Worker } });
 * const worker = await cluster.spawn<WorkerProtocol>('api-2', 'Worker', { size: 4 });
 * await call(worker, { type: 'run', job }); // as locally
 */
export class Cluster {
  #self: NodeId;
  readonly #options: ResolvedClusterOptions;
  readonly #system: ActorSystem;
  readonly #transport: Transport;
  readonly #ownsTransport: boolean;
  readonly #codec: FrameCodec;
  readonly #logger: Logger;
  readonly #peers = new Map<string, Peer>();
  /** Local actors whose refs went out, and interned refs of actors elsewhere. */
  readonly #refs: RefTable;
  readonly #watchers: NodeWatchers;
  readonly #dirty: Peer[] = [];
  readonly #subs: TransportSubscription[] = [];
  /** The subscription of this incarnation's subject. */
  #inbox: TransportSubscription | undefined;
  #flushQueued = false;
  /** Ids of calls, spawns and lookups (each kind has its own table). */
  #nextRequest = 0;
  readonly #detector: FailureDetector;
  #disconnectedAt: number | null = null;
  #left = false;
  #stopStatus: () => void = () => {};
  #stopDisconnects: () => void = () => {};
  /** Removes the system's shutdown hook that makes the node leave. */
  #offShutdown: () => void = () => {};
  readonly #inbound: InboundNode;
  #registry: ClusterRegistry | undefined;
  #closeRegistry: () => Promise<void> = () => Promise.resolve();
  readonly #requesting: RequestingNode;
  /** What this node's refs of other nodes' actors send through (outbound.ts). @internal */
  readonly outbound: OutboundNode;

  /** @internal use `joinCluster` */
  constructor(system: ActorSystem, options: ResolvedClusterOptions, transport: Transport, ownsTransport: boolean, incarnation: string) {
    this.#system = system;
    this.#options = options;
    this.#transport = transport;
    this.#ownsTransport = ownsTransport;
    this.#logger = system.logger;
    this.#self = { name: options.node, incarnation };
    this.#watchers = new NodeWatchers(system, this.#logger, options.node);
    this.#refs = new RefTable(incarnation, this);
    this.#codec = new FrameCodec({
      refClasses: [LocalActorRef, ClusterRef],
      encodeRef: (ref) => this.#refs.encode(ref),
      decodeRef: (incarnation, id) => this.#refs.decode(incarnation, id),
    });
    const cluster = this;
    this.#requesting = {
      get self() {
        return cluster.self;
      },
      get left() {
        return cluster.#left;
      },
      upPeer: (name) => this.#upPeer(name),
      nodes: () => this.nodes(),
      nextRequest: () => ++this.#nextRequest,
      send: (peer, frame) => this.#queue(peer, frame),
    };
    this.outbound = {
      peerFor: (ref) => this.#peerFor(ref),
      unreachableReason: (peer) => this.#unreachableReason(peer),
      queue: (peer, frame) => this.#queue(peer, frame),
      encode: (frame) => void this.#codec.encode(frame),
    };
    this.#inbound = {
      get self() {
        return cluster.self;
      },
      system,
      logger: this.#logger,
      behaviours: options.behaviours,
      exports: this.#refs.exports,
      ref: (incarnation, id) => this.#refs.ref(incarnation, id),
      queueFrame: (peer, frame) => this.#queue(peer, frame),
      reply: (peer, frame) => this.#reply(peer, frame),
    };
    this.#detector = new FailureDetector(
      {
        peers: this.#peers,
        get disconnectedAt() {
          return cluster.#disconnectedAt;
        },
        get left() {
          return cluster.#left;
        },
        beat: () => this.#beat('hb'),
        down: (peer) => this.#down(peer, 'timeout', true),
        allDown: () => this.#allDown('disconnected'),
        stalled: (lag) => this.#logger.warn(`cluster: event loop stalled ${lag} ms; liveness checks skipped this tick`, { report: 'cluster_stall', node: this.self.name, lagMs: lag }),
      },
      options.heartbeatMs,
      options.downAfterMs,
    );
  }

  /** Subscribes, announces itself and starts the failure detector. @internal */
  start(): void {
    const prefix = `arbor.${this.#options.cluster}`;
    this.#inbox = this.#transport.subscribe(`${prefix}.n.${this.self.incarnation}`, (data) => this.#onBatch(data));
    this.#subs.push(this.#transport.subscribe(`${prefix}.hb`, (data) => this.#onBeat(data)));
    this.#stopStatus = this.#transport.onStatus((s) => {
      if (s.type === 'disconnect') this.#disconnectedAt ??= Date.now();
      else if (s.type === 'reconnect') this.#disconnectedAt = null;
      else if (s.type === 'closed' && !this.#left) this.#allDown('disconnected');
    });
    this.#beat('hb');
    this.#detector.start();
    this.#offShutdown = this.#system.onShutdown(() => this.leave());
  }

  /**
   * Listens to a source of connection-closed events ($SYS DISCONNECT, or a memory network's):
   * a peer whose connection closed is down at once. @internal
   */
  watchConnections(source: (onClosed: (connectionName: string) => void) => () => void): void {
    this.#stopDisconnects = source((name) => this.#connectionClosed(name));
  }

  #connectionClosed(name: string): void {
    if (this.#left) return;
    const peer = Peer.ofConnection(this.#peers, name);
    if (peer !== undefined) this.#down(peer, 'connection_closed', false);
  }

  // ------------------------------------------------------------------ public API

  /**
   * The cluster registry (unique names on NATS KV) and this node's lease, with
   * `joinCluster({ registry: true })`; misuse to ask for it otherwise.
   *
   * @example
   * await system.spawn(Cart, arg, { name: cluster.registry.via('cart:u42') });
   */
  get registry(): ClusterRegistry {
    if (this.#registry === undefined) throw new InvalidOptionError('cluster.registry', 'joinCluster(system, { ..., registry: true }): the registry and node leases live in a JetStream KV bucket', undefined);
    return this.#registry;
  }

  /** Set by joinCluster; `leave()` stops it first (its names and lease deleted), then `close()`. @internal */
  attachRegistry(registry: ClusterRegistry, close: () => Promise<void>): void {
    this.#registry = registry;
    this.#closeRegistry = async () => {
      await registry.stop();
      await close();
    };
  }

  /** This node: its name and this run's incarnation (a new one after `rejoin()`). */
  get self(): NodeId {
    return this.#self;
  }

  /**
   * Drops this incarnation and joins again as a new one: what a node does when it is fenced
   * (it could not renew its lease, so the others may have taken it for dead). Every channel
   * drops as for a lost node (reason `fenced`: `noconnection` on every link and monitor
   * across, pending calls rejected; the peers are told), then the node announces its new
   * incarnation. Its local actors keep running; refs to them held elsewhere under the old
   * incarnation are dead there. Returns the new identity.
   *
   * @example
   * const { incarnation } = cluster.rejoin();
   */
  rejoin(): NodeId {
    if (this.#left) throw new ClusterLeftError(this.self.name, 'rejoin');
    this.#flush();
    this.#beat('leave'); // the old incarnation leaves: every peer fires its side at once
    this.#allDown('fenced');
    this.#peers.clear(); // the channels were per pair of incarnations: the new one starts afresh
    this.#inbox?.unsubscribe();
    const previous = this.#self.incarnation;
    this.#self = { name: this.#self.name, incarnation: newIncarnation(this.#self.name) };
    this.#refs.reincarnate(this.#self.incarnation);
    this.#inbox = this.#transport.subscribe(`arbor.${this.#options.cluster}.n.${this.#self.incarnation}`, (data) => this.#onBatch(data));
    this.#logger.warn(`cluster: node ${this.#self.name} rejoined as ${this.#self.incarnation}`, { report: 'cluster_rejoined', node: this.#self.name, previous, incarnation: this.#self.incarnation });
    this.#beat('hb');
    return this.#self;
  }

  /**
   * The other nodes believed up, oldest first (synchronous; this node is not listed).
   *
   * @example
   * cluster.nodes().map((n) => n.name); // ['api-2', 'api-3']
   */
  nodes(): NodeId[] {
    const up: NodeId[] = [];
    for (const p of this.#peers.values()) if (p.state === 'up') up.push({ name: p.name, incarnation: p.incarnation });
    return up;
  }

  /**
   * Tells `listener` of every nodeup and nodedown; returns a function that stops it.
   *
   * @example
   * const off = cluster.onNode((e) => log.info(e.type, e.node.name));
   */
  onNode(listener: (event: NodeEvent) => void): () => void {
    if (typeof listener !== 'function') throw new InvalidOptionError('onNode: listener', 'a function (event) => void', listener);
    return this.#watchers.listen(listener);
  }

  /**
   * Erlang's monitor_node: `watcher` gets the info message `{ type: 'nodedown', node }` once
   * when no incarnation of `node` is up any more (at once if none is up now). Returns a
   * function that removes the monitor.
   *
   * @example
   * cluster.monitorNode(this.self, 'api-2'); // then handleInfo({ type: 'nodedown', node: 'api-2' })
   */
  monitorNode(watcher: ActorRef, node: string): () => void {
    if (!isActorRef(watcher)) throw new InvalidOptionError('monitorNode: watcher', 'a local ActorRef (the actor to tell)', watcher);
    if (typeof node !== 'string' || node === '') throw new InvalidOptionError('monitorNode: node', 'a node name', node);
    return this.#watchers.monitor(watcher, node, this.#upPeer(node) !== undefined);
  }

  /** What other nodes may spawn here, by name (`joinCluster({ behaviours })`). @example Object.keys(cluster.behaviours) */
  get behaviours(): Readonly<Record<string, BehaviourClass<AnyBehaviour>>> {
    return this.#options.behaviours;
  }

  /**
   * Starts an actor on another node by behaviour name (one of that node's `behaviours`) and
   * resolves with its ref. Rejects with `NoNodeError` (node not up), `UnknownBehaviourError`,
   * the node's start error (as a `RemoteError`), `RemoteSpawnTimeoutError`, or
   * `CallExitError('noconnection')` when the node is lost meanwhile.
   *
   * @example
   * const ref = await cluster.spawn<CounterProtocol>('api-2', 'Counter', 0, { link: this.self });
   */
  spawn<P extends Protocol = any>(node: string, behaviour: string, arg?: unknown, options?: RemoteSpawnOptions): Promise<ClusterRef<P>> {
    return requestSpawn<P>(this.#requesting, node, behaviour, arg, options);
  }


  /**
   * The actor registered under local name `name` on node `node` (Erlang's `{Name, Node}`),
   * or null when none is. Rejects with `NoNodeError` when the node is not up or is lost
   * before it answers, `RemoteLookupTimeoutError` after `timeout` ms (default 5000).
   *
   * @example
   * const scope = await cluster.whereisOn('api-2', 'arbor.pg.default');
   */
  whereisOn<P extends Protocol = any>(node: string, name: string, options?: { readonly timeout?: number }): Promise<ClusterRef<P> | null> {
    return requestLookup<P>(this.#requesting, node, name, options);
  }


  /**
   * Leaves the cluster: peers are told at once (they fire `noconnection` without waiting for
   * the failure detector), every link, monitor and call across fires here too, and the
   * connection is closed if `joinCluster` opened it. Idempotent.
   *
   * @example
   * await cluster.leave();
   */
  async leave(): Promise<void> {
    if (this.#left) return;
    await this.#closeRegistry().catch(() => {}); // a store that does not answer leaves the names to the sweep
    if (this.#left) return;
    this.#flush();
    this.#beat('leave');
    this.#left = true;
    this.#offShutdown();
    this.#detector.stop();
    this.#allDown('left');
    for (const s of this.#subs) s.unsubscribe();
    this.#inbox?.unsubscribe();
    this.#stopStatus();
    this.#stopDisconnects();
    try {
      await this.#transport.flush();
    } catch {
      /* closed already */
    }
    if (this.#ownsTransport) await this.#transport.close();
  }

  /** True once `leave()` was called or the connection closed for good. */
  get left(): boolean {
    return this.#left;
  }

  // ------------------------------------------------------------------ what ClusterRef asks (@internal)

  /** @internal */
  remoteCall(ref: ClusterRef, request: unknown, timeout: number): Promise<unknown> {
    const peer = this.#peerFor(ref);
    if (peer === null || peer.state === 'down') return Promise.reject(this.#unreachable(ref, peer, 'call'));
    const cid = ++this.#nextRequest;
    try {
      this.#queue(peer, [CALL, ref.id, cid, request]); // the batch goes at the end of the turn: the entry below is in place by then
    } catch (e) {
      return Promise.reject(e);
    }
    return new Promise((resolve, reject) => {
      const pending = { ref, resolve, reject, timer: undefined as ReturnType<typeof setTimeout> | undefined };
      if (timeout !== Infinity) {
        pending.timer = setTimeout(() => {
          peer.calls.delete(cid);
          reject(new CallTimeoutError(ref, timeout));
        }, timeout);
      }
      peer.calls.set(cid, pending);
    });
  }

  /** @internal */
  remoteCast(ref: ClusterRef, msg: unknown, info: boolean): void {
    const peer = this.#peerFor(ref);
    if (peer !== null && peer.state !== 'down') for (const frame of peer.targets.castFrames(peer.outEpoch, ref.id, msg, info)) this.#queue(peer, frame);
    else this.#codec.encode([info ? INFO : CAST, ref.id, msg]); // an unserialisable message throws here, at the sender
  }

  // ------------------------------------------------------------------ for the registry (@internal)

  /** The ref of actor `id` of `incarnation`: the interned `ClusterRef`, or the local actor for one of ours. @internal */
  refOf(incarnation: string, id: string): ActorRef {
    return this.#refs.decode(incarnation, id) as ActorRef;
  }

  /** Exports local actor `ref` (until it exits), so other nodes reach it by `[incarnation, id]`. @internal */
  exportRef(ref: ActorRef): void {
    this.#refs.encode(ref);
  }

  /** Incarnation `incarnation` is known lost by other means (its lease was swept or replaced): down now, as for a timeout. @internal */
  declareDown(incarnation: string, reason: NodeDownReason): void {
    const peer = this.#peers.get(incarnation);
    if (peer !== undefined) this.#down(peer, reason, true);
  }

  // ------------------------------------------------------------------ peers and channels

  /** The peer a ref lives on (created pending when unknown); null for a dead ref of this node. */
  #peerFor(ref: ClusterRef): Peer | null {
    if (this.#refs.isOwn(ref.incarnation)) return null;
    let peer = this.#peers.get(ref.incarnation);
    if (peer === undefined) {
      if (this.#left) return null;
      this.#peers.set(ref.incarnation, (peer = new Peer(ref.incarnation, Date.now())));
    }
    return peer;
  }

  /** The newest up incarnation of a node name. */
  #upPeer(name: string): Peer | undefined {
    let found: Peer | undefined;
    for (const p of this.#peers.values()) if (p.state === 'up' && p.name === name) found = p;
    return found;
  }

  /** `noproc` for a ref of this node or of an earlier run of a node (a newer one is up); `noconnection` otherwise. */
  #unreachableReason(peer: Peer | null): 'noproc' | 'noconnection' {
    if (peer === null) return 'noproc';
    const newer = this.#upPeer(peer.name);
    return newer !== undefined && newer !== peer ? 'noproc' : 'noconnection';
  }

  #unreachable(ref: ClusterRef, peer: Peer | null, operation: string): Error {
    if (this.#left) return new ClusterLeftError(this.self.name, operation);
    return this.#unreachableReason(peer) === 'noproc' ? new NoProcError(ref, operation) : new CallExitError(ref, 'noconnection');
  }

  /** Encodes `frame` into the peer's batch (an unserialisable one throws, nothing queued) for the end of the turn. */
  #queue(peer: Peer, frame: unknown[]): void {
    this.#codec.encodeInto(frame, peer.out);
    this.#queued(peer);
  }

  /** A frame joined the peer's batch: the batch goes at the end of the turn, or now when full. */
  #queued(peer: Peer): void {
    const out = peer.out;
    // A batch stays under the bus's limit: at most a quarter of it before its last frame, a frame at most three quarters.
    const limit = this.#transport.maxPayload ?? 1 << 20;
    if (out.lastLength > (limit * 3) >> 2) {
      const bytes = out.lastLength;
      out.dropLast();
      throw new MessageTooLargeError(bytes, (limit * 3) >> 2);
    }
    if (out.count === 1) this.#dirty.push(peer);
    if (out.count >= MAX_FRAMES_PER_BATCH || out.bytes >= limit >> 2) {
      this.#send(peer);
      return;
    }
    if (!this.#flushQueued) {
      this.#flushQueued = true;
      queueMicrotask(() => this.#flush());
    }
  }

  #flush(): void {
    this.#flushQueued = false;
    const dirty = this.#dirty.splice(0);
    for (const peer of dirty) this.#send(peer);
  }

  /** Publishes a peer's queued frames as one batch with the channel's next sequence number. */
  #send(peer: Peer): void {
    if (peer.out.count === 0 || peer.state === 'down') {
      peer.out.clear();
      return;
    }
    const bytes = peer.out.take(this.#codec, this.self.incarnation, peer.outEpoch, ++peer.outSeq);
    this.#transport.publish(`arbor.${this.#options.cluster}.n.${peer.incarnation}`, bytes);
  }

  /** Out of band: tells a peer we dropped its channel up to `closedEpoch` (it fires its side). */
  #sendReset(peer: Peer): void {
    const reset = new FrameBatch(16);
    this.#codec.encodeInto([RESET, peer.inMin - 1], reset);
    this.#transport.publish(`arbor.${this.#options.cluster}.n.${peer.incarnation}`, reset.take(this.#codec, this.self.incarnation, peer.outEpoch, 0));
  }

  #onBatch(data: Uint8Array): void {
    if (this.#left) return;
    let batch: ReceivedBatch;
    try {
      batch = readBatch(this.#codec, data);
    } catch (e) {
      this.#logger.warn('cluster: undecodable batch dropped', { report: 'cluster_bad_batch', node: this.self.name, reason: String(e) });
      return;
    }
    const { from, epoch, seq } = batch;
    if (typeof from !== 'string' || from === this.self.incarnation) return;
    let peer = this.#peers.get(from);
    if (peer === undefined) this.#peers.set(from, (peer = new Peer(from, Date.now())));
    if (seq === 0) {
      // Out-of-band reset: the sender refuses our frames of epochs up to closed.
      let closed: unknown;
      readFrames(this.#codec, batch, (f) => ((closed = (f as unknown[])[1]), false), () => {});
      if (typeof closed === 'number' && peer.outEpoch <= closed) {
        peer.outEpoch = closed + 1;
        peer.outSeq = 0;
        this.#down(peer, 'reset', false);
      }
      return;
    }
    if (epoch < peer.inMin) {
      // A channel we closed: the sender missed our reset; tell it again (at most once a heartbeat).
      const now = Date.now();
      if (now - peer.lastReset >= this.#options.heartbeatMs) {
        peer.lastReset = now;
        this.#sendReset(peer);
      }
      return;
    }
    if (epoch > peer.inEpoch) {
      if (seq !== 1) {
        this.#down(peer, 'sequence_gap', true);
        return;
      }
      peer.inEpoch = epoch;
      peer.inSeq = 1;
    } else if (seq !== peer.inSeq + 1) {
      this.#down(peer, 'sequence_gap', true);
      return;
    } else {
      peer.inSeq = seq;
    }
    this.#heard(peer);
    handleBatch(this.#inbound, this.#codec, peer, batch);
  }

  /** Queues an answer frame; dropped if the peer is down by now. */
  #reply(peer: Peer, frame: unknown[]): void {
    if (peer.state === 'down' || this.#left) return;
    try {
      this.#queue(peer, frame);
    } catch (e) {
      // A reply that cannot cross (unserialisable, too large): the caller gets the error instead of a hang.
      if (frame[0] === REPLY) this.#queue(peer, [CALL_FAIL, frame[1], 'error', e]);
    }
  }

  // ------------------------------------------------------------------ liveness

  #beat(kind: 'hb' | 'leave'): void {
    const beat: Beat = [kind, this.self.incarnation, this.self.name, this.#detector.lastLagMs, Peer.lastSent(this.#peers.values())];
    this.#transport.publish(`arbor.${this.#options.cluster}.hb`, this.#codec.encode(beat));
  }

  #onBeat(data: Uint8Array): void {
    if (this.#left) return;
    let beat: Beat;
    try {
      beat = this.#codec.decode(data) as Beat;
    } catch {
      return;
    }
    const [kind, inc] = beat;
    if (typeof inc !== 'string' || inc === this.self.incarnation) return;
    let peer = this.#peers.get(inc);
    if (kind === 'leave') {
      if (peer !== undefined) {
        this.#down(peer, 'leave', false);
        peer.gone = true;
      }
      return;
    }
    if (peer === undefined) this.#peers.set(inc, (peer = new Peer(inc, Date.now())));
    if (peer.gone) return;
    this.#heard(peer);
    if (peer.tailLost(beat[4]?.[this.self.incarnation])) this.#down(peer, 'sequence_gap', true);
  }

  #heard(peer: Peer): void {
    peer.lastHeard = Date.now();
    if (peer.state === 'up' || peer.gone) return;
    peer.state = 'up';
    this.#logger.info(`cluster: node ${peer.name} up`, { report: 'nodeup', node: this.self.name, peer: peer.incarnation });
    this.#watchers.emit({ type: 'nodeup', node: { name: peer.name, incarnation: peer.incarnation } });
  }

  #allDown(reason: NodeDownReason): void {
    for (const peer of this.#peers.values()) this.#down(peer, reason, reason !== 'left');
  }

  /**
   * The channel to `peer` is lost: every link across delivers `noconnection`, every monitor
   * a DOWN, every pending call and spawn rejects, node monitors fire; each once. Frames of
   * the old channel are refused from here on, and `notify` tells the peer to fire its side.
   */
  #down(peer: Peer, reason: NodeDownReason, notify: boolean): void {
    if (peer.state === 'down') return;
    const wasUp = peer.state === 'up';
    peer.state = 'down';
    peer.inMin = peer.inEpoch + 1;
    peer.outEpoch++;
    peer.outSeq = 0;
    peer.behind = null;
    peer.out.clear();
    if (notify && !this.#left) this.#sendReset(peer);
    peer.loseEverything(this.#system, () => (this.#left ? new ClusterLeftError(this.self.name, 'spawn') : new NoNodeError(peer.name, 'spawn', this.nodes().map((n) => n.name))));
    if (!wasUp) return;
    this.#logger.info(`cluster: node ${peer.name} down (${reason})`, { report: 'nodedown', node: this.self.name, peer: peer.incarnation, reason });
    if (this.#upPeer(peer.name) === undefined) this.#watchers.nodeDown(peer.name);
    this.#watchers.emit({ type: 'nodedown', node: { name: peer.name, incarnation: peer.incarnation }, reason });
  }
}
