import { randomBytes } from 'node:crypto';
import type { ActorRef } from '@arbor/core';

/** A node of the cluster: its name and the incarnation of this run of it. */
export interface NodeId {
  readonly name: string;
  /** `name~creation`, fresh at every start (Erlang's creation). */
  readonly incarnation: string;
}

/** A fresh incarnation of node `name` (`name~creation`, Erlang's creation). @internal */
export function newIncarnation(name: string): string {
  return `${name}~${randomBytes(6).toString('base64url')}`;
}

/** What `cluster.onNode` listeners get. */
export type NodeEvent =
  | { readonly type: 'nodeup'; readonly node: NodeId }
  | { readonly type: 'nodedown'; readonly node: NodeId; readonly reason: NodeDownReason };

/**
 * Why a node is down: not heard for `downAfterMs`, a broken channel (a sequence gap or its
 * reset), its graceful leave, its connection closed (a `$SYS` event: a crash), our own
 * connection lost, we left, this node was fenced and rejoined as a new incarnation, or its
 * lease in the registry's bucket was swept or taken over.
 */
export type NodeDownReason = 'timeout' | 'sequence_gap' | 'reset' | 'leave' | 'connection_closed' | 'disconnected' | 'left' | 'fenced' | 'lease';

/** The message a node monitor delivers (as info) when the node goes down. */
export interface NodeDownMessage {
  readonly type: 'nodedown';
  readonly node: string;
}

/** Options of `cluster.spawn`. */
export interface RemoteSpawnOptions {
  /** How long to wait for the node's answer (default 5000 ms). */
  readonly timeout?: number;
  /** Link the new actor to this local actor, atomically with the spawn (OTP's spawn_link). */
  readonly link?: ActorRef;
}
