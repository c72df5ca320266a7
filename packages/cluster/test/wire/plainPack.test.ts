import test from 'ava';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { FrameBatch, readBatch, readFrames } from '../../src/wire/FrameBatch.js';
import { NO_ROOM, NOT_PLAIN, packPlain } from '../../src/wire/plainPack.js';
import { FakeRemoteRef, fakeCodec } from './support.js';

const codec = fakeCodec('node-a.1');

/** The bytes of the fast path, or NOT_PLAIN. */
function plainBytes(value: unknown): Uint8Array | typeof NOT_PLAIN {
  const target = new Uint8Array(1 << 20);
  const end = packPlain(value, target, 0);
  if (end === NO_ROOM) throw new Error('no room in 1 MiB');
  return end === NOT_PLAIN ? NOT_PLAIN : target.slice(0, end);
}

/** Frames through a batch (encodeInto, take) and back (readBatch, readFrames). */
function throughBatch(frames: readonly unknown[]): unknown[] {
  const batch = new FrameBatch(16);
  for (const f of frames) codec.encodeInto(f, batch);
  const got: unknown[] = [];
  readFrames(codec, readBatch(codec, batch.take(codec, 'node-a~1', 1, 1)), (f) => got.push(f) > 0, (e) => {
    throw e;
  });
  return got;
}

const ascii = fc.string({ unit: fc.integer({ min: 0, max: 0x7f }).map((c) => String.fromCharCode(c)), maxLength: 40 });
/** Plain data: what the fast path is for. */
const plain = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    ascii,
    fc.integer({ min: -(2 ** 31), max: 2 ** 32 - 1 }),
    fc.double({ noNaN: true }).filter((d) => !Object.is(d, -0)), // -0 and NaN go the general way
    fc.boolean(),
    fc.constant(null),
    fc.array(tie('value'), { maxLength: 20 }),
    fc.dictionary(ascii.filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 15, noNullPrototype: true }),
  ),
})).value;
/** Anything the codec carries, for the cases the fast path must hand over. */
const any = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.constant(-0),
    fc.constant(undefined),
    fc.bigInt(),
    fc.date({ noInvalidDate: true }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string().filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 20, noNullPrototype: true }),
    fc.array(fc.tuple(fc.integer(), tie('value')), { maxLength: 3 }).map((entries) => new Map(entries)),
  ),
})).value;

test('property: plain data takes the fast path, and msgpackr reads its bytes back as the value', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(plain, (value) => {
        const bytes = plainBytes(value);
        if (bytes === NOT_PLAIN) throw new Error(`plain data refused: ${JSON.stringify(value)}`);
        return isDeepStrictEqual(codec.decode(bytes), value) && isDeepStrictEqual(codec.decode(bytes), codec.decode(codec.encode(value)));
      }),
      { numRuns: 500 },
    ),
  );
});

test('property: any value crosses a batch equal, fast path or not; the fast path never writes what msgpackr reads otherwise', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(any, (value) => {
        const bytes = plainBytes(value);
        if (bytes !== NOT_PLAIN && !isDeepStrictEqual(codec.decode(bytes), codec.decode(codec.encode(value)))) return false;
        return isDeepStrictEqual(throughBatch([[1, 'id', value]]), [[1, 'id', value]]);
      }),
      { numRuns: 500 },
    ),
  );
});

test('the sizes where msgpack headers change cross the fast path exactly', (t) => {
  const ints = [0, 1, 127, 128, 255, 256, 65535, 65536, 2 ** 32 - 1, -1, -32, -33, -128, -129, -32768, -32769, -(2 ** 31)];
  const floats = [0.5, -1.25, 2 ** 32, 2 ** 53 + 2, -(2 ** 31) - 1, 2 ** 53, Number.MAX_VALUE, Number.MIN_VALUE, Infinity, -Infinity];
  const strings = [0, 1, 15, 16, 31, 32, 255, 256, 65535, 65536].map((n) => 'a'.repeat(n));
  const arrays = [0, 15, 16, 65535, 65536].map((n) => new Array<number>(n).fill(7));
  const objects = [0, 1, 15].map((n) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, i])));
  for (const value of [...ints, ...floats, ...strings, ...arrays, ...objects]) {
    const bytes = plainBytes(value);
    t.not(bytes, NOT_PLAIN, `fast path for ${String(value).slice(0, 20)}`);
    t.deepEqual(codec.decode(bytes as Uint8Array), value);
  }
});

test('what the fast path hands to the general encoder, which keeps it as before', (t) => {
  const general: [string, unknown][] = [
    ['-0', -0],
    ['NaN', NaN],
    ['undefined', undefined],
    ['a hole', [1, , 3]], // eslint-disable-line no-sparse-arrays
    ['a Date', new Date(5)],
    ['a Map', new Map([[1, 2]])],
    ['a BigInt', 5n],
    ['a non-ASCII string', 'café'],
    ['a long non-ASCII string', 'é'.repeat(40)],
    ['a non-ASCII key', { 'clé': 1 }],
    ['a __proto__ key', JSON.parse('{"__proto__": 1}')],
    ['16 keys', Object.fromEntries(Array.from({ length: 16 }, (_, i) => [`k${i}`, i]))],
    ['a null-prototype object', Object.assign(Object.create(null), { a: 1 })],
    ['a ref', new FakeRemoteRef('node-c.1', 'x')],
    ['a Uint8Array', new Uint8Array([1, 2])],
  ];
  for (const [title, value] of general) {
    const frame = [1, 'id', { v: value }];
    t.is(plainBytes(frame), NOT_PLAIN, title);
    t.deepEqual(throughBatch([frame]), [codec.decode(codec.encode(frame))], title);
  }
  t.throws(() => codec.encodeInto([1, 'id', { f: () => 1 }], new FrameBatch()), { message: /msg\[2\]\.f/ }, 'an unserialisable message still throws at the sender, naming its path');
});

test('a frame that does not fit says NO_ROOM; a batch grows and writes it whole', (t) => {
  t.is(packPlain({ data: 'x'.repeat(64) }, new Uint8Array(10), 0), NO_ROOM);
  t.is(packPlain([1, 2, 3], new Uint8Array(3), 0), NO_ROOM);
  const big = { type: 'add', data: 'y'.repeat(100_000), list: Array.from({ length: 5000 }, (_, i) => i) };
  t.deepEqual(throughBatch([[1, 'a', { n: 1 }], [1, 'b', big], [1, 'c', { n: 2 }]]), [[1, 'a', { n: 1 }], [1, 'b', big], [1, 'c', { n: 2 }]]);
});

test('the cast frame of remote_cast takes the fast path', (t) => {
  t.not(plainBytes([1, 'V1StGXR8_Z5jdHi6B-myT', { type: 'add', data: 'x'.repeat(64) }]), NOT_PLAIN);
  t.not(plainBytes([3, 'V1StGXR8_Z5jdHi6B-myT', 12, { type: 'echo', value: 7 }]), NOT_PLAIN, 'a call frame too');
});
