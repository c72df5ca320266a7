/** `previewOf`: a size-capped text of any value that never throws and never runs user code. */
import test from 'ava';
import { createLogger, createSystem, InvalidOptionError, previewOf } from '../../src/index.js';
import { Quiet } from '../support/traceActors.js';

test('plain values and objects read like code', (t) => {
  t.is(previewOf({ type: 'inc', by: 1 }), "{ type: 'inc', by: 1 }");
  t.is(previewOf([1, 'a', null, undefined, true]), "[ 1, 'a', null, undefined, true ]");
  t.is(previewOf({}), '{}');
  t.is(previewOf([]), '[]');
  t.is(previewOf('it\'s'), "'it\\'s'");
  t.is(previewOf({ 'a-b': 1, [Symbol('s')]: 2 }), "{ 'a-b': 1, [Symbol(s)]: 2 }");
  t.is(previewOf(function named() {}), '[Function named]');
  t.is(previewOf(new Date(0)), '1970-01-01T00:00:00.000Z');
  t.is(previewOf(new TypeError('bad')), 'TypeError: bad');
  t.is(previewOf(new Map([[1, 2]])), 'Map(1) {}');
  t.is(previewOf(new Set([1, 2])), 'Set(2) {}');
  class Point {
    constructor(readonly x: number) {}
  }
  t.is(previewOf(new Point(3)), 'Point { x: 3 }');
  t.is(previewOf(Object.create(null)), '[null prototype] {}');
});

test('BigInt, cycles and deep nesting', (t) => {
  t.is(previewOf(10n ** 30n), '1000000000000000000000000000000n');
  t.is(previewOf({ n: 5n }), '{ n: 5n }');
  const a: Record<string, unknown> = { x: 1 };
  a.self = a;
  t.is(previewOf(a), '{ x: 1, self: [Circular] }');
  const shared = { v: 1 };
  t.is(previewOf([shared, shared]), '[ { v: 1 }, { v: 1 } ]', 'a value seen twice but not inside itself is no cycle');
  t.is(previewOf({ a: { b: { c: { d: 1 } } } }), '{ a: { b: { c: {…} } } }');
  t.is(previewOf({ a: { b: 1 } }, { maxDepth: 1 }), '{ a: {…} }');
});

test('huge strings, arrays and objects are capped', (t) => {
  const long = previewOf('x'.repeat(1_000_000));
  t.is(long.length, 200);
  t.true(long.endsWith('…'));
  const arr = previewOf(Array.from({ length: 1_000_000 }, (_, i) => i), { maxLength: 1000 });
  t.true(arr.startsWith('[ 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, … 999990 more ]'));
  const wide = Object.fromEntries(Array.from({ length: 20 }, (_, i) => [`k${i}`, i]));
  t.is(previewOf(wide, { maxLength: 1000 }), '{ k0: 0, k1: 1, k2: 2, k3: 3, k4: 4, k5: 5, k6: 6, k7: 7, k8: 8, k9: 9, … 10 more }');
  t.is(previewOf({ s: 'y'.repeat(500) }, { maxLength: 50 }).length, 50);
});

test('getters are not called, and what cannot be read shows as [Unreadable]', (t) => {
  let reads = 0;
  const withGetter = {
    ok: 1,
    get boom(): number {
      reads++;
      throw new Error('getter ran');
    },
  };
  t.is(previewOf(withGetter), '{ ok: 1, boom: [Getter] }');
  t.is(reads, 0);
  const { proxy, revoke } = Proxy.revocable({}, {});
  revoke();
  t.is(previewOf(proxy), '[Unreadable]');
  t.is(previewOf({ inner: proxy }), '{ inner: [Unreadable] }');
  const hostile = new Proxy(
    {},
    {
      ownKeys() {
        throw new Error('no keys');
      },
      getPrototypeOf() {
        throw new Error('no proto');
      },
    },
  );
  t.is(previewOf(hostile), '[Unreadable]');
  const err = new Error('x');
  Object.defineProperty(err, 'message', {
    get() {
      throw new Error('no message');
    },
  });
  t.is(previewOf(err), 'Error: ');
  t.notThrows(() => previewOf(Object.defineProperty(function f() {}, 'name', { get: () => { throw new Error('no name'); } })));
});

test('actor refs show as refs, not as their insides', async (t) => {
  const system = createSystem({ logger: createLogger('silent') });
  const ref = await system.spawn(Quiet, undefined);
  t.is(previewOf({ to: ref }), `{ to: ActorRef<Quiet#${ref.id}> }`);
  await system.shutdown();
});

test('bad limits give InvalidOptionError naming the limit', (t) => {
  t.is(t.throws(() => previewOf('x', { maxLength: 0 }), { instanceOf: InvalidOptionError })?.option, 'previewOf: limits.maxLength');
  t.is(t.throws(() => previewOf('x', { maxDepth: 1.5 }), { instanceOf: InvalidOptionError })?.option, 'previewOf: limits.maxDepth');
  t.is(t.throws(() => previewOf('x', 5 as never), { instanceOf: InvalidOptionError })?.option, 'previewOf: limits');
});
