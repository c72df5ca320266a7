import test from 'ava';
import { UnserialisableMessageError } from '../../src/index.js';
import { fakeCodec } from './support.js';

const codec = fakeCodec('node-a.1');

function refusal(value: unknown, root?: string): UnserialisableMessageError {
  try {
    codec.encode(value, root);
  } catch (e) {
    if (e instanceof UnserialisableMessageError) return e;
    throw e;
  }
  throw new Error('encode did not throw');
}

test('a function names its path and says what to do', (t) => {
  const e = refusal({ items: [1, 2, { fn: () => 1 }] });
  t.is(e.code, 'unserialisable_message');
  t.is(e.path, 'msg.items[2].fn');
  t.is(e.message, 'msg.items[2].fn: a function cannot cross nodes; send data (a `type` field) and let the receiver choose the code');
});

const cases: [string, unknown, string, RegExp][] = [
  ['a symbol', { s: Symbol('x') }, 'msg.s', /a symbol cannot cross nodes; use a string/],
  ['a Promise', [Promise.resolve(1)], 'msg[0]', /a Promise cannot cross nodes; await it/],
  ['a WeakMap', { w: new WeakMap() }, 'msg.w', /a WeakMap cannot cross nodes/],
  ['a WeakSet', { w: new WeakSet() }, 'msg.w', /a WeakSet cannot cross nodes/],
  ['a WeakRef', { w: new WeakRef({}) }, 'msg.w', /a WeakRef cannot cross nodes/],
  ['a class instance', { p: new (class Point { x = 1 })() }, 'msg.p', /an instance of Point cannot cross nodes.*\{ \.\.\.value \}/],
  ['an odd key', { 'a b': { f() {} } }, 'msg["a b"].f', /a function/],
  ['inside a Map value', { m: new Map([['k', () => 1]]) }, 'msg.m.get("k")', /a function/],
  ['inside a Map key', new Map([[Symbol('k'), 1]]), 'msg.keys()[0]', /a symbol/],
  ['inside a Set', new Set([1, () => 2]), 'msg.values()[1]', /a function/],
  ['a method at the top', () => 1, 'msg', /a function/],
];
for (const [title, value, path, message] of cases) {
  test(`refused with its path: ${title}`, (t) => {
    const e = refusal(value);
    t.is(e.path, path);
    t.regex(e.message, message);
    t.true(e.message.startsWith(`${path}: `));
  });
}

test('a cyclic object names where it points back', (t) => {
  const frame: { to: string; body: { list: unknown[] } } = { to: 'x', body: { list: [] } };
  frame.body.list.push({ parent: frame.body });
  const e = refusal(frame);
  t.is(e.path, 'msg.body.list[0].parent');
  t.regex(e.message, /a cyclic reference \(back to msg\.body\) cannot cross nodes/);
});

test('the root name given to encode starts the path', (t) => {
  t.is(refusal({ f() {} }, 'frame[3]').path, 'frame[3].f');
});

test('deep but acyclic nesting beyond the bound is refused without naming a cycle', (t) => {
  let v: unknown = 1;
  for (let i = 0; i < 300; i++) v = [v];
  const e = refusal(v);
  t.is(e.path, 'msg');
  t.regex(e.message, /nested deeper than 256 levels/);
});

test('symbol keys are skipped, like JSON does', (t) => {
  t.deepEqual(codec.decode(codec.encode({ a: 1, [Symbol('meta')]: 2 })), { a: 1 });
});
