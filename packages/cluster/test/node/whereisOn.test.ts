/** `cluster.whereisOn(node, name)`: Erlang's `{Name, Node}` lookup of a locally registered actor on another node. */
import test from 'ava';
import { call, InvalidOptionError } from '@arbor/core';
import { NoNodeError, RemoteLookupTimeoutError } from '../../src/index.js';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

test('whereisOn finds a registered actor on another node, null for a name nobody holds; the ref works as any', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const local = await b.system.spawn(NodeProbe, undefined, { name: 'cache' });
  const found = await a.cluster.whereisOn<NodeProbeProtocol>('b', 'cache');
  t.is(found?.id, local.id);
  t.is(await call(found!, { type: 'echo', value: 'hi' }), 'hi');
  t.is(await a.cluster.whereisOn('b', 'nobody'), null);
  t.is(await a.cluster.whereisOn('b', 'cache'), found, 'the interned ref each time');
  await c.stop();
});

test('whereisOn rejects: a node not up, a node lost before it answers, a timeout, bad arguments', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a] = c.nodes as [TestNode, TestNode];
  await t.throwsAsync(a.cluster.whereisOn('zz', 'cache'), { instanceOf: NoNodeError });
  await t.throwsAsync(a.cluster.whereisOn('b', ''), { instanceOf: InvalidOptionError });
  await t.throwsAsync(a.cluster.whereisOn('b', 'x', { timeout: -1 }), { instanceOf: InvalidOptionError });
  // b is frozen for good (its deliveries queue), then killed: the pending lookup rejects at the loss, not at its timeout.
  c.net.pause('b');
  const lost = a.cluster.whereisOn('b', 'cache', { timeout: 60_000 });
  c.net.kill('b');
  await t.throwsAsync(lost, { instanceOf: NoNodeError }, 'rejected when b is declared down');
  await c.stop();
});

test('whereisOn times out with a typed error when the node does not answer in time', async (t) => {
  const c = await memoryCluster(['a', 'b'], { heartbeatMs: 25, downAfterMs: 5000 });
  const [a] = c.nodes as [TestNode, TestNode];
  c.net.pause('b');
  await t.throwsAsync(a.cluster.whereisOn('b', 'cache', { timeout: 50 }), { instanceOf: RemoteLookupTimeoutError, message: /did not answer the lookup of "cache"/ });
  c.net.resume('b');
  await c.stop();
});
