/**
 * The cluster registry on an in-memory network and KV bucket: names registered by
 * compare-and-set and read from each node's mirror, owners known down filtered out, a store
 * that does not answer answering `unavailable`, via-naming at spawn, names freed by their
 * holder's exit.
 */
import test from 'ava';
import { AlreadyStartedError, call, exit, InvalidOptionError, NoProcError, type ActorRef } from '@arbor/core';
import { eventually } from '@arbor/test-support';
import { ClusterRef, RegistryUnavailableError, SynchronousRegisterError } from '../../src/index.js';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';
import { exitReason, registryCluster, type RegistryNode } from '../support/registryCluster.js';

type Probe = ActorRef<NodeProbeProtocol>;

async function probe(node: RegistryNode): Promise<Probe> {
  return node.system.spawn(NodeProbe, undefined);
}

test('register on one node: whereis there is the local ref, on the others a ClusterRef that answers calls', async (t) => {
  const c = await registryCluster(['a', 'b', 'c']);
  const [a, b, cc] = c.nodes as [RegistryNode, RegistryNode, RegistryNode];
  const ref = await probe(a);
  t.deepEqual(await a.registry.register('cart:u42', ref), { status: 'ok' });
  t.is(a.registry.whereis('cart:u42'), ref, 'the registering node sees it at once');
  t.true(await eventually(() => b.registry.whereis('cart:u42') !== undefined && cc.registry.whereis('cart:u42') !== undefined));
  const remote = b.registry.whereis('cart:u42') as Probe;
  t.true(remote instanceof ClusterRef);
  t.is((remote as ClusterRef).node, 'a');
  t.is(remote.id, ref.id);
  t.is(b.registry.whereis('cart:u42'), remote, 'the same ref each time');
  t.deepEqual(await call(remote, { type: 'echo', value: 7 }), 7);
  t.deepEqual(b.registry.names(), ['cart:u42']);
  t.is(b.registry.whereis('nobody'), undefined);
  await c.stop();
});

test('a compare-and-set race: of 9 concurrent registers of one name on 3 nodes exactly one wins, the others are told the winner', async (t) => {
  const c = await registryCluster(['a', 'b', 'c']);
  const contenders = await Promise.all(c.nodes.flatMap((n) => [probe(n), probe(n), probe(n)]).map(async (p, i) => ({ node: c.nodes[Math.floor(i / 3)]!, ref: await p })));
  const results = await Promise.all(contenders.map(({ node, ref }) => node.registry.register('leader', ref)));
  const winners = contenders.filter((_, i) => results[i]!.status === 'ok');
  t.is(winners.length, 1);
  const winner = winners[0]!.ref;
  for (const r of results) {
    if (r.status === 'taken') t.is(r.holder.id, winner.id, 'every loser is told the winner');
    else t.is(r.status, 'ok');
  }
  t.true(await eventually(() => c.nodes.every((n) => n.registry.whereis('leader')?.id === winner.id)), 'every mirror agrees');
  await c.stop();
});

test('a name whose owner node is known down is not returned, though its key is still in the bucket', async (t) => {
  const c = await registryCluster(['a', 'b']);
  const [a, b] = c.nodes as [RegistryNode, RegistryNode];
  const ref = await probe(b);
  t.deepEqual(await b.registry.register('svc', ref), { status: 'ok' });
  t.true(await eventually(() => a.registry.whereis('svc') !== undefined));
  let down = false;
  a.cluster.onNode((e) => {
    if (e.type === 'nodedown') down = true;
  });
  c.cluster.net.isolate('b');
  t.true(await eventually(() => down, 5000), 'a sees b down');
  t.is(a.registry.whereis('svc'), undefined);
  t.not(await a.kv.get('name.svc'), null, 'the KV entry is still there (b holds its lease)');
  t.is(b.registry.whereis('svc'), ref, 'b still holds it');
  c.cluster.net.rejoin('b');
  await c.stop();
});

test('a store that does not answer: register, unregister and a named spawn answer unavailable within the timeout', async (t) => {
  const c = await registryCluster(['a', 'b'], { leaseMs: 200, leaseTimeoutMs: 5000 }); // not fenced during the test
  const [a] = c.nodes as [RegistryNode, RegistryNode];
  const ref = await probe(a);
  t.deepEqual(await a.registry.register('held', ref), { status: 'ok' });
  c.bucket.cutClient('a');
  const r = await a.registry.register('k', await probe(a));
  t.is(r.status, 'unavailable');
  const u = await a.registry.unregister('held');
  t.is(u.status, 'unavailable');
  t.is(a.registry.whereis('held'), ref, 'an unregister that did not land keeps the name');
  const e = await t.throwsAsync(a.system.spawn(NodeProbe, undefined, { name: a.registry.via('spawned') }), { instanceOf: RegistryUnavailableError });
  t.is(e?.key, 'spawned');
  c.bucket.healClient('a');
  await c.stop();
});

test('via naming: a spawn claims its name cluster-wide; a second one elsewhere gets AlreadyStartedError naming the holder', async (t) => {
  const c = await registryCluster(['a', 'b']);
  const [a, b] = c.nodes as [RegistryNode, RegistryNode];
  const first = await a.system.spawn(NodeProbe, undefined, { name: a.registry.via('single') });
  t.is(a.registry.whereis('single'), first);
  t.deepEqual(a.registry.keysOf(first), ['single']);
  const before = b.system.actors().length;
  const e = await t.throwsAsync(b.system.spawn(NodeProbe, undefined, { name: b.registry.via('single') }), { instanceOf: AlreadyStartedError });
  t.is(e?.existing.id, first.id);
  t.true(e?.existing instanceof ClusterRef);
  t.is(e?.actorName, 'cluster:single');
  t.true(await eventually(() => b.registry.whereis('single') !== undefined));
  t.is(b.system.actors().length, before, 'nothing started on b');
  t.throws(() => a.registry.registerName(), { instanceOf: SynchronousRegisterError });
  t.throws(() => a.registry.via(''), { instanceOf: InvalidOptionError });
  const remote = b.registry.whereis('single')!;
  await t.throwsAsync(b.registry.register('r', remote), { instanceOf: InvalidOptionError, message: /local ActorRef/ });
  const dead = await probe(a);
  exit(dead, 'kill');
  await t.throwsAsync(a.registry.register('d', dead), { instanceOf: NoProcError });
  await c.stop();
});

test("a holder's exit deletes its name: the others stop seeing it and may take it", async (t) => {
  const c = await registryCluster(['a', 'b']);
  const [a, b] = c.nodes as [RegistryNode, RegistryNode];
  const ref = await a.system.spawn(NodeProbe, undefined, { name: a.registry.via('job') });
  t.true(await eventually(() => b.registry.whereis('job') !== undefined));
  exit(ref, 'done');
  t.is(a.registry.whereis('job'), undefined, 'at once on its node');
  t.true(await eventually(() => b.registry.whereis('job') === undefined), 'and on the others once the delete lands');
  t.is(await b.kv.get('name.job'), null);
  const next = await probe(b);
  t.deepEqual(await b.registry.register('job', next), { status: 'ok' });
  t.true(await eventually(() => a.registry.whereis('job')?.id === next.id));
  // unregister: the same for a name the holder gives up alive
  t.deepEqual(await b.registry.unregister('job'), { status: 'ok' });
  t.is(b.registry.whereis('job'), undefined);
  t.true(b.system.isAlive(next));
  t.true(await eventually(() => a.registry.whereis('job') === undefined));
  await c.stop();
});

test('unregister of a name held on another node answers taken; of a free name ok', async (t) => {
  const c = await registryCluster(['a', 'b']);
  const [a, b] = c.nodes as [RegistryNode, RegistryNode];
  await a.registry.register('x', await probe(a));
  t.true(await eventually(() => b.registry.whereis('x') !== undefined));
  const r = await b.registry.unregister('x');
  t.is(r.status, 'taken');
  t.deepEqual(await b.registry.unregister('free'), { status: 'ok' });
  await c.stop();
});

test('fencing: a node that cannot reach the bucket exits its name holders with { shutdown: fenced } and calls onFenced', async (t) => {
  const c = await registryCluster(['a', 'b']);
  const [a, b] = c.nodes as [RegistryNode, RegistryNode];
  const h1 = await b.system.spawn(NodeProbe, undefined, { name: b.registry.via('h1') });
  const h2 = await probe(b);
  await b.registry.register('h2', h2);
  const unnamed = await probe(b);
  const reasons = Promise.all([exitReason(b, h1), exitReason(b, h2)]);
  c.bucket.cutClient('b');
  const [r1, r2] = await reasons;
  t.deepEqual(r1, { shutdown: 'fenced' });
  t.deepEqual(r2, { shutdown: 'fenced' });
  t.deepEqual(b.fenced, ['unrenewed']);
  t.is(b.registry.leases.fenced, 'unrenewed');
  t.true(b.system.isAlive(unnamed), 'actors without a cluster name keep running');
  t.is((await b.registry.register('again', unnamed)).status, 'unavailable', 'a fenced registry registers nothing');
  // The others sweep b's lease and names, then the names are free.
  t.true(await eventually(() => a.registry.whereis('h1') === undefined && a.registry.whereis('h2') === undefined, 5000));
  t.true(await eventually(() => !c.bucket.latest.has('lease.b') || c.bucket.latest.get('lease.b')!.operation !== 'PUT', 5000), "b's lease is swept");
  t.true(await eventually(() => ['name.h1', 'name.h2'].every((k) => c.bucket.latest.get(k)?.operation === 'DEL'), 5000), "b's names are swept");
  t.deepEqual(await a.registry.register('h1', await probe(a)), { status: 'ok' });
  t.deepEqual(a.fenced, [], 'a was never fenced');
  await c.stop();
});

test("lease expiry: a node that stops renewing is swept by the others (its lease and names deleted by compare-and-set), and only once", async (t) => {
  const c = await registryCluster(['a', 'b', 'c']);
  const [a, b, cc] = c.nodes as [RegistryNode, RegistryNode, RegistryNode];
  for (const k of ['n1', 'n2', 'n3']) await cc.registry.register(k, await probe(cc));
  t.true(await eventually(() => a.registry.names().length === 3 && b.registry.names().length === 3));
  const leaseRevision = c.bucket.latest.get('lease.c')!.revision;
  const observer = c.bucket.client('observer');
  const deletes: string[] = [];
  const w = await observer.watch((e) => {
    if (e.operation === 'DEL') deletes.push(e.key);
  });
  c.bucket.cutClient('c');
  t.true(await eventually(() => c.bucket.latest.get('lease.c')?.operation === 'DEL', 5000));
  t.true(await eventually(() => ['name.n1', 'name.n2', 'name.n3'].every((k) => c.bucket.latest.get(k)?.operation === 'DEL'), 5000));
  t.deepEqual(a.registry.names(), []);
  t.deepEqual(b.registry.names(), []);
  t.true(c.bucket.latest.get('lease.c')!.revision > leaseRevision);
  await new Promise((r) => setTimeout(r, 500)); // more sweep ticks of both a and b
  w.stop();
  t.deepEqual([...deletes].sort(), ['lease.c', 'name.n1', 'name.n2', 'name.n3'], 'each deleted once, by one sweeper');
  t.true(a.registry.leases.holds(b.cluster.self.incarnation) && b.registry.leases.holds(a.cluster.self.incarnation), 'the live nodes keep their leases');
  t.is(a.registry.leases.holds(cc.cluster.self.incarnation), false);
  await c.stop();
});

test('a new incarnation of a node name takes its lease over: the old incarnation\'s names are dropped at once and deleted', async (t) => {
  const c = await registryCluster(['a', 'b']);
  const [a, b] = c.nodes as [RegistryNode, RegistryNode];
  await b.registry.register('old', await probe(b));
  t.true(await eventually(() => a.registry.whereis('old') !== undefined));
  // b is gone without a word (its store cut, its cluster left); before any sweep, b comes back as a new incarnation.
  c.bucket.cutClient('b');
  c.cluster.net.kill('b');
  const b2 = await c.add('b', 'b-second-run');
  t.not(b2.cluster.self.incarnation, b.cluster.self.incarnation);
  t.is(new TextDecoder().decode(c.bucket.latest.get('lease.b')!.value), b2.cluster.self.incarnation);
  t.true(await eventually(() => a.registry.whereis('old') === undefined), 'dropped once the lease is seen replaced');
  t.true(await eventually(() => c.bucket.latest.get('name.old')?.operation === 'DEL'), 'and deleted');
  t.deepEqual(await b2.registry.register('old', await probe(b2)), { status: 'ok' });
  await c.stop();
});
