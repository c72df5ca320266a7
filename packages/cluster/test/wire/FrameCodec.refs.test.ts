import test from 'ava';
import { createSystem, GenServer, MonitorRef } from '@arbor/core';
import { FrameCodec, UnserialisableMessageError } from '../../src/index.js';
import { FakeRemoteRef, fakeCodec, roundTrip } from './support.js';

class Idle extends GenServer<{ cast: { type: 'noop' } }, number, number> {
  override init(n: number): void {
    this.state = n;
  }
}

test('refs at any depth go through the hooks of the codec that encodes and the codec that decodes', async (t) => {
  const system = createSystem();
  try {
    const local = await system.spawn(Idle, 1);
    const LocalRef = Object.getPrototypeOf(local).constructor as abstract new (...a: never[]) => object;
    const exported: object[] = [];
    const sender = new FrameCodec({
      refClasses: [LocalRef, FakeRemoteRef],
      encodeRef: (ref) => {
        exported.push(ref);
        return ref instanceof FakeRemoteRef ? [ref.incarnation, ref.id] : ['node-a.1', (ref as { id: string }).id];
      },
      decodeRef: () => t.fail('the sender decodes nothing'),
    });
    const receiver = fakeCodec('node-b.1');
    const remote = new FakeRemoteRef('node-c.9', 'xyz');
    const back = receiver.decode(sender.encode({ to: local, deep: [{ m: new Map([['who', remote]]) }], set: new Set([local]) })) as {
      to: FakeRemoteRef;
      deep: [{ m: Map<string, FakeRemoteRef> }];
      set: Set<FakeRemoteRef>;
    };
    t.deepEqual(back.to, new FakeRemoteRef('node-a.1', local.id));
    t.deepEqual(back.deep[0].m.get('who'), new FakeRemoteRef('node-c.9', 'xyz'));
    t.deepEqual([...back.set], [new FakeRemoteRef('node-a.1', local.id)]);
    t.is(exported.length, 3);
    t.is(exported[0], local);
  } finally {
    await system.shutdown();
  }
});

test('two codecs with different hooks in one process, interleaved, each decodes with its own hooks', (t) => {
  const made: string[] = [];
  const codecFor = (node: string): FrameCodec =>
    new FrameCodec({
      refClasses: [FakeRemoteRef],
      encodeRef: (ref) => [(ref as FakeRemoteRef).incarnation, (ref as FakeRemoteRef).id],
      decodeRef: (inc, id) => {
        made.push(`${node}:${inc}/${id}`);
        return { seenBy: node, inc, id };
      },
    });
  const a = codecFor('A');
  const b = codecFor('B');
  const ref = new FakeRemoteRef('node-x.1', 'r1');
  const fromA = a.encode([ref]);
  const fromB = b.encode({ r: ref });
  t.deepEqual(b.decode(fromA), [{ seenBy: 'B', inc: 'node-x.1', id: 'r1' }]);
  t.deepEqual(a.decode(fromB), { r: { seenBy: 'A', inc: 'node-x.1', id: 'r1' } });
  t.deepEqual(a.decode(fromA), [{ seenBy: 'A', inc: 'node-x.1', id: 'r1' }]);
  t.deepEqual(made, ['B:node-x.1/r1', 'A:node-x.1/r1', 'A:node-x.1/r1']);
});

test('a decodeRef hook that decodes with another codec (re-entrant) leaves the outer codec in charge', (t) => {
  const inner = fakeCodec('inner');
  const innerBytes = inner.encode([new FakeRemoteRef('i', '1')]);
  const outer = new FrameCodec({
    refClasses: [FakeRemoteRef],
    encodeRef: (ref) => [(ref as FakeRemoteRef).incarnation, (ref as FakeRemoteRef).id],
    decodeRef: (inc, id) => ({ outer: `${inc}/${id}`, nested: inner.decode(innerBytes) }),
  });
  const back = outer.decode(outer.encode([new FakeRemoteRef('o', '1'), new FakeRemoteRef('o', '2')]));
  t.deepEqual(back, [
    { outer: 'o/1', nested: [new FakeRemoteRef('i', '1')] },
    { outer: 'o/2', nested: [new FakeRemoteRef('i', '1')] },
  ]);
});

test('a ref of a class the codec does not know is refused, naming the path', async (t) => {
  const system = createSystem();
  try {
    const local = await system.spawn(Idle, 1);
    const codec = fakeCodec('node-a.1'); // knows FakeRemoteRef only
    const error = t.throws(() => codec.encode({ reply: { to: local } }), { instanceOf: UnserialisableMessageError });
    t.is(error?.path, 'msg.reply.to');
    t.regex(error?.message ?? '', /^msg\.reply\.to: an actor ref \(\w+\) that this codec's refClasses do not include cannot cross nodes/);
  } finally {
    await system.shutdown();
  }
});

test('MonitorRefs go through encodeMonitor / decodeMonitor', async (t) => {
  const system = createSystem();
  try {
    const local = await system.spawn(Idle, 1);
    const monitor = system.monitor(local, () => {});
    t.true(monitor instanceof MonitorRef);
    const codec = fakeCodec('node-a.1', {
      encodeMonitor: (m) => ['node-a.1', m.id],
      decodeMonitor: (inc, id) => ({ monitor: `${inc}#${id}` }),
    });
    t.deepEqual(roundTrip(codec, { type: 'DOWN', ref: monitor }), { type: 'DOWN', ref: { monitor: `node-a.1#${monitor.id}` } });
    const without = fakeCodec('node-a.1');
    t.throws(() => without.encode({ ref: monitor }), { instanceOf: UnserialisableMessageError, message: /^msg\.ref: a MonitorRef cannot cross/ });
  } finally {
    await system.shutdown();
  }
});
