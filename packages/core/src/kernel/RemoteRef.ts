import type { ActorRef, MonitorRef } from './ActorRef.js';

/**
 * The kernel's side of a process on another node: what a cluster package implements so
 * that `call`, `cast`, `send`, `exit`, `link`, `unlink`, `monitor` and `demonitor` take its
 * refs as they take local ones. The kernel keeps the local half of every link and monitor
 * (the local cell's `links` and `monitors` hold the remote ref) and tells the remote ref
 * what to send; the cluster tells the kernel what arrived (see `remote/` for those calls).
 *
 * Local refs are tested first everywhere (one `instanceof`), so a remote ref costs local
 * messaging nothing.
 *
 * @example
 * class NodeRef extends RemoteActorRef {
 *   constructor(readonly id: string, readonly node: string) { super(); }
 *   cast(msg: unknown) { channel.frame(['cast', this.id, msg]); }
 *   // ... the other methods
 * }
 */
export abstract class RemoteActorRef implements ActorRef {
  /** The actor's id (unique across the cluster with the node's incarnation). */
  abstract readonly id: string;
  /** What the ref names in errors and dumps, e.g. `Worker@node-b`. */
  abstract readonly kind: string;

  /** A call: resolves with the reply, rejects with core's call errors (`CallExitError('noconnection')` when the node is lost). */
  abstract call(caller: ActorRef | null, request: unknown, timeout: number): Promise<unknown>;
  /** A cast: never throws (a lost frame is lost, as Erlang's are). */
  abstract cast(msg: unknown): void;
  /** An info message: never throws. */
  abstract send(msg: unknown): void;
  /** An exit signal from `from` (null: outside any actor), as `exit(ref, reason)`. */
  abstract exit(from: ActorRef | null, reason: unknown): void;
  /** The local actor `from` linked to this one; the kernel has already recorded its half. */
  abstract link(from: ActorRef): void;
  /** The local actor `from` removed its link; the kernel has already dropped its half. */
  abstract unlink(from: ActorRef): void;
  /** The local actor `from`, linked to this one, exited with `reason`: send the link's exit signal. */
  abstract linkedExit(from: ActorRef, reason: unknown): void;
  /** `watcher` (a local actor, or outside code) monitors this ref under `mref`. */
  abstract monitor(mref: MonitorRef): void;
  /** The monitor `mref` was removed locally (demonitor, or its holder exited). */
  abstract demonitor(mref: MonitorRef): void;

  toString(): string {
    return `ActorRef<${this.kind}#${this.id}>`;
  }

  toJSON(): string {
    return this.id;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}
