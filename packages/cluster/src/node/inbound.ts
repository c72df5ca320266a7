import {
  acceptRemoteLink,
  acceptRemoteUnlink,
  CallExitError,
  deliverRemoteDown,
  deliverRemoteExit,
  MessageDroppedError,
  monitorForRemote,
  NoProcError,
  type ActorRef,
  type ActorSystem,
  type AnyBehaviour,
  type BehaviourClass,
} from '@arbor/core';
import type { Logger } from 'winston';
import { UnknownBehaviourError } from '../errors/nodeErrors.js';
import { ClusterRef } from './ClusterRef.js';
import { CALL, CALL_FAIL, CAST, CAST_AT, DEMONITOR, DOWN, EXIT, INFO, INFO_AT, LINK, MONITOR, NAME, REPLY, SPAWN, SPAWNED, UNLINK, WHERE, WHEREIS } from './frames.js';
import type { Peer } from './Peer.js';
import { readFrames, type ReceivedBatch } from '../wire/FrameBatch.js';
import type { FrameCodec } from '../wire/FrameCodec.js';

/**
 * What the handling of an incoming frame needs of its node: the exported local actors, the
 * system, interned refs, and a way to answer. The node's side of the protocol for frames
 * that arrive; `Cluster` keeps what goes out and liveness. @internal
 *
 * @example
 * handleFrame(node, peer, [CAST, 'V1StGX', { type: 'inc' }]);
 */
export interface InboundNode {
  readonly self: { readonly name: string; readonly incarnation: string };
  readonly system: ActorSystem;
  readonly logger: Logger;
  readonly behaviours: Readonly<Record<string, BehaviourClass<AnyBehaviour>>>;
  /** Local actors whose refs went out, by id. */
  readonly exports: ReadonlyMap<string, ActorRef>;
  /** The interned ref of actor `id` of incarnation `incarnation`. */
  ref(incarnation: string, id: string): ClusterRef;
  /** Queues a frame to `peer` (an encoding error throws). */
  queueFrame(peer: Peer, frame: unknown[]): void;
  /** Queues an answer frame; dropped if the peer is down by now, an unencodable reply becomes a call failure. */
  reply(peer: Peer, frame: unknown[]): void;
}

/**
 * Applies a batch's frames from `peer` in order (decoded in one pass), stopping once the peer
 * is down: a frame that fails to decode is logged (`cluster_bad_frame`) and skipped, one whose
 * handling throws is logged (`cluster_frame_error`).
 */
export function handleBatch(node: InboundNode, codec: FrameCodec, peer: Peer, batch: ReceivedBatch): void {
  const from = peer.incarnation;
  const onFrame = (frame: unknown): boolean => {
    try {
      handleFrame(node, peer, frame as unknown[]);
    } catch (e) {
      node.logger.error('cluster: frame failed', { report: 'cluster_frame_error', node: node.self.name, from, kind: (frame as unknown[])[0], reason: String(e) });
    }
    return peer.state !== 'down';
  };
  readFrames(codec, batch, onFrame, (e) => {
    node.logger.warn('cluster: undecodable frame dropped', { report: 'cluster_bad_frame', node: node.self.name, from, reason: String(e) });
  });
}

/** Applies one frame from `peer` to this node's actors. */
export function handleFrame(node: InboundNode, peer: Peer, f: unknown[]): void {
  switch (f[0]) {
    case CAST_AT:
    case INFO_AT: {
      const id = peer.names.get(peer.inEpoch, f[1]);
      if (id === undefined) throw new Error(`a cast to index ${String(f[1])}, which no NAME frame of this channel announced`);
      deliverCast(node, id, f[0] === CAST_AT, f[2]);
      return;
    }
    case NAME:
      if (!peer.names.set(peer.inEpoch, f[1], f[2])) throw new Error('a malformed NAME frame');
      return;
    case CAST:
    case INFO:
      deliverCast(node, f[1] as string, f[0] === CAST, f[2]);
      return;
    case CALL: {
      const cid = f[2] as number;
      const local = node.exports.get(f[1] as string);
      if (local === undefined) {
        node.reply(peer, [CALL_FAIL, cid, 'noproc', null]);
        return;
      }
      node.system.call(local, f[3] as never, { timeout: Infinity }).then(
        (value) => node.reply(peer, [REPLY, cid, value]),
        (e: unknown) => {
          if (e instanceof NoProcError) node.reply(peer, [CALL_FAIL, cid, 'noproc', null]);
          else if (e instanceof CallExitError) node.reply(peer, [CALL_FAIL, cid, 'exit', e.reason]);
          else if (e instanceof MessageDroppedError) node.reply(peer, [CALL_FAIL, cid, 'dropped', e.policy]);
          else node.reply(peer, [CALL_FAIL, cid, 'error', e]);
        },
      );
      return;
    }
    case REPLY:
    case CALL_FAIL: {
      const pending = peer.calls.get(f[1] as number);
      if (pending === undefined) return; // timed out: a late reply is dropped
      peer.calls.delete(f[1] as number);
      clearTimeout(pending.timer);
      if (f[0] === REPLY) pending.resolve(f[2]);
      else if (f[2] === 'noproc') pending.reject(new NoProcError(pending.ref, 'call'));
      else if (f[2] === 'exit') pending.reject(new CallExitError(pending.ref, f[3]));
      else if (f[2] === 'dropped') pending.reject(new MessageDroppedError(pending.ref, f[3] as 'drop_newest'));
      else pending.reject(f[3]);
      return;
    }
    case EXIT: {
      const local = node.exports.get(f[1] as string);
      const from = f[2];
      if (local === undefined) return;
      const linked = f[4] === 1;
      if (!(from instanceof ClusterRef)) {
        // exit(ref, reason) called outside any actor on the other node.
        if (!linked) node.system.exit(local, f[3] as never);
        return;
      }
      if (linked) peer.removeLink(from, local);
      deliverRemoteExit(local, from, f[3], { linked });
      return;
    }
    case LINK: {
      const local = node.exports.get(f[1] as string);
      const from = f[2];
      if (!(from instanceof ClusterRef)) return;
      if (local !== undefined && acceptRemoteLink(local, from)) peer.addLink(from, local);
      else node.queueFrame(peer, [EXIT, from.id, node.ref(node.self.incarnation, f[1] as string), 'noproc', 1]);
      return;
    }
    case UNLINK: {
      const local = node.exports.get(f[1] as string);
      const from = f[2];
      if (local === undefined || !(from instanceof ClusterRef)) return;
      peer.removeLink(from, local);
      acceptRemoteUnlink(local, from);
      return;
    }
    case MONITOR: {
      const monitorId = f[2] as number;
      const local = node.exports.get(f[1] as string);
      if (local === undefined) {
        node.reply(peer, [DOWN, monitorId, 'noproc']);
        return;
      }
      let fired = false;
      const mref = monitorForRemote(local, `node:${peer.name}`, (reason) => {
        fired = true;
        peer.monitorsServed.delete(monitorId);
        node.reply(peer, [DOWN, monitorId, reason]);
      });
      if (!fired) peer.monitorsServed.set(monitorId, mref);
      return;
    }
    case DEMONITOR: {
      const mref = peer.monitorsServed.get(f[2] as number);
      if (mref === undefined) return;
      peer.monitorsServed.delete(f[2] as number);
      node.system.demonitor(mref);
      return;
    }
    case DOWN: {
      const held = peer.monitorsHeld.get(f[1] as number);
      if (held === undefined) return;
      peer.monitorsHeld.delete(f[1] as number);
      deliverRemoteDown(held.mref, f[2]);
      return;
    }
    case SPAWN:
      serveSpawn(node, peer, f[1] as number, f[2] as string, f[3], f[4]);
      return;
    case WHEREIS: {
      const name = f[2];
      const ref = typeof name === 'string' && name !== '' ? node.system.whereis(name) : undefined;
      node.reply(peer, [WHERE, f[1], ref ?? null]);
      return;
    }
    case WHERE: {
      const pending = peer.lookups.get(f[1] as number);
      if (pending === undefined) return;
      peer.lookups.delete(f[1] as number);
      clearTimeout(pending.timer);
      pending.resolve(f[2] instanceof ClusterRef ? f[2] : null);
      return;
    }
    case SPAWNED: {
      const pending = peer.spawns.get(f[1] as number);
      if (pending === undefined) return;
      peer.spawns.delete(f[1] as number);
      clearTimeout(pending.timer);
      if (Array.isArray(f[4])) pending.reject(new UnknownBehaviourError(pending.behaviour, peer.name, f[4] as string[]));
      else if (f[3] !== null && f[3] !== undefined) pending.reject(f[3]);
      else pending.resolve(f[2]);
      return;
    }
  }
}

/** A cast (or info message) from another node to local actor `id`; dropped if it is gone. */
function deliverCast(node: InboundNode, id: string, cast: boolean, msg: unknown): void {
  const local = node.exports.get(id);
  if (local === undefined) return;
  try {
    if (cast) node.system.cast(local, msg as never);
    else node.system.send(local, msg as never);
  } catch (e) {
    node.logger.debug('cluster: remote message dropped', { report: 'cluster_message_dropped', actor: local.id, reason: String(e) });
  }
}

function serveSpawn(node: InboundNode, peer: Peer, id: number, name: string, arg: unknown, link: unknown): void {
  const behaviour = Object.hasOwn(node.behaviours, name) ? node.behaviours[name] : undefined;
  if (behaviour === undefined) {
    node.reply(peer, [SPAWNED, id, null, null, Object.keys(node.behaviours)]);
    return;
  }
  node.system.spawn(behaviour, arg as never).then(
    (ref) => {
      if (link instanceof ClusterRef) {
        if (peer.state === 'down' || !acceptRemoteLink(ref, link, { parent: true })) {
          // The requester is gone: the new actor gets its link's exit, as with a link made a moment earlier.
          deliverRemoteExit(ref, link, 'noconnection', { linked: false });
        } else peer.addLink(link, ref);
      }
      node.reply(peer, [SPAWNED, id, ref, null]);
    },
    (e: unknown) => node.reply(peer, [SPAWNED, id, null, e]),
  );
}
