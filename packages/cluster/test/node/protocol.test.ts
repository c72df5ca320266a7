/**
 * The distribution protocol on an in-memory network: two or three systems in one process.
 * Each test ports an Erlang distribution rule: remote call/cast/link/monitor, exit
 * propagation, noconnection on node loss (once each, pending calls rejected at once),
 * incarnations, sequence gaps, graceful leave.
 */
import test from 'ava';
import fc from 'fast-check';
import {
  call,
  CallExitError,
  CallTimeoutError,
  cast,
  exit,
  NoProcError,
  type ActorRef,
} from '@arbor/core';
import { eventually, pollUntil, sleep } from '@arbor/test-support';
import { ClusterRef, NoNodeError, RemoteError, UnknownBehaviourError, UnserialisableMessageError, type NodeEvent } from '../../src/index.js';
import { FrameBatch } from '../../src/wire/FrameBatch.js';
import { FrameCodec } from '../../src/wire/FrameCodec.js';
import { NodeProbe, type NodeProbeProtocol } from '../support/actors.js';
import { FAST, memoryCluster, type MemoryCluster, type TestNode } from '../support/memoryCluster.js';

type Probe = ActorRef<NodeProbeProtocol>;

async function remoteProbe(from: TestNode, on: TestNode, trap = false): Promise<Probe> {
  return from.cluster.spawn<NodeProbeProtocol>(on.name, 'NodeProbe', { trap });
}

async function got(ref: Probe): Promise<unknown[]> {
  return call(ref, { type: 'got' });
}

test('nodes see each other; each join is a fresh incarnation', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  t.deepEqual(a.cluster.nodes(), [b.cluster.self]);
  t.deepEqual(b.cluster.nodes(), [a.cluster.self]);
  t.regex(a.cluster.self.incarnation, /^a~/);
  const a2 = await c.add('c');
  t.not(a2.cluster.self.incarnation, a.cluster.self.incarnation);
  await c.stop();
});

test('remote spawn, call and cast: replies cross typed, casts keep their order before a call', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const ref = await remoteProbe(a, b);
  t.true(ref instanceof ClusterRef);
  t.is((ref as ClusterRef).node, 'b');
  const when = new Date(1_700_000_000_000);
  const value = { n: 1, big: 12345678901234567890n, when, map: new Map([['k', 1]]), bytes: new Uint8Array([1, 2, 3]) };
  t.deepEqual(await call(ref, { type: 'echo', value }), value);
  for (let i = 0; i < 200; i++) cast(ref, { type: 'push', value: i });
  t.deepEqual(await got(ref), Array.from({ length: 200 }, (_, i) => i), 'per-pair order holds');
  await c.stop();
});

test('spawn errors are typed: an unknown behaviour, a node that is not up', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a] = c.nodes as [TestNode, TestNode];
  const e = await t.throwsAsync(a.cluster.spawn('b', 'Nope', 1), { instanceOf: UnknownBehaviourError });
  t.regex(e!.message, /NodeProbe/);
  await t.throwsAsync(a.cluster.spawn('zz', 'NodeProbe', 1), { instanceOf: NoNodeError });
  await c.stop();
});

test('call outcomes across nodes: callee crash is CallExitError with a RemoteError, a dead actor is noproc, a timeout drops the late reply', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const ref = await remoteProbe(a, b);
  const crash = await t.throwsAsync(call(ref, { type: 'crash', error: new TypeError('boom') }), { instanceOf: CallExitError });
  t.true((crash as CallExitError).reason instanceof RemoteError);
  t.is(((crash as CallExitError).reason as RemoteError).message, 'boom');
  await t.throwsAsync(call(ref, { type: 'got' }), { instanceOf: NoProcError }, 'the crashed actor is gone');
  const slow = await remoteProbe(a, b);
  await t.throwsAsync(call(slow, { type: 'slow', ms: 150 }, { timeout: 30 }), { instanceOf: CallTimeoutError });
  await sleep(200);
  t.deepEqual(await call(slow, { type: 'echo', value: 'next' }), 'next', 'the late reply was dropped, not taken as the next answer');
  await c.stop();
});

test('refs inside messages: a local ref comes back as itself, a remote actor can call a ref it was sent', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const local = await a.system.spawn(NodeProbe, undefined);
  const far = await remoteProbe(a, b);
  const back = await call(far, { type: 'echo', value: { deep: [{ ref: local }] } });
  t.is((back as { deep: { ref: unknown }[] }).deep[0]!.ref, local, 'our own ref decodes to the local ref');
  t.is(await call(far, { type: 'callRef', ref: local, request: { type: 'echo', value: 42 } }), 42, 'b called a through the ref it got');
  const farSelf = await call(far, { type: 'self' });
  t.is(farSelf, far, 'refs are interned: the same actor is the same object');
  await c.stop();
});

test('links across nodes: a crash propagates to a non-trapping actor; a trapping one gets EXIT from the interned ref', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = await remoteProbe(a, b);
  const trapping = await a.system.spawn(NodeProbe, { trap: true });
  const plain = await a.system.spawn(NodeProbe, undefined);
  await call(trapping, { type: 'link', ref: far });
  await call(plain, { type: 'link', ref: far });
  cast(far, { type: 'crashCast', error: new Error('far crash') });
  t.true(await eventually(() => !a.system.isAlive(plain), 2000), 'the plain linked actor exits');
  const infos = await pollUntil(async () => (await got(trapping)).length === 1, 2000);
  t.true(infos);
  const [msg] = (await got(trapping)) as [{ type: string; from: unknown; reason: unknown }];
  t.is(msg.type, 'EXIT');
  t.is(msg.from, far);
  t.true(msg.reason instanceof RemoteError);
  await c.stop();
});

test('a local exit propagates to a linked remote actor; exit(ref, kill) kills across; unlink stops propagation', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const watcher = await remoteProbe(a, b, true);
  const local = await a.system.spawn(NodeProbe, undefined);
  await call(watcher, { type: 'link', ref: local });
  a.system.cast(local, { type: 'stop', reason: 'shutdown' });
  t.true(await pollUntil(async () => (await got(watcher)).length === 1, 2000));
  t.like((await got(watcher))[0], { type: 'EXIT', reason: 'shutdown' });
  const other = await a.system.spawn(NodeProbe, undefined);
  await call(watcher, { type: 'link', ref: other });
  await call(watcher, { type: 'unlink', ref: other });
  a.system.cast(other, { type: 'stop', reason: 'shutdown' });
  await sleep(50);
  t.is((await got(watcher)).length, 1, 'no EXIT after unlink');
  const victim = await remoteProbe(a, b, true);
  exit(victim, 'kill');
  t.true(await pollUntil(async () => (await call(victim, { type: 'got' }).then(() => false, (e) => e instanceof NoProcError)), 2000), 'kill is untrappable across nodes');
  await c.stop();
});

test('link to a dead remote actor delivers noproc; monitor of one gives DOWN noproc', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = await remoteProbe(a, b);
  cast(far, { type: 'stop', reason: 'normal' });
  await pollUntil(async () => call(far, { type: 'got' }).then(() => false, () => true), 2000);
  const trapping = await a.system.spawn(NodeProbe, { trap: true });
  await call(trapping, { type: 'link', ref: far });
  const mref = await call(trapping, { type: 'monitor', ref: far });
  t.true(await pollUntil(async () => (await got(trapping)).length === 2, 2000));
  t.deepEqual(await got(trapping), [
    { type: 'EXIT', from: far, reason: 'noproc' },
    { type: 'DOWN', ref: mref, actor: far, reason: 'noproc' },
  ]);
  await c.stop();
});

test('monitors across nodes: DOWN once with the reason; demonitor stops it', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const watcher = await a.system.spawn(NodeProbe, undefined);
  const far1 = await remoteProbe(a, b);
  const far2 = await remoteProbe(a, b);
  const m1 = await call(watcher, { type: 'monitor', ref: far1 });
  const m2 = await call(watcher, { type: 'monitor', ref: far2 });
  t.true(await call(watcher, { type: 'demonitor', monitor: m2 }));
  cast(far1, { type: 'stop', reason: { shutdown: 'done' } });
  cast(far2, { type: 'stop', reason: 'normal' });
  t.true(await pollUntil(async () => (await got(watcher)).length === 1, 2000));
  await sleep(50);
  t.deepEqual(await got(watcher), [{ type: 'DOWN', ref: m1, actor: far1, reason: { shutdown: 'done' } }]);
  await c.stop();
});

test('node lost (killed): every link gets noconnection once, every monitor a DOWN, pending calls reject at once, node monitors fire', async (t) => {
  const c = await memoryCluster(['a', 'b'], { heartbeatMs: 25, downAfterMs: 150 });
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = await remoteProbe(a, b);
  const far2 = await remoteProbe(a, b);
  const trapping = await a.system.spawn(NodeProbe, { trap: true });
  const plain = await a.system.spawn(NodeProbe, undefined);
  await call(trapping, { type: 'link', ref: far });
  await call(trapping, { type: 'link', ref: far2 });
  await call(plain, { type: 'link', ref: far });
  const mref = await call(trapping, { type: 'monitor', ref: far });
  a.cluster.monitorNode(trapping, 'b');
  const events: NodeEvent[] = [];
  a.cluster.onNode((e) => events.push(e));
  const pending = call(far, { type: 'slow', ms: 60_000 }, { timeout: 60_000 });
  c.net.kill('b');
  const e = await t.throwsAsync(pending, { instanceOf: CallExitError });
  t.is((e as CallExitError).reason, 'noconnection', 'the pending call rejected with noconnection, long before its timeout');
  t.true(await eventually(() => !a.system.isAlive(plain), 2000));
  t.true(await pollUntil(async () => (await got(trapping)).length === 4, 2000));
  await sleep(200);
  const infos = await got(trapping);
  t.is(infos.length, 4, 'each fired once');
  t.deepEqual(new Set(infos), new Set([
    { type: 'EXIT', from: far, reason: 'noconnection' },
    { type: 'EXIT', from: far2, reason: 'noconnection' },
    { type: 'DOWN', ref: mref, actor: far, reason: 'noconnection' },
    { type: 'nodedown', node: 'b' },
  ].map((x) => infos.find((i) => JSON.stringify(i) === JSON.stringify(x)) ?? x)));
  t.deepEqual(events.map((x) => x.type), ['nodedown']);
  t.deepEqual(a.cluster.nodes(), []);
  await t.throwsAsync(call(far, { type: 'got' }), { instanceOf: CallExitError }, 'a call to a node known down rejects at once');
  await c.stop();
});

test('a cut between two nodes fires noconnection on both sides; after heal they are up again on a new channel', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const onB = await remoteProbe(a, b, true);
  const onA = await a.system.spawn(NodeProbe, { trap: true });
  await call(onA, { type: 'link', ref: onB });
  await call(onB, { type: 'echo', value: 'sync' }); // the link frame has landed (per-pair order)
  c.net.cut('a', 'b');
  t.true(await pollUntil(async () => (await got(onA)).length === 1, 3000), 'a fires');
  t.true(await eventually(() => b.cluster.nodes().length === 0, 3000), 'b sees a down');
  t.like((await got(onA))[0], { type: 'EXIT', reason: 'noconnection' });
  c.net.heal('a', 'b');
  t.true(await eventually(() => a.cluster.nodes().length === 1 && b.cluster.nodes().length === 1, 3000), 'both up again');
  t.deepEqual(await call(onB, { type: 'got' }).then((g) => g.length), 1, 'b\'s side of the link fired too, and calls work on the new channel');
  await c.stop();
});

test('a sequence gap on a channel is a lost connection: links fire on both sides', async (t) => {
  const c = await memoryCluster(['a', 'b'], { heartbeatMs: 25, downAfterMs: 5000 });
  const [a, b] = c.nodes as [TestNode, TestNode];
  const onB = await remoteProbe(a, b, true);
  const onA = await a.system.spawn(NodeProbe, { trap: true });
  await call(onA, { type: 'link', ref: onB });
  // A forged batch "from a" with a sequence number far ahead: b must treat it as a gap.
  const forger = c.net.connect('forger');
  const codec = new FrameCodec({ refClasses: [], encodeRef: () => ['x', 'y'], decodeRef: () => null });
  forger.publish(`arbor.t.n.${b.cluster.self.incarnation}`, codec.encode([a.cluster.self.incarnation, 1, 1_000_000, []]));
  t.true(await pollUntil(async () => (await got(onA)).length === 1, 3000), 'a got noconnection (b reset the channel)');
  t.like((await got(onA))[0], { type: 'EXIT', reason: 'noconnection' });
  // Until b's next heartbeat brings the channel back, a call to b rejects at once: poll through it.
  t.true(await pollUntil(async () => (await call(onB, { type: 'got' }).catch(() => [])).length === 1, 3000), 'b fired its side');
  await forger.close();
  await c.stop();
});

test('a frame that fails to decode is dropped on its own: the frames around it in its batch are applied, in order', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const onB = await remoteProbe(a, b);
  // A batch from a new incarnation (its channel starts at epoch 1, seq 1): good, bad, good frames.
  const forger = c.net.connect('forger');
  const codec = new FrameCodec({ refClasses: [], encodeRef: () => ['x', 'y'], decodeRef: () => null });
  const batch = new FrameBatch();
  codec.encodeInto([1, onB.id, { type: 'push', value: 'before' }], batch);
  batch.append(new Uint8Array([0x93, 1]), 0, 2); // a truncated array: it would swallow the next frame
  codec.encodeInto([1, onB.id, { type: 'push', value: 'after' }], batch);
  forger.publish(`arbor.t.n.${b.cluster.self.incarnation}`, batch.take(codec, 'ghost~1', 1, 1));
  t.true(await pollUntil(async () => (await got(onB)).length === 2, 3000));
  t.deepEqual(await got(onB), ['before', 'after']);
  await forger.close();
  await c.stop();
});

test('casts name their target by an index the channel announced: a cast to an index never announced is dropped alone, a new channel announces again', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const onB = await remoteProbe(a, b);
  const forger = c.net.connect('forger');
  const codec = new FrameCodec({ refClasses: [], encodeRef: () => ['x', 'y'], decodeRef: () => null });
  const batch = new FrameBatch();
  codec.encodeInto([17, 0, onB.id], batch); // NAME: index 0 is onB
  codec.encodeInto([18, 0, { type: 'push', value: 'first' }], batch);
  codec.encodeInto([18, 1, { type: 'push', value: 'nobody' }], batch); // index 1 was never announced
  codec.encodeInto([17, -1, onB.id], batch); // a malformed NAME
  codec.encodeInto([18, 0, { type: 'push', value: 'second' }], batch);
  forger.publish(`arbor.t.n.${b.cluster.self.incarnation}`, batch.take(codec, 'ghost~1', 1, 1));
  t.true(await pollUntil(async () => (await got(onB)).length === 2, 3000));
  // The next epoch of that channel starts with an empty table: index 0 means nothing there yet.
  codec.encodeInto([18, 0, { type: 'push', value: 'stale' }], batch);
  codec.encodeInto([17, 0, onB.id], batch);
  codec.encodeInto([18, 0, { type: 'push', value: 'third' }], batch);
  forger.publish(`arbor.t.n.${b.cluster.self.incarnation}`, batch.take(codec, 'ghost~1', 2, 1));
  t.true(await pollUntil(async () => (await got(onB)).length === 3, 3000));
  t.deepEqual(await got(onB), ['first', 'second', 'third']);
  // Real nodes across a cut and a heal: casts reach the same actor on the new channel, in order.
  for (let i = 0; i < 5; i++) cast(onB, { type: 'push', value: i });
  t.is((await got(onB)).length, 8, 'the casts of the first channel landed');
  c.net.cut('a', 'b');
  t.true(await eventually(() => a.cluster.nodes().length === 0, 3000));
  c.net.heal('a', 'b');
  t.true(await eventually(() => a.cluster.nodes().length === 1 && b.cluster.nodes().length === 1, 3000));
  const other = await remoteProbe(a, b);
  for (let i = 5; i < 10; i++) {
    cast(other, { type: 'push', value: i });
    cast(onB, { type: 'push', value: i });
  }
  t.deepEqual((await got(onB)).slice(3), [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.deepEqual(await got(other), [5, 6, 7, 8, 9]);
  await forger.close();
  await c.stop();
});

/**
 * Two nodes with a slow failure detector: a trapping actor on a linked to an actor on b (the
 * link is in place on b too), and a's node events. What a sees of b's leaving.
 */
async function linkedAcross(): Promise<{ c: MemoryCluster; b: TestNode; far: Probe; trapping: Probe; events: NodeEvent[] }> {
  const c = await memoryCluster(['a', 'b'], { heartbeatMs: 1000, downAfterMs: 30_000 });
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = await remoteProbe(a, b);
  const trapping = await a.system.spawn(NodeProbe, { trap: true });
  await call(trapping, { type: 'link', ref: far });
  await call(far, { type: 'echo', value: 1 }); // behind the LINK frame: b has the link now
  const events: NodeEvent[] = [];
  a.cluster.onNode((e) => events.push(e));
  return { c, b, far, trapping, events };
}

test('graceful leave tells peers at once (no wait for the failure detector)', async (t) => {
  t.timeout(10_000);
  const { c, b, trapping, events } = await linkedAcross();
  await b.cluster.leave();
  t.true(await eventually(() => events.length === 1, 5000));
  t.like(events[0], { type: 'nodedown', reason: 'leave' });
  t.true(await pollUntil(async () => (await got(trapping)).length === 1, 2000));
  t.like((await got(trapping))[0], { type: 'EXIT', reason: 'noconnection' });
  await c.stop();
});

test('system.shutdown() without leave(): the actors stop first (links across get their real reason), then the node leaves', async (t) => {
  t.timeout(10_000);
  const { c, b, far, trapping, events } = await linkedAcross();
  await b.system.shutdown();
  t.true(b.cluster.left, 'the shutdown made b leave');
  t.true(await eventually(() => events.length === 1, 5000));
  t.like(events[0], { type: 'nodedown', reason: 'leave' });
  t.true(await pollUntil(async () => (await got(trapping)).length === 1, 2000));
  t.like((await got(trapping))[0], { type: 'EXIT', from: far, reason: 'shutdown' }, 'the actor on b stopped before b left');
  await c.stop();
});

test('a ref from an earlier run of a node never reaches the new incarnation: calls reject noproc', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const old = await remoteProbe(a, b);
  await b.cluster.leave();
  await b.transport.close();
  await eventually(() => a.cluster.nodes().length === 0, 2000);
  await c.add('b');
  t.true(await eventually(() => a.cluster.nodes().length === 1, 2000));
  await t.throwsAsync(call(old, { type: 'got' }), { instanceOf: NoProcError });
  await c.stop();
});

test('an unserialisable message is a typed error at the sender', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = await remoteProbe(a, b);
  t.throws(() => cast(far, { type: 'push', value: { fn: () => 1 } }), { instanceOf: UnserialisableMessageError });
  await t.throwsAsync(call(far, { type: 'echo', value: Symbol('s') }), { instanceOf: UnserialisableMessageError });
  t.deepEqual(await got(far), [], 'nothing was delivered');
  await c.stop();
});

test('spawn with link: the child is linked atomically; losing the node gives the linker noconnection', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a] = c.nodes as [TestNode, TestNode];
  const linker = await a.system.spawn(NodeProbe, { trap: true });
  const child = await a.cluster.spawn<NodeProbeProtocol>('b', 'NodeProbe', undefined, { link: linker });
  t.deepEqual(a.system.getStatus(linker).links, [child.id]);
  cast(child, { type: 'stop', reason: 'shutdown' });
  t.true(await pollUntil(async () => (await got(linker)).length === 1, 2000));
  t.like((await got(linker))[0], { type: 'EXIT', from: child, reason: 'shutdown' });
  const child2 = await a.cluster.spawn<NodeProbeProtocol>('b', 'NodeProbe', undefined, { link: linker });
  c.net.kill('b');
  t.true(await pollUntil(async () => (await got(linker)).length === 2, 3000));
  t.like((await got(linker))[1], { type: 'EXIT', from: child2, reason: 'noconnection' });
  await c.stop();
});

test('property: random interleavings of casts from one node to actors on another keep per-sender order', async (t) => {
  const c = await memoryCluster(['a', 'b']);
  const [a, b] = c.nodes as [TestNode, TestNode];
  const receivers = [await remoteProbe(a, b), await remoteProbe(a, b)];
  const senders = [0, 1, 2]; // logical senders tagged in the payload: one node to another is one ordered channel
  let round = 0;
  await t.notThrowsAsync(
    fc.assert(
      fc.asyncProperty(fc.array(fc.tuple(fc.nat(senders.length - 1), fc.nat(receivers.length - 1)), { minLength: 1, maxLength: 60 }), async (ops) => {
        round++;
        const counters = senders.map(() => 0);
        for (const [s, r] of ops) cast(receivers[r]!, { type: 'push', value: [round, s, counters[s]!++] });
        for (const r of receivers) {
          const seen = ((await got(r)) as [number, number, number][]).filter((v) => v[0] === round);
          const last = new Map<number, number>();
          for (const [, s, n] of seen) {
            if ((last.get(s) ?? -1) >= n) return false;
            last.set(s, n);
          }
        }
        return true;
      }),
      { numRuns: 30 },
    ),
  );
  await c.stop();
});

test('three nodes: losing one fires only its links; the other pair keeps working', async (t) => {
  const c = await memoryCluster(['a', 'b', 'c']);
  const [a, b, cc] = c.nodes as [TestNode, TestNode, TestNode];
  const onB = await remoteProbe(a, b);
  const onC = await remoteProbe(a, cc);
  const trapping = await a.system.spawn(NodeProbe, { trap: true });
  await call(trapping, { type: 'link', ref: onB });
  await call(trapping, { type: 'link', ref: onC });
  c.net.kill('c');
  t.true(await pollUntil(async () => (await got(trapping)).length === 1, 3000));
  t.like((await got(trapping))[0], { type: 'EXIT', from: onC, reason: 'noconnection' });
  t.is(await call(onB, { type: 'echo', value: 'still' }), 'still');
  t.deepEqual(a.cluster.nodes().map((n) => n.name), ['b']);
  void FAST;
  await c.stop();
});

test('with connection events (the $SYS fast path), a killed node is down at once, not after downAfterMs', async (t) => {
  t.timeout(10_000);
  const c = await memoryCluster(['a', 'b'], { heartbeatMs: 1000, downAfterMs: 30_000 }, { connectionEvents: true });
  const [a, b] = c.nodes as [TestNode, TestNode];
  const far = await remoteProbe(a, b);
  const trapping = await a.system.spawn(NodeProbe, { trap: true });
  await call(trapping, { type: 'link', ref: far });
  const events: NodeEvent[] = [];
  a.cluster.onNode((e) => events.push(e));
  c.net.kill('b');
  t.true(await eventually(() => events.length === 1, 5000));
  t.like(events[0], { type: 'nodedown', reason: 'connection_closed' });
  t.true(await pollUntil(async () => (await got(trapping)).length === 1, 2000));
  t.like((await got(trapping))[0], { type: 'EXIT', reason: 'noconnection' });
  await c.stop();
});
