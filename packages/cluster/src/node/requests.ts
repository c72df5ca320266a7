import { acceptRemoteLink, InvalidOptionError, isActorRef, type Protocol } from '@arbor/core';
import { ClusterLeftError, NoNodeError, RemoteLookupTimeoutError, RemoteSpawnTimeoutError } from '../errors/nodeErrors.js';
import { requestTimeout } from './ClusterOptions.js';
import { ClusterRef } from './ClusterRef.js';
import { SPAWN, WHEREIS } from './frames.js';
import type { NodeId, RemoteSpawnOptions } from './NodeEvent.js';
import type { Peer } from './Peer.js';

/**
 * What a request to another node (a remote spawn, a name lookup) needs of its node: the
 * peers up, a request id, and a way to send a frame. Each request settles once: with the
 * answer, at its timeout, or when the node is lost (`Peer.loseEverything`). @internal
 *
 * @example
 * const ref = await requestSpawn(node, 'api-2', 'Worker', arg, { link });
 */
export interface RequestingNode {
  readonly self: NodeId;
  readonly left: boolean;
  upPeer(name: string): Peer | undefined;
  nodes(): NodeId[];
  nextRequest(): number;
  /** Encodes `frame` into `peer`'s batch (an unencodable frame throws) and queues the batch. */
  send(peer: Peer, frame: unknown[]): void;
}

function peerOrThrow(node: RequestingNode, name: unknown, operation: string): Peer {
  const peer = typeof name === 'string' ? node.upPeer(name) : undefined;
  if (peer === undefined) throw new NoNodeError(String(name), operation, node.nodes().map((n) => n.name));
  return peer;
}

/** `cluster.spawn`: starts `behaviour` on node `target`, linked to `options.link` atomically when given. @internal */
export function requestSpawn<P extends Protocol>(node: RequestingNode, target: string, behaviour: string, arg: unknown, options: RemoteSpawnOptions | undefined): Promise<ClusterRef<P>> {
  try {
    if (node.left) throw new ClusterLeftError(node.self.name, 'spawn');
    if (typeof target !== 'string' || target === '') throw new InvalidOptionError('spawn: node', 'a node name (see cluster.nodes())', target);
    if (typeof behaviour !== 'string' || behaviour === '') throw new InvalidOptionError('spawn: behaviour', 'a behaviour name the node offers in joinCluster({ behaviours })', behaviour);
    const timeout = requestTimeout('spawn', options?.timeout);
    const link = options?.link;
    if (link !== undefined && !isActorRef(link)) throw new InvalidOptionError('spawn: options.link', 'a local ActorRef to link the new actor to', link);
    const peer = peerOrThrow(node, target, 'spawn');
    const id = node.nextRequest();
    node.send(peer, [SPAWN, id, behaviour, arg, link ?? null]); // the batch goes at the end of the turn: the entry below is in place by then
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        peer.spawns.delete(id);
        reject(new RemoteSpawnTimeoutError(target, behaviour, timeout));
      }, timeout);
      const done = (ref: unknown): void => {
        if (link !== undefined && ref instanceof ClusterRef) {
          // The far side linked the child to `link` already: record our half (spawn_link).
          if (acceptRemoteLink(link, ref)) peer.addLink(ref, link);
          else ref.linkedExit(link, 'noproc');
        }
        resolve(ref as ClusterRef<P>);
      };
      peer.spawns.set(id, { behaviour, resolve: done, reject, timer });
    });
  } catch (e) {
    return Promise.reject(e);
  }
}

/** `cluster.whereisOn`: the actor registered under local name `name` on node `target`, or null. @internal */
export function requestLookup<P extends Protocol>(node: RequestingNode, target: string, name: string, options: { readonly timeout?: number } | undefined): Promise<ClusterRef<P> | null> {
  try {
    if (node.left) throw new ClusterLeftError(node.self.name, 'whereisOn');
    if (typeof name !== 'string' || name === '') throw new InvalidOptionError('whereisOn: name', 'a local name registered on that node (system.spawn(B, arg, { name }))', name);
    const timeout = requestTimeout('whereisOn', options?.timeout);
    const peer = peerOrThrow(node, target, 'whereisOn');
    const id = node.nextRequest();
    node.send(peer, [WHEREIS, id, name]);
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        peer.lookups.delete(id);
        reject(new RemoteLookupTimeoutError(target, name, timeout));
      }, timeout);
      peer.lookups.set(id, { resolve: (ref) => resolve(ref as ClusterRef<P> | null), reject, timer });
    });
  } catch (e) {
    return Promise.reject(e);
  }
}
