import test from 'ava';
import { NoProcError } from '@arbor/core';
import { RemoteError } from '../../src/index.js';
import { fakeCodec, roundTrip } from './support.js';

const codec = fakeCodec('node-a.1');

test('an Error at depth crosses as a RemoteError with name, message, stack and its cause chain', (t) => {
  const inner = new RangeError('too big');
  const outer = new TypeError('bad input', { cause: inner });
  const back = roundTrip(codec, { type: 'crash', reason: [outer] }) as { reason: [RemoteError] };
  const e = back.reason[0];
  t.true(e instanceof RemoteError);
  t.is(e.code, 'remote_error');
  t.is(e.remoteName, 'TypeError');
  t.is(e.message, 'bad input');
  t.is(e.remoteStack, outer.stack);
  t.true(e.stack?.startsWith('RemoteError: TypeError: bad input'));
  const cause = e.cause as RemoteError;
  t.true(cause instanceof RemoteError);
  t.is(cause.remoteName, 'RangeError');
  t.is(cause.message, 'too big');
  t.is(cause.cause, undefined);
});

test("an ArborError's code crosses as remoteCode", (t) => {
  const e = roundTrip(codec, new NoProcError('abc', 'call')) as RemoteError;
  t.is(e.remoteName, 'NoProcError');
  t.is(e.remoteCode, 'noproc');
  t.regex(e.message, /no actor is alive at abc/);
});

test('a non-Error cause crosses as data; one that cannot cross becomes a description', (t) => {
  const data = roundTrip(codec, new Error('x', { cause: { why: 'disk', at: new Date(5) } })) as RemoteError;
  t.deepEqual(data.cause, { why: 'disk', at: new Date(5) });
  const bad = roundTrip(codec, new Error('x', { cause: { fn: () => 1 } })) as RemoteError;
  t.is(bad.cause, '(a cause that cannot cross: a function cannot cross nodes)');
});

test('a cyclic cause chain is cut, not followed forever', (t) => {
  const a = new Error('a');
  const b = new Error('b', { cause: a });
  (a as { cause?: unknown }).cause = b;
  const back = roundTrip(codec, a) as RemoteError;
  t.is(back.message, 'a');
  t.is((back.cause as RemoteError).message, 'b');
  t.is((back.cause as RemoteError).cause, undefined);
});

test('a very long cause chain is cut at 16 errors', (t) => {
  let e: Error = new Error('e0');
  for (let i = 1; i < 100; i++) e = new Error(`e${i}`, { cause: e });
  let back: unknown = roundTrip(codec, e);
  let n = 0;
  while (back instanceof RemoteError) {
    n++;
    back = back.cause;
  }
  t.is(n, 16);
});

test('a RemoteError sent on keeps the original name, code and stack', (t) => {
  const first = roundTrip(codec, new NoProcError('abc', 'call')) as RemoteError;
  const second = roundTrip(codec, first) as RemoteError;
  t.is(second.remoteName, 'NoProcError');
  t.is(second.remoteCode, 'noproc');
  t.is(second.remoteStack, first.remoteStack);
});
