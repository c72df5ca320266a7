/**
 * Message size: a batch stays under the bus's largest message (a quarter of `max_payload`
 * before its last frame, so large casts in one turn go in several batches, none refused by
 * the server), and a frame over three quarters of it is a typed error at the sender:
 * `MessageTooLargeError` from a cast, a rejected call, a reply that becomes the caller's error.
 */
import test from 'ava';
import { call, cast, type ActorRef } from '@arbor/core';
import { pollUntil } from '@arbor/test-support';
import { MessageTooLargeError, RemoteError, type NodeEvent } from '../../src/index.js';
import type { NodeProbeProtocol } from '../support/actors.js';
import { memoryCluster, type TestNode } from '../support/memoryCluster.js';

type Probe = ActorRef<NodeProbeProtocol>;
const KIB = 1024;

test('large casts in one turn go in several batches, all delivered in order, without a reset', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = (await a.cluster.spawn<NodeProbeProtocol>(b.name, 'NodeProbe')) as Probe;
  const events: NodeEvent[] = [];
  a.cluster.onNode((e) => events.push(e));
  const before = c.net.stats()['a->b']?.published ?? 0;
  for (let i = 0; i < 10; i++) cast(far, { type: 'push', value: `${i}:${'x'.repeat(300 * KIB)}` });
  const onB = b.cluster.refOf(b.cluster.self.incarnation, far.id) as Probe; // the actor itself, read locally on b
  t.true(await pollUntil(async () => (await call(onB, { type: 'got' })).length === 10, 5000));
  const got = (await call(onB, { type: 'got' })) as string[];
  t.deepEqual(got.map((v) => v.slice(0, v.indexOf(':'))), ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9']);
  const batches = (c.net.stats()['a->b']?.published ?? 0) - before;
  t.true(batches >= 4, `10 casts of 300 KiB went in ${batches} batches (at most a 256 KiB batch before its last frame)`);
  t.deepEqual(events, [], 'no reset, no nodedown');
  await c.stop();
});

test('a frame over 3/4 of max_payload is MessageTooLargeError at the sender; nothing is left pending', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = (await a.cluster.spawn<NodeProbeProtocol>(b.name, 'NodeProbe')) as Probe;
  const huge = 'x'.repeat(900 * KIB);
  const e = t.throws(() => cast(far, { type: 'push', value: huge }), { instanceOf: MessageTooLargeError });
  t.is(e?.limit, 768 * KIB);
  await t.throwsAsync(call(far, { type: 'echo', value: huge }), { instanceOf: MessageTooLargeError });
  t.is(await call(far, { type: 'echo', value: 'small' }), 'small', 'the channel is fine after');
  // A reply too large: the caller gets the error, not a hang. Four casts of 250 KiB fit; `got` answers all four at once.
  for (let i = 0; i < 4; i++) cast(far, { type: 'push', value: 'y'.repeat(250 * KIB) });
  const reply = await call(far, { type: 'got' }).then(
    () => null,
    (x: unknown) => x,
  );
  t.true(reply instanceof RemoteError && reply.remoteCode === 'message_too_large', `the caller got ${String(reply)}`);
  t.is(await call(far, { type: 'echo', value: 'after' }), 'after');
  await c.stop();
});
