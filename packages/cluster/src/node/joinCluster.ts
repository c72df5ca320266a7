import { InvalidOptionError, type ActorSystem } from '@arbor/core';
import { NatsTransport } from '../transport/NatsTransport.js';
import { watchDisconnects } from '../transport/SysEvents.js';
import type { Transport } from '../transport/Transport.js';
import { Cluster } from './Cluster.js';
import { newIncarnation } from './NodeEvent.js';
import { NatsKvStore } from '../kv/NatsKvStore.js';
import type { KvStore } from '../kv/KvStore.js';
import { ClusterRegistry, type ClusterRegistryOptions } from '../registry/ClusterRegistry.js';
import { KvUnavailableError } from '../errors/KvUnavailableError.js';
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
  if (options.registry !== undefined && options.registry !== false) {
    try {
      await startRegistry(system, cluster, options, transport);
    } catch (e) {
      await cluster.leave();
      throw e;
    }
  }
  return cluster;
}

/**
 * The registry and this node's lease: on the given store, or on the JetStream KV bucket
 * `arbor_<cluster>` of the NATS connection. A fenced node (its holders already exited)
 * rejoins as a new incarnation and takes its lease again.
 */
async function startRegistry(system: ActorSystem, cluster: Cluster, options: ClusterOptions, transport: Transport): Promise<void> {
  const r = options.registry === true ? {} : (options.registry as Exclude<ClusterOptions['registry'], boolean | undefined>);
  const timeoutMs = r.timeoutMs ?? 2000;
  let kv: KvStore;
  let close = (): Promise<void> => Promise.resolve();
  if (r.kv !== undefined) kv = r.kv;
  else {
    if (!(transport instanceof NatsTransport)) throw new InvalidOptionError('joinCluster: options.registry', 'a store { kv } when the transport is not NATS', r);
    const nats = await NatsKvStore.open(transport.connection, r.bucket ?? `arbor_${options.cluster}`, { replicas: r.replicas ?? 1, timeoutMs });
    kv = nats;
    close = () => nats.close();
  }
  let registry: ClusterRegistry | undefined = undefined;
  // A bucket just created (or servers just started) may not answer its first writes in time: try again for a while.
  const deadline = Date.now() + 10_000;
  for (;;) {
    try {
      registry = await ClusterRegistry.start(cluster, kv, registryOptions());
      break;
    } catch (e) {
      if (!(e instanceof KvUnavailableError) || Date.now() > deadline) {
        await close();
        throw e;
      }
    }
  }
  cluster.attachRegistry(registry, close);

  function registryOptions(): ClusterRegistryOptions {
    return {
      timeoutMs,
      logger: system.logger,
      ...(options.leaseMs === undefined ? {} : { leaseMs: options.leaseMs }),
      ...(options.leaseTimeoutMs === undefined ? {} : { leaseTimeoutMs: options.leaseTimeoutMs }),
      onFenced: () => {
        if (cluster.left) return;
        cluster.rejoin();
        void registry?.leases.rejoin();
      },
    };
  }
}
