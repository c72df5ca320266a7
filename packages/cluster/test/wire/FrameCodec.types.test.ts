import test from 'ava';
import { fakeCodec, roundTrip } from './support.js';

const codec = fakeCodec('node-a.1');

const cases: [string, unknown][] = [
  ['strings, numbers, booleans, null', { s: 'héllo', i: 42, neg: -7, f: 1.5, big: 2 ** 60, t: true, n: null }],
  ['Date at depth', { a: [{ at: new Date(1_700_000_000_123) }] }],
  ['invalid Date', { d: new Date(NaN) }],
  ['Map with string keys stays a Map', { m: new Map([['a', 1], ['b', 2]]) }],
  ['Map with object and number keys', new Map<unknown, unknown>([[1, 'one'], [{ k: 1 }, [2]], [null, new Map([['x', -0]])]])],
  ['empty Map and Set', [new Map(), new Set()]],
  ['Set of mixed values, Maps inside', new Set<unknown>([1, 'a', new Map([[2, 3]]), { o: 1 }])],
  ['BigInt small, 64-bit edges and beyond', [0n, 5n, -5n, 2n ** 63n - 1n, -(2n ** 63n), 2n ** 64n - 1n, 2n ** 200n, -(2n ** 200n)]],
  ['Uint8Array', { b: new Uint8Array([0, 1, 255]) }],
  ['other typed arrays', [new Int8Array([-1]), new Uint16Array([65535]), new Int32Array([-5]), new Float32Array([1.5]), new Float64Array([Math.PI]), new BigInt64Array([-3n])]],
  ['ArrayBuffer', new Uint8Array([9, 8]).buffer],
  ['undefined inside objects and arrays', { u: undefined, a: [undefined, 1, undefined] }],
  ['-0 at top level and at depth', [-0, { z: -0 }, new Map([[-0, -0]])]],
  ['NaN and infinities', [NaN, Infinity, -Infinity]],
  ['RegExp', { r: /a+b/giu }],
  ['null-prototype object comes back as a plain object', Object.assign(Object.create(null) as object, { a: 1 })],
];

for (const [title, value] of cases) {
  test(`round trip: ${title}`, (t) => {
    const back = roundTrip(codec, value);
    if (title.startsWith('null-prototype')) t.deepEqual(back, { a: 1 });
    else t.deepEqual(back, value);
  });
}

test('round trip: -0 keeps its sign (deepEqual treats 0 and -0 alike, Object.is does not)', (t) => {
  const back = roundTrip(codec, [-0, { z: -0 }, 0]) as [number, { z: number }, number];
  t.true(Object.is(back[0], -0));
  t.true(Object.is(back[1].z, -0));
  t.true(Object.is(back[2], 0));
});

test('round trip: a Map is a Map and an object is an object, even with the same string keys', (t) => {
  const back = roundTrip(codec, { m: new Map([['a', 1]]), o: { a: 1 } }) as { m: unknown; o: unknown };
  t.true(back.m instanceof Map);
  t.false(back.o instanceof Map);
});

test('round trip: a shared (not cyclic) sub-object is sent twice', (t) => {
  const shared = { x: 1 };
  t.deepEqual(roundTrip(codec, [shared, { again: shared }]), [{ x: 1 }, { again: { x: 1 } }]);
});

test('an object with toJSON crosses as what toJSON returns', (t) => {
  class Point {
    constructor(readonly x: number, readonly y: number) {}
    toJSON(): unknown {
      return { x: this.x, y: this.y, at: new Map([[1, 2]]) };
    }
  }
  t.deepEqual(roundTrip(codec, { p: new Point(1, 2) }), { p: { x: 1, y: 2, at: new Map([[1, 2]]) } });
});

test('decoded bytes do not alias the frame: changing the frame later leaves them alone', (t) => {
  const bytes = codec.encode({ b: new Uint8Array([1, 2, 3]) });
  const back = codec.decode(bytes) as { b: Uint8Array };
  bytes.fill(0);
  t.deepEqual([...back.b], [1, 2, 3]);
});

test('encode returns a fresh buffer each call: mutating the first leaves the second unchanged', (t) => {
  const frame = [1, 'a.1', 'b.2', { type: 'inc', by: 1 }, 7];
  const first = codec.encode(frame);
  const second = codec.encode(frame);
  const copy = [...second];
  first.fill(0xff);
  t.deepEqual([...second], copy);
  t.deepEqual(codec.decode(second), frame);
});

test('buffers from many encodes stay intact (no later encode writes into an earlier one)', (t) => {
  const buffers = Array.from({ length: 5000 }, (_, i) => codec.encode({ i, pad: 'x'.repeat(i % 50) }));
  buffers.forEach((b, i) => {
    t.is((codec.decode(b) as { i: number }).i, i);
  });
});
