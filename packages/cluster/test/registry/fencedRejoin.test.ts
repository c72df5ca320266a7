/**
 * The registry inside `joinCluster`: a node whose lease cannot be renewed (its store cut
 * off) is fenced; its name holders exit with `{ shutdown: 'fenced' }` (their links across
 * get that reason); it rejoins as a new incarnation, takes its lease again
 * and registers again. The others never see two live holders of one name.
 */
import test from 'ava';
import { call, createLogger, createSystem, InvalidOptionError, type ActorRef } from '@arbor/core';
import { eventually, pollUntil } from '@arbor/test-support';
import { joinCluster, MemoryKvBucket, MemoryNetwork, type Cluster, type NodeEvent } from '../../src/index.js';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';

type Probe = ActorRef<NodeProbeProtocol>;

test('a fenced node: holders exit fenced, it rejoins as a new incarnation, links fire both ways, it registers again', async (t) => {
  const net = new MemoryNetwork();
  const bucket = new MemoryKvBucket('names');
  const join = async (name: string): Promise<{ cluster: Cluster; system: ReturnType<typeof createSystem> }> => {
    const system = createSystem({ name, logger: createLogger(process.env.DBG ? 'debug' : 'silent') });
    const cluster = await joinCluster(system, {
      cluster: 't', node: name, transport: net.connect(name), behaviours: { NodeProbe },
      heartbeatMs: 25, downAfterMs: 2000, // the failure detector stays quiet: the lease decides
      registry: { kv: bucket.client(name, { timeoutMs: 100 }), timeoutMs: 100 }, leaseMs: 50, leaseTimeoutMs: 400,
    });
    return { cluster, system };
  };
  const a = await join('a');
  const b = await join('b');
  t.true(await eventually(() => a.cluster.nodes().length === 1 && b.cluster.nodes().length === 1, 3000));
  const holder = await a.system.spawn(NodeProbe, undefined) as Probe;
  t.deepEqual(await a.cluster.registry.register('leader', holder), { status: 'ok' });
  const watcher = await b.system.spawn(NodeProbe, { trap: true }) as Probe;
  t.true(await eventually(() => b.cluster.registry.whereis('leader') !== undefined, 2000));
  const remoteHolder = b.cluster.registry.whereis('leader') as Probe;
  await call(watcher, { type: 'link', ref: remoteHolder });
  const first = a.cluster.self.incarnation;
  const events: NodeEvent[] = [];
  b.cluster.onNode((e) => events.push(e));
  let holderExit: unknown;
  a.system.monitor(holder, ({ reason }) => (holderExit = reason));

  bucket.cutClient('a'); // a cannot renew: fenced after leaseTimeoutMs - leaseMs
  t.true(await eventually(() => holderExit !== undefined, 3000)); // (the cluster's and the leases' timers are unref'd: wait on a ref'd one)
  t.deepEqual(holderExit, { shutdown: 'fenced' }, 'the holder exited fenced');
  t.true(await eventually(() => a.cluster.self.incarnation !== first, 2000), 'a rejoined as a new incarnation');
  t.true(await pollUntil(async () => (await call(watcher, { type: 'got' })).length === 1, 2000), "b's link to the old holder fired");
  // The holders exit before the channels drop, so the link's exit carries the holder's own reason.
  t.like((await call(watcher, { type: 'got' }))[0], { type: 'EXIT', reason: { shutdown: 'fenced' } });
  t.is(b.cluster.registry.whereis('leader'), undefined, 'no live holder on b while a is fenced');

  bucket.healClient('a');
  t.true(await eventually(() => a.cluster.registry.leases.fenced === null, 3000), 'a took its lease again');
  t.true(await eventually(() => events.some((e) => e.type === 'nodeup' && e.node.incarnation === a.cluster.self.incarnation), 2000), 'b sees the new incarnation up');
  const again = await a.system.spawn(NodeProbe, undefined) as Probe;
  t.true(await pollUntil(async () => (await a.cluster.registry.register('leader', again)).status === 'ok', 3000), 'the name is free again (the fenced names were swept)');
  t.true(await eventually(() => b.cluster.registry.whereis('leader')?.id === again.id, 2000));
  t.is(await call(b.cluster.registry.whereis('leader') as Probe, { type: 'echo', value: 'x' }), 'x');
  for (const n of [a, b]) {
    await n.cluster.leave();
    await n.system.shutdown();
  }
});

test('registry options are checked: leases without a registry, a transport without a store', async (t) => {
  const net = new MemoryNetwork();
  const system = createSystem({ name: 'x', logger: createLogger('silent') });
  await t.throwsAsync(joinCluster(system, { cluster: 't', node: 'x', transport: net.connect('x'), leaseMs: 100 }), { instanceOf: InvalidOptionError, message: /registry: true/ });
  await t.throwsAsync(joinCluster(system, { cluster: 't', node: 'x', transport: net.connect('x2'), registry: true }), { instanceOf: InvalidOptionError, message: /kv/ });
  const plain = await joinCluster(system, { cluster: 't', node: 'x', transport: net.connect('x3') });
  t.throws(() => plain.registry, { instanceOf: InvalidOptionError, message: /registry: true/ });
  await plain.leave();
  await system.shutdown();
});
