import test from 'ava';
import fc from 'fast-check';
import { FrameDecodeError } from '../../src/index.js';
import { fakeCodec } from './support.js';

const codec = fakeCodec('node-a.1');

const garbage: [string, number[]][] = [
  ['a truncated array', [0x93, 1]],
  ['trailing bytes after a value', [1, 2]],
  ['a huge length with no data', [0xdd, 0xff, 0xff, 0xff, 0xff]],
  ['the never-used byte 0xc1', [0xc1]],
  ['an unknown extension', [0xd4, 0x7f, 0]],
  ['a ref extension with a number', [0xd4, 0x32, 0, 1]],
  ['a Map extension with an odd entry count', [0xd4, 0x30, 0, 0x91, 1]],
  ['an error extension that is not a chain', [0xd4, 0x34, 0, 0x92, 1, 2]],
];
for (const [title, bytes] of garbage) {
  test(`garbage throws FrameDecodeError: ${title}`, (t) => {
    const e = t.throws(() => codec.decode(new Uint8Array(bytes)), { instanceOf: FrameDecodeError });
    t.is(e?.code, 'frame_decode');
    t.is(e?.byteLength, bytes.length);
  });
}

test('no bytes, or not bytes, throw FrameDecodeError', (t) => {
  t.throws(() => codec.decode(new Uint8Array(0)), { instanceOf: FrameDecodeError });
  t.throws(() => codec.decode('abc' as unknown as Uint8Array), { instanceOf: FrameDecodeError });
});

test('a truncated real frame throws FrameDecodeError at every cut', (t) => {
  const bytes = codec.encode([1, 'a.1', 'b.2', { type: 'inc', at: new Date(1), m: new Map([[1, 2]]), e: new Error('x') }, 7]);
  for (let cut = 1; cut < bytes.length; cut++) {
    t.throws(() => codec.decode(bytes.subarray(0, cut)), { instanceOf: FrameDecodeError }, `cut at ${cut}`);
  }
});

test('random bytes either decode or throw FrameDecodeError, never anything else', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 64 }), (bytes) => {
        try {
          codec.decode(bytes);
        } catch (e) {
          return e instanceof FrameDecodeError;
        }
        return true;
      }),
      { numRuns: 2000 },
    ),
  );
});
