import test from 'ava';
import { isDeepStrictEqual } from 'node:util';
import fc from 'fast-check';
import { fakeCodec, roundTrip } from './support.js';

const codec = fakeCodec('node-a.1');

/** JSON-ish values plus the types the codec promises to keep. */
const wireValue = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small' },
    fc.string(),
    fc.double(),
    fc.integer(),
    fc.boolean(),
    fc.constant(null),
    fc.constant(undefined),
    fc.bigInt({ min: -(2n ** 128n), max: 2n ** 128n }),
    fc.date({ noInvalidDate: true }),
    fc.uint8Array({ maxLength: 16 }),
    fc.array(tie('value'), { maxLength: 5 }),
    fc.dictionary(fc.string().filter((k) => k !== '__proto__'), tie('value'), { maxKeys: 5, noNullPrototype: true }),
    fc.array(fc.tuple(fc.oneof(fc.string(), fc.integer()), tie('value')), { maxLength: 4 }).map((entries) => new Map(entries)),
  ),
})).value;

test('property: arbitrary JSON-ish values with Dates, Maps, BigInts and Uint8Arrays round-trip equal', (t) => {
  t.notThrows(() =>
    fc.assert(
      fc.property(wireValue, (value) => isDeepStrictEqual(roundTrip(codec, value), value)),
      { numRuns: 300 },
    ),
  );
});
