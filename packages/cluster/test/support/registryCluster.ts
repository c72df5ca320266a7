/** Two or three memory-cluster nodes, each with a ClusterRegistry on one shared in-memory KV bucket. */
import type { ExitReason } from '@arbor/core';
import { ClusterRegistry, MemoryKvBucket, type FenceReason, type MemoryKvStore } from '../../src/index.js';
import { memoryCluster, type MemoryCluster, type TestNode } from './memoryCluster.js';

export interface RegistryNode extends TestNode {
  readonly kv: MemoryKvStore;
  readonly registry: ClusterRegistry;
  /** Every onFenced call of this node, in order. */
  readonly fenced: FenceReason[];
}

export interface RegistryCluster {
  readonly cluster: MemoryCluster;
  readonly bucket: MemoryKvBucket;
  readonly nodes: RegistryNode[];
  /** A registry for a node that joins now (its KV client is named `kvClient`, default its node name). */
  add(name: string, kvClient?: string): Promise<RegistryNode>;
  stop(): Promise<void>;
}

/** Test timings: renew every 50 ms, swept after 400 ms unchanged, fenced after 350 ms unrenewed; KV calls time out at 50 ms. */
export const LEASE = { leaseMs: 50, leaseTimeoutMs: 400 } as const;
export const KV_TIMEOUT_MS = 50;
export const REGISTRY_TIMEOUT_MS = 300;

export async function registryCluster(names: readonly string[], lease: { leaseMs: number; leaseTimeoutMs: number } = LEASE): Promise<RegistryCluster> {
  const cluster = await memoryCluster(names);
  const bucket = new MemoryKvBucket('names');
  const nodes: RegistryNode[] = [];
  const withRegistry = async (node: TestNode, kvClient = node.name): Promise<RegistryNode> => {
    const kv = bucket.client(kvClient, { timeoutMs: KV_TIMEOUT_MS });
    const fenced: FenceReason[] = [];
    const registry = await ClusterRegistry.start(node.cluster, kv, { ...lease, timeoutMs: REGISTRY_TIMEOUT_MS, onFenced: (r) => fenced.push(r) });
    const rn = { ...node, kv, registry, fenced };
    nodes.push(rn);
    return rn;
  };
  for (const n of cluster.nodes) await withRegistry(n);
  return {
    cluster,
    bucket,
    nodes,
    add: async (name, kvClient) => withRegistry(await cluster.add(name), kvClient),
    stop: async () => {
      for (const n of nodes) {
        bucket.healClient(n.kv.clientName);
        await n.registry.stop();
        await n.kv.close();
      }
      await cluster.stop();
    },
  };
}

/** The exit reason an actor died with, through a monitor set now. */
export function exitReason(node: TestNode, ref: Parameters<TestNode['system']['monitor']>[0]): Promise<ExitReason> {
  return new Promise((resolve) => node.system.monitor(ref, ({ reason }) => resolve(reason as ExitReason)));
}
