/**
 * The setup `remote_call_us` and `remote_call_pipelined` share: the workload's own
 * nats-server, the bench process's node and a child node, a BenchEcho on the child, and the
 * bare NATS echo child with its caller (the `bare_nats` reference). `withEchoNodes` starts
 * them, runs the workload's body and ends them all, whether the body succeeds or throws.
 */
import type { ClusterRef } from '@arbor/cluster';
import type { NatsServer } from '@arbor/test-support';
import type { EchoProtocol } from './actors.js';
import { startChildNode, startLocalNode, type LocalNode } from './benchNodes.js';
import { clusterModule, ClusterProcesses } from './processes.js';
import { BareNatsCaller, NATS_ECHO_SUBJECT } from './rawLimits.js';

/** What a remote-call workload gets from `withEchoNodes`. */
export interface EchoNodes {
  /** The workload's processes: more children may be started (they are stopped with the rest). */
  readonly procs: ClusterProcesses;
  readonly server: NatsServer;
  readonly local: LocalNode;
  /** The BenchEcho on the child node. */
  readonly far: ClusterRef<EchoProtocol>;
  /** Bare NATS request/reply to the child echo: one reply subject, correlation ids, 64-byte payloads. */
  readonly nats: BareNatsCaller;
}

/**
 * Starts the echo setup for `workload`, runs `body` with it, then stops everything.
 *
 * @example
 * return withEchoNodes('remote_call_us', async ({ far, nats }) => { await call(far, { type: 'echo', value: 1 }); ... });
 */
export async function withEchoNodes<T>(workload: string, body: (nodes: EchoNodes) => Promise<T>): Promise<T> {
  const procs = new ClusterProcesses(workload);
  let local: LocalNode | undefined;
  let nats: BareNatsCaller | undefined;
  try {
    const server = await procs.natsServer();
    local = await startLocalNode(server);
    await startChildNode(procs, server, local.cluster, 'child');
    const far = await local.cluster.spawn<EchoProtocol>('child', 'BenchEcho');
    await procs.child(clusterModule('natsEcho'), [server.url, NATS_ECHO_SUBJECT]);
    nats = await BareNatsCaller.connect(server.url);
    return await body({ procs, server, local, far, nats });
  } finally {
    await nats?.close().catch(() => {});
    await local?.stop().catch(() => {});
    await procs.stopAll();
  }
}
