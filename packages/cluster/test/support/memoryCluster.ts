/** Two or three systems in one process, joined over an in-memory network with fault switches. */
import { createLogger, createSystem, type ActorSystem } from '@arbor/core';
import { eventually } from '@arbor/test-support';
import { joinCluster, type Cluster } from '../../src/index.js';
import { MemoryNetwork } from '../../src/transport/MemoryNetwork.js';
import type { MemoryTransport } from '../../src/transport/MemoryTransport.js';
import { NodeProbe } from './actors.js';

export interface TestNode {
  readonly name: string;
  readonly system: ActorSystem;
  readonly cluster: Cluster;
  readonly transport: MemoryTransport;
}

export interface MemoryCluster {
  readonly net: MemoryNetwork;
  readonly nodes: TestNode[];
  /** Joins one more node (a new incarnation if the name was used before). */
  add(name: string): Promise<TestNode>;
  /** Leaves and shuts every node down. */
  stop(): Promise<void>;
}

/** Test timings: a peer is down after 4 missed heartbeats of 25 ms. */
export const FAST = { heartbeatMs: 25, downAfterMs: 100 } as const;

export async function memoryCluster(
  names: readonly string[],
  timing: { heartbeatMs: number; downAfterMs: number } = FAST,
  extra: { readonly connectionEvents?: boolean } = {},
): Promise<MemoryCluster> {
  const net = new MemoryNetwork();
  const nodes: TestNode[] = [];
  const all: TestNode[] = [];
  const add = async (name: string): Promise<TestNode> => {
    const system = createSystem({ name, logger: createLogger('silent') });
    const transport = net.connect(name);
    const disconnects = extra.connectionEvents === true ? (cb: (name: string) => void) => net.onDisconnect(cb) : undefined;
    const cluster = await joinCluster(system, { cluster: 't', node: name, transport, behaviours: { NodeProbe }, ...timing, ...(disconnects === undefined ? {} : { disconnects }) });
    const node = { name, system, cluster, transport };
    nodes.push(node);
    all.push(node);
    return node;
  };
  for (const n of names) await add(n);
  const seen = await eventually(() => nodes.every((n) => n.cluster.nodes().length === nodes.length - 1), 5000);
  if (!seen) throw new Error('the nodes never saw each other');
  return {
    net,
    nodes,
    add,
    stop: async () => {
      for (const n of all) {
        await n.cluster.leave();
        await n.system.shutdown();
        await n.transport.close();
      }
    },
  };
}
