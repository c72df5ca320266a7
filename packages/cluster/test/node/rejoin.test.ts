/**
 * `cluster.rejoin()`: a fenced node drops its incarnation and joins as a new one. Both sides
 * fire `noconnection` on every link and monitor across once, pending calls reject, refs of
 * the old incarnation are dead (noproc) while the new one is up, and everything works again
 * with the new incarnation.
 */
import test from 'ava';
import { call, CallExitError, cast, exit, NoProcError, type ActorRef } from '@arbor/core';
import { pollUntil, sleep } from '@arbor/test-support';
import { ClusterLeftError, type NodeEvent } from '../../src/index.js';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

type Probe = ActorRef<NodeProbeProtocol>;

test('a node that rejoins fires noconnection on both sides once, gets a new incarnation, and works again', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const onA = await a.system.spawn(NodeProbe, { trap: true });
  const onB = await a.cluster.spawn<NodeProbeProtocol>('b', 'NodeProbe', { trap: true });
  await call(onA, { type: 'link', ref: onB });
  const mref = await call(onA, { type: 'monitor', ref: onB });
  cast(onB, { type: 'push', value: onA }); // b keeps its ref of a's actor (of a's first incarnation)
  const eventsB: NodeEvent[] = [];
  b.cluster.onNode((e) => eventsB.push(e));
  const slow = await a.cluster.spawn<NodeProbeProtocol>('b', 'NodeProbe');
  const pending = call(slow, { type: 'slow', ms: 60_000 }, { timeout: 60_000 });
  const before = a.cluster.self.incarnation;

  const now = a.cluster.rejoin();
  t.not(now.incarnation, before);
  t.is(a.cluster.self, now);
  t.is(now.name, 'a');
  const e = await t.throwsAsync(pending, { instanceOf: CallExitError });
  t.is((e as CallExitError).reason, 'noconnection', 'the pending call rejected at once');
  t.true(await pollUntil(async () => (await call(onA, { type: 'got' })).length === 2, 2000));
  t.true(await pollUntil(async () => (await call(onB, { type: 'got' })).length === 2, 2000), "b's actor got its link's exit");
  await sleep(100);
  t.deepEqual(await call(onA, { type: 'got' }), [
    { type: 'EXIT', from: onB, reason: 'noconnection' },
    { type: 'DOWN', ref: mref, actor: onB, reason: 'noconnection' },
  ]);
  t.like((await call(onB, { type: 'got' }))[1], { type: 'EXIT', reason: 'noconnection' });

  // b sees the old incarnation down and the new one up.
  t.true(await pollUntil(() => Promise.resolve(b.cluster.nodes().some((n) => n.incarnation === now.incarnation)), 2000));
  t.deepEqual(eventsB.map((x) => [x.type, x.node.incarnation]), [['nodedown', before], ['nodeup', now.incarnation]]);
  const [oldRef] = (await call(onB, { type: 'got' })).filter((x) => typeof x === 'object' && x !== null && 'incarnation' in x) as unknown as Probe[];
  t.is((oldRef as unknown as { incarnation: string }).incarnation, before, 'b still holds the ref of the first incarnation');
  await t.throwsAsync(call(oldRef!, { type: 'echo', value: 1 }), { instanceOf: NoProcError }, 'on a, a ref of its own earlier incarnation is a dead local ref');

  // Both ways work with the new incarnation; a sent ref of onA now names it in the new one.
  t.is(await call(onB, { type: 'callRef', ref: onA, request: { type: 'echo', value: 'x' } }), 'x');
  const again = await a.cluster.spawn<NodeProbeProtocol>('b', 'NodeProbe');
  t.is(await call(again, { type: 'echo', value: 2 }), 2);
  const fromB = await b.cluster.spawn<NodeProbeProtocol>('a', 'NodeProbe');
  t.is(await call(fromB, { type: 'echo', value: 3 }), 3);
  t.is(fromB.incarnation, now.incarnation);
  exit(slow, 'kill'); // still in its 60 s handler on b
  await c.stop();
  t.throws(() => a.cluster.rejoin(), { instanceOf: ClusterLeftError });
});
