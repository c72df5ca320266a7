import { deliverRemoteDown, deliverRemoteExit, type ActorRef, type MonitorRef } from '@arbor/core';
import type { ClusterRef } from './ClusterRef.js';
import { DEMONITOR, EXIT, LINK, MONITOR, UNLINK } from './frames.js';
import type { Peer } from './Peer.js';

/**
 * What a `ClusterRef` needs of its node to send the kernel's signals (exit signals, links,
 * monitors) to the actor it names: the peer it lives on and a way to queue a frame. The
 * node's side of the protocol for signals that leave; `inbound.ts` applies the ones that
 * arrive. An unreachable node answers as Erlang does: a link gets its exit and a monitor its
 * DOWN (`noconnection`, or `noproc` for a ref of an earlier run), asynchronously. @internal
 *
 * @example
 * linkTo(cluster.outbound, ref, from);
 */
export interface OutboundNode {
  /** The peer `ref` lives on (created pending when unknown); null for a dead ref of this node. */
  peerFor(ref: ClusterRef): Peer | null;
  unreachableReason(peer: Peer | null): 'noproc' | 'noconnection';
  /** Encodes `frame` into the peer's batch (an unencodable frame throws) and queues the batch. */
  queue(peer: Peer, frame: unknown[]): void;
  /** Only encodes `frame`: an unserialisable message throws at the sender even with nowhere to send it. */
  encode(frame: unknown[]): void;
}

function reachable(peer: Peer | null): peer is Peer {
  return peer !== null && peer.state !== 'down';
}

/** `exit(ref, reason)` from `from` (null: outside any actor). @internal */
export function exitSignal(node: OutboundNode, ref: ClusterRef, from: ActorRef | null, reason: unknown): void {
  const peer = node.peerFor(ref);
  const frame = [EXIT, ref.id, from, reason, 0];
  if (reachable(peer)) node.queue(peer, frame);
  else node.encode(frame);
}

/** Local actor `from` links to `ref` (the kernel recorded its half). @internal */
export function linkTo(node: OutboundNode, ref: ClusterRef, from: ActorRef): void {
  const peer = node.peerFor(ref);
  if (!reachable(peer)) {
    const reason = node.unreachableReason(peer);
    queueMicrotask(() => deliverRemoteExit(from, ref, reason, { linked: true }));
    return;
  }
  peer.addLink(ref, from);
  node.queue(peer, [LINK, ref.id, from]);
}

/** Local actor `from` removes its link to `ref`. @internal */
export function unlinkFrom(node: OutboundNode, ref: ClusterRef, from: ActorRef): void {
  const peer = node.peerFor(ref);
  if (peer === null) return;
  peer.removeLink(ref, from);
  if (peer.state !== 'down') node.queue(peer, [UNLINK, ref.id, from]);
}

/**
 * Local actor `from`, linked to `ref`, exited with `reason`: the link's exit signal. Called
 * inside the actor's exit, so it must not throw: a reason that cannot cross goes as its text.
 * @internal
 */
export function linkedExit(node: OutboundNode, ref: ClusterRef, from: ActorRef, reason: unknown): void {
  const peer = node.peerFor(ref);
  if (peer === null || !peer.removeLink(ref, from) || peer.state === 'down') return;
  const frame = [EXIT, ref.id, from, reason, 1];
  try {
    node.queue(peer, frame);
  } catch {
    frame[3] = String(reason).slice(0, 1000); // unserialisable or too large: its text
    node.queue(peer, frame);
  }
}

/** A local watcher monitors `ref` under `mref`. @internal */
export function monitorOf(node: OutboundNode, ref: ClusterRef, mref: MonitorRef): void {
  const peer = node.peerFor(ref);
  if (!reachable(peer)) {
    const reason = node.unreachableReason(peer);
    queueMicrotask(() => deliverRemoteDown(mref, reason));
    return;
  }
  peer.monitorsHeld.set(mref.id, { mref, ref });
  node.queue(peer, [MONITOR, ref.id, mref.id]);
}

/** The monitor `mref` on `ref` was removed locally (demonitor, or its holder exited). @internal */
export function demonitorOf(node: OutboundNode, ref: ClusterRef, mref: MonitorRef): void {
  const peer = node.peerFor(ref);
  if (peer === null || !peer.monitorsHeld.delete(mref.id) || peer.state === 'down') return;
  node.queue(peer, [DEMONITOR, ref.id, mref.id]);
}
