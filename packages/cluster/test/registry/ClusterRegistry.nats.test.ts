/**
 * The cluster registry over a real nats-server with JetStream: two nodes in this process,
 * each with its own connection for the cluster and one for KV; a name registered on one is
 * visible on the other. The time to visibility is reported, not asserted. The server started
 * here is gone at the end.
 */
import test from 'ava';
import { connect, type NatsConnection } from '@nats-io/transport-node';
import { call, createLogger, createSystem, type ActorRef, type ActorSystem } from '@arbor/core';
import { eventually, hasNatsServer, isAlive, startNatsServer, type NatsServer } from '@arbor/test-support';
import { ClusterRef, ClusterRegistry, joinCluster, NatsKvStore, type Cluster } from '../../src/index.js';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';

const nats = hasNatsServer() ? test : test.skip;
let server: NatsServer | undefined;

test.after.always('the nats-server started here is gone', async (t) => {
  if (server === undefined) return;
  await server.stop();
  t.false(isAlive(server.pid), `nats-server ${server.pid} is gone`);
});

interface Node {
  readonly system: ActorSystem;
  readonly cluster: Cluster;
  readonly nc: NatsConnection;
  readonly kv: NatsKvStore;
  readonly registry: ClusterRegistry<NodeProbeProtocol>;
}

async function node(url: string, name: string): Promise<Node> {
  const system = createSystem({ name, logger: createLogger('silent') });
  const cluster = await joinCluster(system, { cluster: 't', node: name, nats: { servers: url }, behaviours: { NodeProbe }, heartbeatMs: 100, downAfterMs: 400 });
  const nc = await connect({ servers: url, reconnectTimeWait: 50, maxReconnectAttempts: -1 });
  const kv = await NatsKvStore.open(nc, 'arbor_t_names', { storage: 'memory', timeoutMs: 2000 });
  const registry = await ClusterRegistry.start<NodeProbeProtocol>(cluster, kv, { leaseMs: 500, leaseTimeoutMs: 3000 });
  return { system, cluster, nc, kv, registry };
}

async function stop(n: Node): Promise<void> {
  await n.registry.stop();
  await n.kv.close();
  await n.nc.close();
  await n.cluster.leave();
  await n.system.shutdown();
}

nats('real NATS: a name registered on one node is visible on the other, and its ref answers (median ms to visibility logged)', async (t) => {
  server = await startNatsServer({ jetstream: true });
  const a = await node(server.url, 'a');
  const b = await node(server.url, 'b');
  try {
    t.true(await eventually(() => a.cluster.nodes().length === 1 && b.cluster.nodes().length === 1, 5000), 'the nodes see each other');
    const ms: number[] = [];
    let ref: ActorRef<NodeProbeProtocol> | undefined;
    for (let i = 0; i < 30; i++) {
      ref = await a.system.spawn(NodeProbe, undefined);
      const t0 = performance.now();
      t.deepEqual(await a.registry.register(`svc-${i}`, ref), { status: 'ok' });
      t.true(await eventually(() => b.registry.whereis(`svc-${i}`)?.id === ref!.id, 5000), `svc-${i} visible on b`);
      ms.push(performance.now() - t0);
    }
    const remote = b.registry.whereis('svc-29')!;
    t.true(remote instanceof ClusterRef);
    t.deepEqual(await call(remote, { type: 'echo', value: 'hi' }), 'hi');
    const taken = await b.registry.register('svc-0', await b.system.spawn(NodeProbe, undefined));
    t.is(taken.status, 'taken');
    ms.sort((x, y) => x - y);
    t.log(`register on a -> whereis on b: median ${ms[15]!.toFixed(2)} ms (min ${ms[0]!.toFixed(2)}, max ${ms[29]!.toFixed(2)}; 30 names, polled every 2 ms)`);
  } finally {
    await stop(b);
    await stop(a);
  }
});
