/**
 * The endpoint's `trace` op over a real socket: a `started` line, the events of the casts
 * sent to the actor, an `ended` line at `max`; `untrace`; closing the connection or
 * stopping to read ends the trace (no trace is left in `system.traces()`); one trace per
 * connection; bad arguments; the actor's exit.
 */
import test from 'ava';
import { Counter, endpointSystem } from '../support/opsApp.js';
import { lineClient } from '../support/lineClient.js';
import { eventually } from '../support/helpers.js';

test('trace: started, the events of three casts, then ended with max', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const c = await lineClient(endpoint);
  c.send({ op: 'trace', id: counter.id, max: 4, kinds: ['received', 'handled'] });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  t.is(system.traces().length, 1);
  for (const by of [1, 2, 3]) system.cast(counter, { type: 'inc', by });
  const events = [await c.next(), await c.next(), await c.next(), await c.next()].map((l) => l['event'] as Record<string, unknown>);
  t.deepEqual(
    events.map((e) => [e['seq'], e['kind'], e['actor'], e['kind'] === 'received' ? e['preview'] : e['outcome']]),
    [
      [1, 'received', counter.id, "{ type: 'inc', by: 1 }"],
      [2, 'handled', counter.id, 'ok'],
      [3, 'received', counter.id, "{ type: 'inc', by: 2 }"],
      [4, 'handled', counter.id, 'ok'],
    ],
  );
  t.deepEqual(await c.next(), { ended: { reason: 'max', events: 4 } });
  t.deepEqual(system.traces(), []);
  t.is(await system.call(counter, { type: 'get' }), 6, 'the actor handled all three');
  await c.close();
});

test('trace: untrace ends it (stoppedBy untrace); another trace may start on the same connection', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const c = await lineClient(endpoint);
  c.send({ op: 'trace', id: counter.id, max: 100 });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  system.cast(counter, { type: 'inc', by: 1 });
  t.is((((await c.next())['event']) as { kind: string }).kind, 'received');
  t.is((((await c.next())['event']) as { kind: string }).kind, 'handled');
  c.send({ op: 'untrace' });
  t.deepEqual(await c.next(), { ended: { reason: 'stopped', events: 2 }, stoppedBy: 'untrace' });
  t.deepEqual(system.traces(), []);
  c.send({ op: 'untrace' });
  t.is(((await c.next())['error'] as { code: string }).code, 'not_tracing');
  c.send({ op: 'trace', id: counter.id, max: 1 });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  await c.close();
});

test('trace: closing the connection ends the trace', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const c = await lineClient(endpoint);
  c.send({ op: 'trace', id: counter.id, max: 1000 });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  t.is(system.traces().length, 1);
  await c.close();
  t.true(await eventually(() => system.traces().length === 0), 'no trace left');
  system.cast(counter, { type: 'inc', by: 1 });
  t.is(await system.call(counter, { type: 'get' }), 1);
});

test('trace: one per connection (trace_active); other requests are still answered while it streams', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const c = await lineClient(endpoint);
  c.send({ op: 'trace', id: counter.id, max: 1000, kinds: ['exited'] });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  c.send({ op: 'trace', id: counter.id, max: 10 });
  t.is(((await c.next())['error'] as { code: string }).code, 'trace_active');
  c.send({ op: 'actor', id: counter.id });
  t.is(((await c.next())['actor'] as { id: string }).id, counter.id);
  t.is(system.traces().length, 1);
  await c.close();
});

test('trace: bad arguments answer invalid_argument (max is required and at most 10,000); an unknown id answers no_actor', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const c = await lineClient(endpoint);
  const bad = [
    { op: 'trace', id: counter.id },
    { op: 'trace', id: counter.id, max: 0 },
    { op: 'trace', id: counter.id, max: 10_001 },
    { op: 'trace', id: counter.id, max: 1.5 },
    { op: 'trace', id: counter.id, max: 10, kinds: ['nope'] },
    { op: 'trace', id: counter.id, max: 10, kinds: [] },
    { op: 'trace', id: counter.id, max: 10, ratePerSec: 0 },
    { op: 'trace', max: 10 },
  ];
  for (const line of bad) {
    c.send(line);
    t.is(((await c.next())['error'] as { code: string }).code, 'invalid_argument', JSON.stringify(line));
  }
  c.send({ op: 'trace', id: 'no-such-actor', max: 10 });
  t.is(((await c.next())['error'] as { code: string }).code, 'no_actor');
  t.deepEqual(system.traces(), []);
  c.send({ op: 'trace', id: counter.id, max: 10_000 });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  await c.close();
});

test('trace: the actor exits: an exited event with the reason as text, then ended exited', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const c = await lineClient(endpoint);
  c.send({ op: 'trace', id: counter.id, max: 100, kinds: ['exited'] });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  system.exit(counter, new Error('boom'));
  const e = (await c.next())['event'] as Record<string, unknown>;
  t.is(e['kind'], 'exited');
  t.is(e['reason'], 'Error: boom');
  t.deepEqual(await c.next(), { ended: { reason: 'exited', events: 1, exitReason: 'Error: boom' } });
  await c.close();
});

test('trace: a client that stops reading gets its trace ended (stoppedBy slow_client) instead of the application buffering for it', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const c = await lineClient(endpoint);
  c.send({ op: 'trace', id: counter.id, max: 10_000, kinds: ['received'] });
  t.deepEqual(await c.next(), { ok: true, trace: 'started' });
  c.socket.pause();
  const note = 'n'.repeat(300); // each event line carries a preview of 200 characters
  for (let i = 0; i < 10_000; i++) system.cast(counter, { type: 'inc', by: 1, note });
  t.is(await system.call(counter, { type: 'get' }), 10_000);
  t.deepEqual(system.traces(), [], 'ended before max');
  c.socket.resume();
  let last: Record<string, unknown>;
  let events = 0;
  for (last = await c.next(); 'event' in last; last = await c.next()) events++;
  const ended = last['ended'] as { reason: string; events: number };
  t.is(ended.reason, 'stopped');
  t.is(last['stoppedBy'], 'slow_client');
  t.true(ended.events < 10_000, `${ended.events} events delivered`);
  t.is(events, ended.events, 'every delivered event was written');
  await c.close();
});
