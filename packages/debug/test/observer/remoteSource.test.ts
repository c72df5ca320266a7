/**
 * remoteSource against a DebugEndpoint in this process: dump, actor, trace and control
 * over real sockets (Unix and TCP with a token), its typed errors, and close() ending the
 * traces and the connections.
 */
import test from 'ava';
import { childSpec, Supervisor, type TraceEvent } from '@arbor/core';
import { EndpointOpError, EndpointTokenError, EndpointUnreachableError, InvalidEndpointError, remoteSource } from '../../src/index.js';
import { Counter, endpointSystem, holdNext } from '../support/opsApp.js';
import { eventually } from '../support/helpers.js';

test('dump: the live tree with memory; several requests share one connection', async (t) => {
  const { system, endpoint, debug } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const source = remoteSource(endpoint);
  t.teardown(() => source.close());
  const [a, b] = await Promise.all([source.dump(), source.dump()]);
  t.is(a.system, 'ops');
  t.true(a.memory!.rssBytes > 0);
  t.deepEqual(a.roots.map((n) => n.id).sort(), [counter.id, debug.id].sort());
  t.is(b.actors, 2);
  t.is(system.getStatus(debug).details!['connections'], 1, 'one connection for both');
});

test('actor: details of a live actor, null for an unknown id, EndpointOpError actor_timeout for a busy one', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 9);
  const source = remoteSource(endpoint);
  t.teardown(() => source.close());
  t.deepEqual(await source.actor(counter.id), { id: counter.id, state: "{ count: 9, tags: [ 'a', 'b' ] }", details: { count: 9, mood: 'fine' } });
  t.is(await source.actor('no-such-actor'), null);
  const release = holdNext();
  const holding = system.call(counter, { type: 'hold' });
  const e = await t.throwsAsync(source.actor(counter.id), { instanceOf: EndpointOpError });
  t.is(e!.reason, 'actor_timeout');
  release();
  await holding;
  t.is((await source.dump()).actors, 2, 'the connection goes on');
});

test('trace: events of the casts reach onEvent; stop() ends it; max ends it', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const source = remoteSource(endpoint);
  t.teardown(() => source.close());
  const events: TraceEvent[] = [];
  const trace = await source.trace(counter.id, { max: 100, kinds: ['received'] }, (e) => events.push(e));
  system.cast(counter, { type: 'inc', by: 1 });
  system.cast(counter, { type: 'inc', by: 2 });
  t.true(await eventually(() => events.length === 2));
  t.deepEqual(events.map((e) => (e.kind === 'received' ? e.preview : e.kind)), ["{ type: 'inc', by: 1 }", "{ type: 'inc', by: 2 }"]);
  trace.stop();
  t.deepEqual(await trace.ended, { reason: 'stopped', events: 2 });
  t.deepEqual(system.traces(), []);
  const short = await source.trace(counter.id, { max: 2 }, () => {});
  system.cast(counter, { type: 'inc', by: 1 });
  t.deepEqual(await short.ended, { reason: 'max', events: 2 });
  await t.throwsAsync(source.trace('no-such-actor', { max: 5 }, () => {}), { instanceOf: EndpointOpError, message: /no_actor/ });
});

test('control: ok for a restart (a new child), ok false with the reason for not_supervised', async (t) => {
  const { system, endpoint } = await endpointSystem(t);
  const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [childSpec(Counter, 0, { id: 'orders' })] });
  const before = (await Supervisor.whichChildren(sup))[0]!.ref as { id: string };
  const plain = await system.spawn(Counter, 0);
  const source = remoteSource(endpoint);
  t.teardown(() => source.close());
  t.deepEqual(await source.control('restart', before.id), { ok: true });
  const after = (await Supervisor.whichChildren(sup))[0]!.ref as { id: string };
  t.not(after.id, before.id);
  const refused = await source.control('restart', plain.id);
  t.is(refused.ok, false);
  t.regex((refused as { reason: string }).reason, /is not a supervisor's child/);
  t.deepEqual(await source.control('suspend', plain.id), { ok: true });
  t.is(system.getStatus(plain).status, 'suspended');
});

test('close(): ends the live traces and drops the connection; later calls reject', async (t) => {
  const { system, endpoint, debug } = await endpointSystem(t);
  const counter = await system.spawn(Counter, 0);
  const source = remoteSource(endpoint);
  await source.dump();
  const trace = await source.trace(counter.id, { max: 1000 }, () => {});
  t.is(system.traces().length, 1);
  await source.close();
  t.true(await eventually(() => system.traces().length === 0), 'the endpoint ended the trace');
  t.true(await eventually(() => system.getStatus(debug).details!['connections'] === 0), 'no connection left');
  t.is((await trace.ended).reason, 'stopped');
  await t.throwsAsync(source.dump(), { instanceOf: EndpointOpError, message: /closed/ });
});

test('TCP: the token from the options; a wrong one rejects with EndpointTokenError', async (t) => {
  const token = 'remote-source-token-0123';
  const { system, endpoint } = await endpointSystem(t, { port: 0, token });
  const counter = await system.spawn(Counter, 1);
  const good = remoteSource(endpoint, { token });
  t.teardown(() => good.close());
  t.is((await good.actor(counter.id))!.id, counter.id);
  const events: TraceEvent[] = [];
  const trace = await good.trace(counter.id, { max: 1 }, (e) => events.push(e));
  system.cast(counter, { type: 'inc', by: 1 });
  t.is((await trace.ended).reason, 'max');
  t.is(events.length, 1);
  const bad = remoteSource(endpoint, { token: 'wrong-token-0123456789' });
  t.teardown(() => bad.close());
  await t.throwsAsync(bad.dump(), { instanceOf: EndpointTokenError });
  await t.throwsAsync(bad.actor(counter.id), { instanceOf: EndpointTokenError });
  await t.throwsAsync(bad.trace(counter.id, { max: 1 }, () => {}), { instanceOf: EndpointTokenError });
  await t.throwsAsync(bad.control('kill', counter.id), { instanceOf: EndpointTokenError });
  t.true(system.isAlive(counter));
});

test('an endpoint nobody listens on rejects with EndpointUnreachableError; a bad endpoint throws InvalidEndpointError', async (t) => {
  const source = remoteSource('/tmp/arbor-no-such-dir/nope.sock');
  await t.throwsAsync(source.dump(), { instanceOf: EndpointUnreachableError });
  await t.throwsAsync(source.trace('x', { max: 1 }, () => {}), { instanceOf: EndpointUnreachableError });
  await source.close();
  t.throws(() => remoteSource('example.com:9900'), { instanceOf: InvalidEndpointError });
});
