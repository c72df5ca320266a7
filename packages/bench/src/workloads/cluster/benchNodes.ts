/**
 * The two Arbor nodes of a cluster workload: one in the bench process (`bench`) and one in a
 * child process (`clusterNode`), both joined to the workload's nats-server with the
 * detector settings of detector.ts.
 */
import { createLogger, createSystem, type ActorSystem } from '@arbor/core';
import { joinCluster, type Cluster } from '@arbor/cluster';
import type { NatsServer } from '@arbor/test-support';
import { CLUSTER_NAME, DOWN_AFTER_MS, HEARTBEAT_MS } from './detector.js';
import { clusterModule, type ClusterProcesses, type ReadyChild } from './processes.js';

/** NATS credentials of a server with accounts (the `$SYS` variant of `nodedown_ms`). */
export interface Credentials {
  readonly user: string;
  readonly pass: string;
}

/** The bench process's node. */
export interface LocalNode {
  readonly system: ActorSystem;
  readonly cluster: Cluster;
  /** Leaves the cluster and shuts the system down. */
  stop(): Promise<void>;
}

/**
 * Joins the bench process to the cluster on `server`, with `$SYS` credentials if given.
 *
 * @example
 * const local = await startLocalNode(server);
 * try { ... } finally { await local.stop(); }
 */
export async function startLocalNode(server: NatsServer, options: { app?: Credentials; sys?: Credentials } = {}): Promise<LocalNode> {
  const system = createSystem({ name: 'bench', logger: createLogger('silent') });
  try {
    const cluster = await joinCluster(system, {
      cluster: CLUSTER_NAME,
      node: 'bench',
      nats: options.app === undefined ? { servers: server.url } : { servers: server.url, ...options.app },
      ...(options.sys === undefined ? {} : { sys: options.sys }),
      heartbeatMs: HEARTBEAT_MS,
      downAfterMs: DOWN_AFTER_MS,
    });
    return {
      system,
      cluster,
      async stop() {
        await cluster.leave();
        await system.shutdown();
      },
    };
  } catch (e) {
    await system.shutdown();
    throw e;
  }
}

/**
 * Starts a child node named `name` and waits (at most 10 s) until the bench node sees it up.
 *
 * @example
 * const child = await startChildNode(procs, server, local.cluster, 'child');
 * const far = await local.cluster.spawn<EchoProtocol>('child', 'BenchEcho');
 */
export async function startChildNode(procs: ClusterProcesses, server: NatsServer, cluster: Cluster, name: string, app?: Credentials): Promise<ReadyChild> {
  const child = await procs.child(clusterModule('clusterNode'), [server.url, name, ...(app === undefined ? [] : [app.user, app.pass])]);
  const incarnation = child.ready['incarnation'];
  const deadline = performance.now() + 10_000;
  while (!cluster.nodes().some((n) => n.incarnation === incarnation)) {
    if (performance.now() > deadline) throw new Error(`the bench node did not see ${name} (${String(incarnation)}) within 10 s`);
    await new Promise((r) => setTimeout(r, 10));
  }
  return child;
}
