import test from 'ava';
import { capturingLogger, eventually, settle, sleep } from '@arbor/test-support';
import {
  MemoryNetwork,
  TransportClosedError,
  TransportNameInUseError,
  UnknownConnectionError,
  type MemoryTransport,
  type TransportStatus,
} from '../../src/index.js';

const enc = (n: number): Uint8Array => new Uint8Array(new Uint32Array([n]).buffer);
const dec = (d: Uint8Array): number => new DataView(d.buffer, d.byteOffset, 4).getUint32(0, true);

/** Collects the numbers `t` receives on `subject`. */
function inbox(t: MemoryTransport, subject = 'x.>'): number[] {
  const got: number[] = [];
  t.subscribe(subject, (d) => got.push(dec(d)));
  return got;
}
function statuses(t: MemoryTransport): string[] {
  const seen: string[] = [];
  t.onStatus((s: TransportStatus) => seen.push(s.type));
  return seen;
}
const until = async (cond: () => boolean): Promise<void> => {
  for (let i = 0; i < 500 && !cond(); i++) await sleep(2);
};

test('delivery is asynchronous: nothing runs inside publish', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const got = inbox(b);
  t.true(a.publish('x.1', enc(1)));
  t.deepEqual(got, []);
  await until(() => got.length === 1);
  t.deepEqual(got, [1]);
});

test('wildcard subscriptions and own publishes (noEcho false) are delivered; non-matching are not addressed', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const star: string[] = [];
  const rest: string[] = [];
  b.subscribe('arbor.c.n.*', (_d, s) => star.push(s));
  a.subscribe('arbor.c.>', (_d, s) => rest.push(s));
  a.publish('arbor.c.n.b', enc(1));
  a.publish('arbor.c.hb.a', enc(2));
  a.publish('arbor.c.n.b.extra', enc(3));
  a.publish('other', enc(4));
  await until(() => rest.length === 3);
  await settle();
  t.deepEqual(star, ['arbor.c.n.b']);
  t.deepEqual(rest, ['arbor.c.n.b', 'arbor.c.hb.a', 'arbor.c.n.b.extra']);
  t.deepEqual(net.stats(), {
    'a->b': { published: 1, delivered: 1, dropped: 0 },
    'a->a': { published: 3, delivered: 3, dropped: 0 },
  });
});

test('order per publisher holds under a delay that changes mid-stream, and other pairs are not held up', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const c = net.connect('c');
  const b = net.connect('b');
  const arrivals: string[] = [];
  b.subscribe('x.*', (d, s) => arrivals.push(`${s}:${dec(d)}`));
  net.setDelay(40, { from: 'a' });
  for (let i = 0; i < 50; i++) a.publish('x.a', enc(i));
  net.setDelay(0, { from: 'a' }); // later messages of a must still wait for the delayed ones
  for (let i = 50; i < 100; i++) a.publish('x.a', enc(i));
  c.publish('x.c', enc(0)); // not delayed: arrives first
  await until(() => arrivals.length === 101);
  t.is(arrivals[0], 'x.c:0');
  t.deepEqual(
    arrivals.filter((s) => s.startsWith('x.a')),
    Array.from({ length: 100 }, (_, i) => `x.a:${i}`),
  );
});

test('cut drops both directions between the pair only; heal restores', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const c = net.connect('c');
  const gotA = inbox(a, 'x.a');
  const gotB = inbox(b, 'x.b');
  const gotC = inbox(c, 'x.c');
  net.cut('a', b);
  a.publish('x.b', enc(1));
  b.publish('x.a', enc(2));
  a.publish('x.c', enc(3));
  b.publish('x.c', enc(4));
  await until(() => gotC.length === 2);
  await settle();
  t.deepEqual([gotA, gotB, gotC], [[], [], [3, 4]]);
  net.heal(b, 'a');
  a.publish('x.b', enc(5));
  b.publish('x.a', enc(6));
  await until(() => gotA.length === 1 && gotB.length === 1);
  t.deepEqual([gotA, gotB], [[6], [5]]);
  t.deepEqual(net.stats()['a->b'], { published: 2, delivered: 1, dropped: 1 });
});

test('a cut also loses what is in flight', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const got = inbox(b);
  net.setDelay(20);
  a.publish('x.1', enc(1));
  net.cut('a', 'b');
  await sleep(40);
  t.deepEqual(got, []);
  t.deepEqual(net.stats()['a->b'], { published: 1, delivered: 0, dropped: 1 });
});

test('isolate: disconnect status, publishes from and deliveries to it dropped, flush waits; rejoin: reconnect status, traffic flows, flush resolves', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const seen = statuses(a);
  const disconnects: string[] = [];
  net.onDisconnect((name, reason) => disconnects.push(`${name}:${reason}`));
  const gotA = inbox(a);
  const gotB = inbox(b);
  net.isolate('a');
  t.true(a.publish('x.1', enc(1)), 'publish while disconnected is accepted (and lost)');
  b.publish('x.2', enc(2));
  let flushed = false;
  void a.flush().then(() => (flushed = true));
  await until(() => seen.length === 1 && disconnects.length === 1);
  await sleep(10);
  t.deepEqual(seen, ['disconnect']);
  t.deepEqual(disconnects, ['a:isolated']);
  t.deepEqual(gotA, []);
  t.deepEqual(gotB, [2], 'b still gets its own message');
  t.false(flushed);
  net.rejoin('a');
  await until(() => seen.length === 2 && flushed);
  t.deepEqual(seen, ['disconnect', 'reconnect']);
  t.true(flushed);
  b.publish('x.3', enc(3));
  await until(() => gotA.length === 1);
  t.deepEqual(gotA, [3]);
});

test('setLoss with a seed drops the same messages on every run, and about the asked share', async (t) => {
  const run = async (seed: number): Promise<number[]> => {
    const net = new MemoryNetwork();
    const a = net.connect('a');
    const b = net.connect('b');
    const got = inbox(b);
    net.setLoss(0.3, { from: 'a', to: 'b', seed });
    for (let i = 0; i < 1000; i++) a.publish('x.1', enc(i));
    await until(() => (net.stats()['a->b']?.delivered ?? 0) + (net.stats()['a->b']?.dropped ?? 0) === 1000);
    return got;
  };
  const first = await run(42);
  const second = await run(42);
  const other = await run(43);
  t.deepEqual(first, second);
  t.notDeepEqual(first, other);
  t.true(first.length > 600 && first.length < 800, `kept ${first.length} of 1000 at loss 0.3`);
  t.deepEqual(first, [...first].sort((x, y) => x - y), 'what is kept stays in order');
});

test('dropNext drops exactly the next n of that pair', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const c = net.connect('c');
  const gotB = inbox(b);
  const gotC = inbox(c);
  net.dropNext('a', 'b', 2);
  for (let i = 0; i < 5; i++) a.publish('x.1', enc(i));
  await until(() => gotB.length === 3 && gotC.length === 5);
  t.deepEqual(gotB, [2, 3, 4]);
  t.deepEqual(gotC, [0, 1, 2, 3, 4]);
});

test('duplicateNext delivers the next n twice, back to back, as separate copies', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const bufs: Uint8Array[] = [];
  b.subscribe('x.>', (d) => bufs.push(d));
  net.duplicateNext(a, b, 1);
  for (let i = 0; i < 3; i++) a.publish('x.1', enc(i));
  await until(() => bufs.length === 4);
  await settle();
  t.deepEqual(bufs.map(dec), [0, 0, 1, 2]);
  t.not(bufs[0], bufs[1]);
  t.deepEqual(net.stats()['a->b'], { published: 3, delivered: 4, dropped: 0 });
});

test('pause queues deliveries to it (nothing dropped), resume delivers them in order', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const got = inbox(b);
  const gotA = inbox(a, 'y.>');
  net.pause('b');
  for (let i = 0; i < 10; i++) a.publish('x.1', enc(i));
  b.publish('y.1', enc(99)); // a paused process's earlier writes still go out
  await sleep(20);
  t.deepEqual(got, []);
  t.deepEqual(gotA, [99]);
  net.resume('b');
  await until(() => got.length === 10);
  t.deepEqual(got, [0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
  t.deepEqual(net.stats()['a->b'], { published: 10, delivered: 10, dropped: 0 });
});

test('kill: closed status with an error, onDisconnect, queued deliveries dropped, publish false, flush rejects; the name can connect again', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const got = inbox(b);
  const closed: TransportStatus[] = [];
  b.onStatus((s) => closed.push(s));
  const downs: string[] = [];
  net.onDisconnect((name, reason) => downs.push(`${name}:${reason}`));
  net.pause('b');
  a.publish('x.1', enc(1));
  const pendingFlush = b.flush();
  net.kill('b');
  t.true(b.closed);
  t.false(b.publish('x.1', enc(2)));
  await t.throwsAsync(b.flush(), { instanceOf: TransportClosedError });
  await pendingFlush; // resolved before the kill (not isolated): flush waits only for the bus
  await until(() => downs.length === 1 && closed.length === 1);
  t.deepEqual(downs, ['b:killed']);
  t.is(closed[0]!.type, 'closed');
  t.true((closed[0] as { error?: Error }).error instanceof TransportClosedError);
  t.deepEqual(got, []);
  t.deepEqual(net.stats()['a->b'], { published: 1, delivered: 0, dropped: 1 });
  t.throws(() => b.subscribe('x.>', () => {}), { instanceOf: TransportClosedError });
  t.throws(() => net.kill('b'), { instanceOf: UnknownConnectionError });
  const b2 = net.connect('b');
  const got2 = inbox(b2);
  a.publish('x.1', enc(3));
  await until(() => got2.length === 1);
  t.deepEqual(got2, [3]);
});

test('close is graceful and idempotent: closed status without error, onDisconnect reason closed', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const seen: TransportStatus[] = [];
  a.onStatus((s) => seen.push(s));
  const downs: string[] = [];
  net.onDisconnect((name, reason) => downs.push(`${name}:${reason}`));
  await a.close();
  await a.close();
  await until(() => seen.length === 1 && downs.length === 1);
  await settle();
  t.deepEqual(seen, [{ type: 'closed' }]);
  t.deepEqual(downs, ['a:closed']);
});

test('names are unique among open connections', (t) => {
  const net = new MemoryNetwork();
  net.connect('a');
  t.throws(() => net.connect('a'), { instanceOf: TransportNameInUseError });
});

test('a reused buffer shows the change made after publish (copy at delivery), a fresh buffer per publish does not', async (t) => {
  const net = new MemoryNetwork();
  const a = net.connect('a');
  const b = net.connect('b');
  const got = inbox(b);
  const reused = new Uint8Array(4);
  for (let i = 0; i < 5; i++) {
    reused[0] = i;
    a.publish('x.1', reused);
  }
  await until(() => got.length === 5);
  t.deepEqual(got, [4, 4, 4, 4, 4]);
  got.length = 0;
  for (let i = 0; i < 5; i++) a.publish('x.1', enc(i));
  await until(() => got.length === 5);
  t.deepEqual(got, [0, 1, 2, 3, 4]);
});

test('a throwing subscriber is logged and its subscription keeps receiving; unsubscribe stops delivery', async (t) => {
  const { logger, logs } = capturingLogger();
  const net = new MemoryNetwork({ logger });
  const a = net.connect('a');
  const b = net.connect('b');
  const got: number[] = [];
  const sub = b.subscribe('x.>', (d) => {
    got.push(dec(d));
    if (dec(d) === 0) throw new Error('boom');
  });
  a.publish('x.1', enc(0));
  a.publish('x.1', enc(1));
  await until(() => got.length === 2);
  t.deepEqual(got, [0, 1]);
  t.true(await eventually(() => logs.some((l) => l.level === 'error' && /subscriber callback threw/.test(l.message))));
  sub.unsubscribe();
  a.publish('x.1', enc(2));
  await sleep(10);
  t.deepEqual(got, [0, 1]);
});
