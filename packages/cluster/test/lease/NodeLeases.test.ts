/**
 * Node leases on an in-memory bucket: created at start, renewed by compare-and-set, taken over
 * by a new incarnation, deleted at stop; options checked.
 */
import test from 'ava';
import { InvalidOptionError } from '@arbor/core';
import { eventually } from '@arbor/test-support';
import { MemoryKvBucket, NodeLeases } from '../../src/index.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';
import { LEASE } from '../support/registryCluster.js';

const text = (v: Uint8Array): string => new TextDecoder().decode(v);

test('a lease is created at start with the incarnation, renewed (its revision moves), and deleted at stop', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const bucket = new MemoryKvBucket('leases');
  const la = await NodeLeases.start(a.cluster, bucket.client('a'), LEASE);
  const lb = await NodeLeases.start(b.cluster, bucket.client('b'), LEASE);
  t.is(text(bucket.latest.get('lease.a')!.value), a.cluster.self.incarnation);
  const first = bucket.latest.get('lease.a')!.revision;
  t.true(await eventually(() => bucket.latest.get('lease.a')!.revision > first + 2), 'renewed');
  t.is(text(bucket.latest.get('lease.a')!.value), a.cluster.self.incarnation);
  t.true(lb.holds(a.cluster.self.incarnation));
  t.true(la.holds(a.cluster.self.incarnation));
  t.true(await lb.isLeased(a.cluster.self.incarnation));
  t.is(la.fenced, null);
  await la.stop();
  t.is(bucket.latest.get('lease.a')!.operation, 'DEL');
  t.true(await eventually(() => !lb.holds(a.cluster.self.incarnation)));
  t.false(await lb.isLeased(a.cluster.self.incarnation));
  await lb.stop();
  await c.stop();
});

test('a second incarnation of a node name takes the lease over; the first is fenced as replaced', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const bucket = new MemoryKvBucket('leases');
  const fenced: string[] = [];
  const first = await NodeLeases.start(a.cluster, bucket.client('a1'), { ...LEASE, onFenced: (r) => fenced.push(r) });
  const watcher = await NodeLeases.start(b.cluster, bucket.client('b'), LEASE);
  const lost: string[] = [];
  watcher.onLost((inc) => lost.push(inc));
  // A node of the same name: a fake second run of 'a' through a cluster whose self says so.
  const second = await NodeLeases.start({ self: { name: 'a', incarnation: 'a~second' } } as never, bucket.client('a2'), LEASE);
  t.is(text(bucket.latest.get('lease.a')!.value), 'a~second');
  t.true(await eventually(() => fenced.length > 0));
  t.deepEqual(fenced, ['replaced']);
  t.true(await eventually(() => lost.includes(a.cluster.self.incarnation)));
  t.false(watcher.holds(a.cluster.self.incarnation));
  t.true(await eventually(() => watcher.holds('a~second')));
  for (const l of [first, watcher, second]) await l.stop();
  await c.stop();
});

test('lease options are checked', async (t) => {
  const c = await memoryCluster(['a']);
  const [a] = c.nodes as [TestNode];
  const kv = new MemoryKvBucket('x').client('a');
  await t.throwsAsync(NodeLeases.start(a.cluster, kv, { leaseMs: 100, leaseTimeoutMs: 150 }), { instanceOf: InvalidOptionError, message: /leaseTimeoutMs/ });
  await t.throwsAsync(NodeLeases.start(a.cluster, kv, { leaseMs: 100, leaseTimeoutMs: 300, fenceAfterMs: 300 }), { instanceOf: InvalidOptionError, message: /fenceAfterMs/ });
  await t.throwsAsync(NodeLeases.start(a.cluster, kv, { leaseMs: 0 }), { instanceOf: InvalidOptionError });
  await t.throwsAsync(NodeLeases.start(a.cluster, kv, { leaseMS: 10 } as never), { instanceOf: InvalidOptionError });
  const l = await NodeLeases.start(a.cluster, kv);
  t.deepEqual(l.options, { leaseMs: 2000, leaseTimeoutMs: 6000, fenceAfterMs: 4000 });
  await l.stop();
  await c.stop();
});
