import test from 'ava';
import { FrameDecodeError, UnserialisableMessageError } from '../../src/index.js';
import { FrameBatch, readBatch, readFrames } from '../../src/wire/FrameBatch.js';
import { FakeRemoteRef, fakeCodec } from './support.js';

const sender = fakeCodec('node-a.1');

/** Every frame of a batch, and every bad frame's error, in order. */
function readAll(bytes: Uint8Array, codec = fakeCodec('node-b.1')): { frames: unknown[]; bad: FrameDecodeError[]; from: unknown; epoch: number; seq: number } {
  const batch = readBatch(codec, bytes);
  const frames: unknown[] = [];
  const bad: FrameDecodeError[] = [];
  readFrames(
    codec,
    batch,
    (f) => frames.push(f) > 0,
    (e) => bad.push(e),
  );
  return { frames, bad, from: batch.from, epoch: batch.epoch, seq: batch.seq };
}

test('many frames of every kind cross in one buffer, in order, with the head', (t) => {
  const batch = new FrameBatch(16); // grows as frames come
  const sent: unknown[] = [];
  for (let i = 0; i < 2000; i++) {
    const frame = i % 3 === 0 ? [1, `id${i}`, { type: 'add', data: 'x'.repeat(i % 300), at: new Date(i), m: new Map([[i, -0]]) }] : i % 3 === 1 ? [4, i, BigInt(i) * 10n ** 20n] : [11, i, 'noproc'];
    sender.encodeInto(frame, batch);
    sent.push(frame);
  }
  t.is(batch.count, 2000);
  const bytes = batch.take(sender, 'node-a~1', 3, 42);
  t.is(batch.count, 0, 'take empties the batch');
  const got = readAll(bytes);
  t.deepEqual(got.bad, []);
  t.is(got.from, 'node-a~1');
  t.is(got.epoch, 3);
  t.is(got.seq, 42);
  t.deepEqual(got.frames, sent);
});

test('a bad frame among good ones is one FrameDecodeError of its length, and the frames after it still arrive', (t) => {
  const batch = new FrameBatch();
  const bad = [
    [0xd4, 0x7f, 0], // an unknown extension: the decoder throws
    [0x93, 1], // a truncated array: it would swallow the next frames, the head's lengths say where it ends
    [0xc1], // the never-used byte
    [0xd4, 0x32, 0, 1], // a ref extension with a number
  ];
  const sent: unknown[] = [];
  for (let i = 0; i < 5; i++) {
    sender.encodeInto([1, `id${i}`, { n: i }], batch);
    sent.push([1, `id${i}`, { n: i }]);
    if (i < bad.length) batch.append(new Uint8Array(bad[i]!), 0, bad[i]!.length);
  }
  const got = readAll(batch.take(sender, 'node-a~1', 1, 1));
  t.deepEqual(got.frames, sent);
  t.is(got.bad.length, bad.length);
  for (const [i, e] of got.bad.entries()) {
    t.true(e instanceof FrameDecodeError);
    t.is(e.code, 'frame_decode');
    t.is(e.byteLength, bad[i]!.length, `bad frame ${i}`);
  }
});

test('a bad last frame, and a batch of bad frames only', (t) => {
  const batch = new FrameBatch();
  sender.encodeInto(['first'], batch);
  batch.append(new Uint8Array([0x92, 1]), 0, 2);
  let got = readAll(batch.take(sender, 'a', 1, 1));
  t.deepEqual(got.frames, [['first']]);
  t.is(got.bad.length, 1);
  batch.append(new Uint8Array([0xc1]), 0, 1);
  batch.append(new Uint8Array([0xc1]), 0, 1);
  got = readAll(batch.take(sender, 'a', 1, 2));
  t.deepEqual(got.frames, []);
  t.is(got.bad.length, 2);
});

test('refs inside frames go through the receiving codec\'s hooks, frame by frame', (t) => {
  const decoded: string[] = [];
  const receiver = fakeCodec('node-b.1', {
    decodeRef: (inc, id) => {
      decoded.push(`${inc}/${id}`);
      return new FakeRemoteRef(inc, id);
    },
  });
  const batch = new FrameBatch();
  for (let i = 0; i < 10; i++) sender.encodeInto([7, `to${i}`, new FakeRemoteRef('node-c.1', `from${i}`), { reply: new FakeRemoteRef('node-a.1', `r${i}`) }], batch);
  const got = readAll(batch.take(sender, 'a', 1, 1), receiver);
  t.deepEqual(got.bad, []);
  t.is(got.frames.length, 10);
  for (const [i, f] of (got.frames as unknown[][]).entries()) {
    t.deepEqual(f, [7, `to${i}`, new FakeRemoteRef('node-c.1', `from${i}`), { reply: new FakeRemoteRef('node-a.1', `r${i}`) }]);
    t.true(f[2] instanceof FakeRemoteRef);
  }
  t.is(decoded.length, 20);
  // Once the batch is read its hooks are off: another codec's decode uses its own.
  const other: string[] = [];
  fakeCodec('node-z.1', { decodeRef: (inc, id) => other.push(id) }).decode(sender.encode([new FakeRemoteRef('x', 'after')]));
  t.deepEqual(other, ['after']);
  t.is(decoded.length, 20);
});

test('onFrame returning false stops the batch: the frames after it are not decoded', (t) => {
  const decoded: string[] = [];
  const receiver = fakeCodec('node-b.1', {
    decodeRef: (inc, id) => {
      decoded.push(id);
      return new FakeRemoteRef(inc, id);
    },
  });
  const batch = new FrameBatch();
  for (let i = 0; i < 5; i++) sender.encodeInto([1, new FakeRemoteRef('x', `r${i}`)], batch);
  const frames: unknown[] = [];
  readFrames(receiver, readBatch(receiver, batch.take(sender, 'a', 1, 1)), (f) => frames.push(f) < 2, () => t.fail());
  t.is(frames.length, 2);
  t.deepEqual(decoded, ['r0', 'r1']);
});

test('each take is a fresh buffer: a later batch never writes into an earlier one, nor into encode\'s bytes', (t) => {
  const batch = new FrameBatch();
  sender.encodeInto(['one', 'x'.repeat(100)], batch);
  const first = batch.take(sender, 'a', 1, 1);
  const copy = Uint8Array.from(first);
  const own = sender.encode(['encode', 'z'.repeat(100)]);
  for (let i = 0; i < 100; i++) sender.encodeInto(['two', 'y'.repeat(100)], batch);
  sender.encode(['encode', 'w'.repeat(100)]);
  t.deepEqual(sender.decode(own), ['encode', 'z'.repeat(100)], 'encodeInto never writes into the bytes encode returned');
  const second = batch.take(sender, 'a', 1, 2);
  t.true(second.length > first.length);
  t.deepEqual(Uint8Array.from(first), copy);
  t.deepEqual(readAll(first).frames, [['one', 'x'.repeat(100)]]);
});

test('encodeInto throws UnserialisableMessageError at the sender and leaves the batch as it was', (t) => {
  const batch = new FrameBatch();
  sender.encodeInto(['ok'], batch);
  t.throws(() => sender.encodeInto(['bad', { f: () => 1 }], batch), { instanceOf: UnserialisableMessageError, message: /msg\[1\]\.f/ });
  t.is(batch.count, 1);
  t.deepEqual(readAll(batch.take(sender, 'a', 1, 1)).frames, [['ok']]);
});

test('bytes that are not a batch throw FrameDecodeError from readBatch', (t) => {
  const codec = fakeCodec('node-b.1');
  const notBatches: [string, Uint8Array][] = [
    ['garbage', new Uint8Array([0xc1, 2, 3])],
    ['a head that is not an array of four', sender.encode(['a', 1, 1])],
    ['a head with no lengths', sender.encode(['a', 1, 1, 'x'])],
    ['a zero frame length', sender.encode(['a', 1, 1, [0]])],
    ['lengths longer than the bytes', sender.encode(['a', 1, 1, [5]])],
    ['bytes after the announced frames', Uint8Array.of(...sender.encode(['a', 1, 1, [1]]), 1, 2)],
  ];
  for (const [title, bytes] of notBatches) t.throws(() => readBatch(codec, bytes), { instanceOf: FrameDecodeError }, title);
  t.notThrows(() => readBatch(codec, sender.encode(['a', 1, 1, []])), 'an empty batch is a batch');
});
