/**
 * The endpoint's `actor` op over a real socket: the state as a size-capped preview and the
 * status details, `null` for an id no live actor has, `invalid_argument` for bad input
 * (the connection stays open), a suspended actor still answers, and a busy one gets
 * `actor_timeout`.
 */
import test from 'ava';
import { previewOf } from '@arbor/core';
import { Counter, endpointSystem, holdNext } from '../support/opsApp.js';
import { lineClient } from '../support/lineClient.js';

test('actor: the state as previewOf text and the formatStatus details', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 5);
  system.cast(counter, { type: 'inc', by: 2 });
  const c = await lineClient(endpoint);
  c.send({ op: 'actor', id: counter.id });
  t.deepEqual(await c.next(), { ok: true, actor: { id: counter.id, state: "{ count: 7, tags: [ 'a', 'b' ] }", details: { count: 7, mood: 'fine' } } });
  await c.close();
});

test('actor: a large state is capped at 4000 characters and stays one line', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const huge = 'x\n'.repeat(100_000);
  await system.replaceState(counter, (s: { count: number; tags: string[] }) => ({ ...s, tags: [huge] }));
  const c = await lineClient(endpoint);
  c.send({ op: 'actor', id: counter.id });
  const a = (await c.next())['actor'] as { state: string };
  t.is(a.state.length, 4000);
  t.is(a.state, previewOf({ count: 0, tags: [huge] }, { maxLength: 4000, maxDepth: 4 }));
  t.is(c.buffered, 0, 'one answer line');
  await c.close();
});

test('actor: an id no live actor has answers actor null; so does one that exited', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const gone = await system.spawn(Counter, 0);
  await system.stop(gone);
  const c = await lineClient(endpoint);
  c.send({ op: 'actor', id: 'no-such-actor' });
  t.deepEqual(await c.next(), { ok: true, actor: null });
  c.send({ op: 'actor', id: gone.id });
  t.deepEqual(await c.next(), { ok: true, actor: null });
  await c.close();
});

test('actor: bad input answers invalid_argument and the connection stays open', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 1);
  const c = await lineClient(endpoint);
  for (const bad of [{ op: 'actor' }, { op: 'actor', id: '' }, { op: 'actor', id: 42 }, { op: 'actor', id: 'x'.repeat(300) }]) {
    c.send(bad);
    const a = await c.next();
    t.is(a['ok'], false);
    t.is((a['error'] as { code: string }).code, 'invalid_argument', JSON.stringify(bad));
  }
  c.send({ op: 'actor', id: counter.id });
  t.is(((await c.next())['actor'] as { id: string }).id, counter.id, 'answered after the bad lines');
  await c.close();
});

test('actor: a suspended actor still answers; one busy in a handler gets actor_timeout, and the next request is answered in order', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 3);
  await system.suspend(counter);
  const c = await lineClient(endpoint);
  c.send({ op: 'actor', id: counter.id });
  t.is(((await c.next())['actor'] as { state: string }).state, "{ count: 3, tags: [ 'a', 'b' ] }");
  await system.resume(counter);
  const release = holdNext();
  const holding = system.call(counter, { type: 'hold' });
  c.send({ op: 'actor', id: counter.id });
  c.send({ op: 'dump' });
  const a = await c.next();
  t.is((a['error'] as { code: string }).code, 'actor_timeout');
  t.is((await c.next())['ok'], true, 'the dump behind it comes next');
  release();
  t.true(await holding);
});
