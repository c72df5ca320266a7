import { InvalidOptionError, type ActorSystem } from '@arbor/core';
import { NatsTransport } from '../transport/NatsTransport.js';
import { watchDisconnects } from '../transport/SysEvents.js';
import type { Transport } from '../transport/Transport.js';
import { Cluster } from './Cluster.js';
import { newIncarnation } from './NodeEvent.js';
import { resolveClusterOptions, type ClusterOptions } from './ClusterOptions.js';

/**
 * Joins `system` to a cluster: connects to NATS (or uses `options.transport`), subscribes
 * once for this node, announces it and starts the failure detector. Refs of other nodes'
 * actors then work with core's `call`, `cast`, `send`, `exit`, `link` and `monitor`.
 *
 * @example
 * const cluster = await joinCluster(system, { cluster: 'shop', node: 'api-1', nats: { servers: 'nats://127.0.0.1:4222' }, behaviours: { Worker } });
 */
export async function joinCluster(system: ActorSystem, options: ClusterOptions): Promise<Cluster> {
  if (typeof system !== 'object' || system === null || typeof (system as ActorSystem).spawn !== 'function') {
    throw new InvalidOptionError('joinCluster: system', 'an ActorSystem (createSystem())', system);
  }
  const resolved = resolveClusterOptions(options);
  const incarnation = newIncarnation(resolved.node);
  let transport: Transport;
  let owns = false;
  if (options.transport !== undefined) transport = options.transport;
  else {
    const { servers, ...rest } = options.nats!;
    // The connection is named after the incarnation: $SYS events then say which run of the node closed.
    transport = await NatsTransport.connect({ ...rest, servers: servers as string | string[], name: incarnation });
    owns = true;
  }
  const cluster = new Cluster(system, resolved, transport, owns, incarnation);
  if (options.sys !== undefined) {
    let onClosed: ((name: string) => void) | undefined;
    try {
      const watcher = await watchDisconnects({ servers: options.nats!.servers, user: options.sys.user, pass: options.sys.pass, name: `${incarnation}-sys` }, (name) => onClosed?.(name));
      cluster.watchConnections((cb) => {
        onClosed = cb;
        return () => void watcher.close();
      });
    } catch (e) {
      if (owns) await transport.close();
      throw e;
    }
  } else if (options.disconnects !== undefined) {
    cluster.watchConnections(options.disconnects);
  }
  cluster.start();
  return cluster;
}
