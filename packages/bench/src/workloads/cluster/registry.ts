/**
 * The cluster registry's two figures, on the workload's own nats-server with JetStream: two
 * nodes in the bench process (each its own NATS connection, the registry on the JetStream KV
 * bucket, `joinCluster({ registry: true })`).
 *
 * `cluster_whereis`: lookups per second of `registry.whereis(name)` on node `a` for names
 * held on node `b` (from `a`'s mirror: the down and lease filters, then the interned
 * `ClusterRef`), over `clusterNames` names in turn. The limit: `Map.get` on a Map of the
 * same names, in the same loop. Best of `rounds`. Target: >= 0.5x `Map.get`.
 *
 * `name_visible_ms`: ms from the `register` call on `b` to the name being returned by `a`'s
 * `whereis` (polled every turn of `a`'s event loop); the median over `clusterNames` names.
 * Both nodes share one process, so the figure includes the server's KV round trip and both
 * watches but not a second machine's network. Target: median <= 2 ms.
 */
import { createLogger, createSystem, type ActorRef } from '@arbor/core';
import { joinCluster, type Cluster } from '@arbor/cluster';
import type { NatsServer } from '@arbor/test-support';
import { makeRecord, type TargetSpec, type WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { bestOfRounds } from '../../util.js';
import { median, round3 } from '../workers/measure.js';
import { BenchEcho } from './actors.js';
import { CLUSTER_NAME, DOWN_AFTER_MS, HEARTBEAT_MS } from './detector.js';
import { natsMissing, natsMissingRecord } from './natsMissing.js';
import { ClusterProcesses } from './processes.js';

const WHEREIS_TARGETS: readonly TargetSpec[] = [{ against: 'limit', op: '>=', value: 0.5 }];
const VISIBLE_TARGETS: readonly TargetSpec[] = [{ against: 'absolute', op: '<=', value: 2 }];

interface RegistryNode {
  readonly cluster: Cluster;
  stop(): Promise<void>;
}

async function registryNode(server: NatsServer, name: string): Promise<RegistryNode> {
  const system = createSystem({ name, logger: createLogger('silent') });
  const cluster = await joinCluster(system, {
    cluster: CLUSTER_NAME,
    node: name,
    nats: { servers: server.url },
    behaviours: { BenchEcho },
    heartbeatMs: HEARTBEAT_MS,
    downAfterMs: DOWN_AFTER_MS,
    registry: { timeoutMs: 5000 },
  });
  return {
    cluster,
    async stop() {
      await cluster.leave();
      await system.shutdown();
    },
  };
}

/** Runs `body` with nodes `a` and `b` up on a JetStream nats-server, then stops everything. */
async function withTwoNodes<T>(workload: string, body: (a: Cluster, b: Cluster, spawnOnB: () => Promise<ActorRef>) => Promise<T>): Promise<T> {
  const procs = new ClusterProcesses(workload);
  const nodes: RegistryNode[] = [];
  try {
    const server = await procs.natsServer({ jetstream: true });
    const a = await registryNode(server, 'a');
    nodes.push(a);
    const bSystem = createSystem({ name: 'b', logger: createLogger('silent') });
    const b = await joinCluster(bSystem, { cluster: CLUSTER_NAME, node: 'b', nats: { servers: server.url }, heartbeatMs: HEARTBEAT_MS, downAfterMs: DOWN_AFTER_MS, registry: { timeoutMs: 5000 } });
    nodes.push({ cluster: b, stop: async () => (await b.leave(), await bSystem.shutdown()) });
    const deadline = performance.now() + 10_000;
    while (a.cluster.nodes().length === 0 || b.nodes().length === 0) {
      if (performance.now() > deadline) throw new Error(`${workload}: the two nodes did not see each other within 10 s`);
      await new Promise((r) => setTimeout(r, 10));
    }
    return await body(a.cluster, b, () => bSystem.spawn(BenchEcho, undefined));
  } finally {
    for (const n of nodes.reverse()) await n.stop().catch(() => {});
    await procs.stopAll();
  }
}

/** Waits (one event-loop turn at a time) until `a` returns `id` for `name`; the ms since `t0`. */
async function visibleAfter(a: Cluster, name: string, id: string, t0: number): Promise<number> {
  const deadline = t0 + 10_000;
  while (a.registry.whereis(name)?.id !== id) {
    if (performance.now() > deadline) throw new Error(`name_visible_ms: ${name} not visible on a within 10 s`);
    await new Promise((r) => setImmediate(r));
  }
  return performance.now() - t0;
}

/**
 * `name_visible_ms` (see the file comment).
 *
 * @example
 * const record = await nameVisibleWorkload(QUICK);
 */
export async function nameVisibleWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const missing = natsMissing();
  if (missing !== null) return natsMissingRecord({ unit: 'ms', better: 'lower', targets: VISIBLE_TARGETS }, missing);
  return withTwoNodes('name_visible_ms', async (a, b, spawnOnB) => {
    const ms: number[] = [];
    for (let i = 0; i < sizes.clusterNames; i++) {
      const ref = await spawnOnB();
      const name = `visible-${i}`;
      const t0 = performance.now();
      const r = await b.registry.register(name, ref);
      if (r.status !== 'ok') throw new Error(`name_visible_ms: register ${name} answered ${r.status}`);
      ms.push(await visibleAfter(a, name, ref.id, t0));
    }
    const sorted = [...ms].sort((x, y) => x - y);
    return makeRecord({
      arbor: round3(median(ms)),
      limit: null,
      peers: {},
      unit: 'ms',
      better: 'lower',
      targets: VISIBLE_TARGETS,
      extra: { names: ms.length, p95_ms: round3(sorted[Math.floor(sorted.length * 0.95)] ?? NaN), max_ms: round3(sorted[sorted.length - 1] ?? NaN) },
    });
  });
}

/**
 * `cluster_whereis` (see the file comment).
 *
 * @example
 * const record = await clusterWhereisWorkload(QUICK);
 */
export async function clusterWhereisWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const missing = natsMissing();
  if (missing !== null) return natsMissingRecord({ unit: 'lookups/s', better: 'higher', targets: WHEREIS_TARGETS }, missing);
  return withTwoNodes('cluster_whereis', async (a, b, spawnOnB) => {
    const names: string[] = [];
    const map = new Map<string, ActorRef>();
    for (let i = 0; i < sizes.clusterNames; i++) {
      const ref = await spawnOnB();
      const name = `whereis-${i}`;
      const r = await b.registry.register(name, ref);
      if (r.status !== 'ok') throw new Error(`cluster_whereis: register ${name} answered ${r.status}`);
      await visibleAfter(a, name, ref.id, performance.now());
      names.push(name);
      map.set(name, a.registry.whereis(name)!);
    }
    const n = sizes.clusterWhereisN;
    const k = names.length;
    let sink = 0;
    const rate = (lookup: (name: string) => ActorRef | undefined) => (): number => {
      const t0 = performance.now();
      for (let i = 0; i < n; i++) if (lookup(names[i % k]!) !== undefined) sink++;
      return Math.round(n / ((performance.now() - t0) / 1000));
    };
    const registry = a.registry;
    const best = await bestOfRounds(sizes.rounds, { arbor: rate((name) => registry.whereis(name)), limit: rate((name) => map.get(name)) });
    if (sink !== 2 * n * sizes.rounds) throw new Error(`cluster_whereis: ${sink} of ${2 * n * sizes.rounds} lookups found their name`);
    return makeRecord({ arbor: best.arbor, limit: best.limit, peers: {}, unit: 'lookups/s', better: 'higher', targets: WHEREIS_TARGETS, extra: { n, names: k, rounds: sizes.rounds } });
  });
}
