import { RemoteActorRef, type ActorRef, type MonitorRef, type Protocol, type protocolType } from '@arbor/core';
import { demonitorOf, exitSignal, linkedExit, linkTo, monitorOf, unlinkFrom } from './outbound.js';
import type { Cluster } from './Cluster.js';

/**
 * A ref of an actor on another node of the cluster (or of a dead actor of an earlier run).
 * Core's `call`, `cast`, `send`, `exit`, `link`, `unlink`, `monitor` and `demonitor` take it
 * as they take a local ref; it is what a ref in a message from another node decodes to.
 * Refs are interned per node: the same actor gives the same object.
 *
 * @example
 * const ref = await cluster.spawn<CounterProtocol>('node-b', 'Counter', 0);
 * await call(ref, { type: 'get' }); // typed as locally
 */
export class ClusterRef<P extends Protocol = any> extends RemoteActorRef implements ActorRef<P> {
  declare readonly [protocolType]?: P;
  /** @internal */
  constructor(
    /** The actor's id on its node. */
    readonly id: string,
    /** The node's incarnation (`name~creation`): a ref of an earlier run never reaches a new actor. */
    readonly incarnation: string,
    /** @internal */
    readonly owner: Cluster,
  ) {
    super();
  }

  /** The name of the node the actor runs on. */
  get node(): string {
    return this.incarnation.slice(0, this.incarnation.indexOf('~'));
  }

  get kind(): string {
    return `actor@${this.node}`;
  }

  call(caller: ActorRef | null, request: unknown, timeout: number): Promise<unknown> {
    return this.owner.remoteCall(this, request, timeout);
  }

  cast(msg: unknown): void {
    this.owner.remoteCast(this, msg, false);
  }

  send(msg: unknown): void {
    this.owner.remoteCast(this, msg, true);
  }

  exit(from: ActorRef | null, reason: unknown): void {
    exitSignal(this.owner.outbound, this, from, reason);
  }

  link(from: ActorRef): void {
    linkTo(this.owner.outbound, this, from);
  }

  unlink(from: ActorRef): void {
    unlinkFrom(this.owner.outbound, this, from);
  }

  linkedExit(from: ActorRef, reason: unknown): void {
    linkedExit(this.owner.outbound, this, from, reason);
  }

  monitor(mref: MonitorRef): void {
    monitorOf(this.owner.outbound, this, mref);
  }

  demonitor(mref: MonitorRef): void {
    demonitorOf(this.owner.outbound, this, mref);
  }
}
