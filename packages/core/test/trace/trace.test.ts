/**
 * `system.trace`: a bounded live trace of one actor (OTP's sys:trace with recon_trace's
 * limits), on real actors: each event kind, the max and rate stops, trace(ref, false),
 * replacement, the actor's exit, a throwing tracer, bad options and dead refs.
 */
import test from 'ava';
import { createLogger, createSystem, dump, InvalidOptionError, NoProcError, trace, TRACE_EVENT_KINDS, type DumpNode, type TraceEvent } from '../../src/index.js';
import { capturingSystem } from '../support/helpers.js';
import { Peer, Quiet, recording, Tracee } from '../support/traceActors.js';

const quietSystem = () => createSystem({ logger: createLogger('silent') });

function kinds(events: readonly TraceEvent[]): string[] {
  return events.map((e) => (e.kind === 'received' || e.kind === 'handled' ? `${e.kind}:${e.via}` : e.kind));
}

test('every event kind is reported, in seq order, for the traced actor only', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const peer = await system.spawn(Peer, undefined);
  const { events, trace: tr } = recording(system, tracee);
  system.cast(tracee, { type: 'family', peer });
  t.is(await system.call(tracee, { type: 'get' }), 0);
  system.monitor(tracee, () => {});
  await system.stop(tracee);
  const end = await tr.ended;

  t.deepEqual(end, { reason: 'exited', events: events.length, exitReason: 'normal' });
  t.deepEqual([...new Set(events.map((e) => e.kind))].sort(), [...TRACE_EVENT_KINDS].sort());
  t.deepEqual(kinds(events), [
    'received:cast', 'sent', 'spawned', 'linked', 'monitored', 'unlinked', 'handled:cast',
    'received:call', 'replied', 'handled:call',
    'monitored', // system.monitor
    'monitored', // system.stop watches the actor's exit
    'received:system', 'exited',
  ]);
  t.deepEqual(events.map((e) => e.seq), events.map((_, i) => i + 1));
  t.true(events.every((e) => e.actor === tracee.id));
  t.true(events.every((e, i) => i === 0 || e.at >= events[i - 1]!.at));
  const child = events.find((e) => e.kind === 'spawned');
  t.like(child, { kind: 'spawned', behaviour: 'Quiet' });
  const childId = child?.kind === 'spawned' ? child.child : '';
  t.like(events.find((e) => e.kind === 'sent'), { via: 'info', to: peer.id, preview: "{ type: 'hello' }" });
  t.like(events.find((e) => e.kind === 'linked'), { other: childId });
  t.like(events.find((e) => e.kind === 'unlinked'), { other: childId });
  t.like(events.filter((e) => e.kind === 'monitored'), [{ by: tracee.id, target: childId }, { by: 'external', target: tracee.id }, { by: 'external', target: tracee.id }]);
  t.like(events.find((e) => e.kind === 'received'), { via: 'cast', preview: `{ type: 'family', peer: ${String(peer)} }` });
  t.like(events.find((e) => e.kind === 'replied'), { preview: '0' });
  t.like(events.find((e) => e.kind === 'received' && e.via === 'system'), { preview: "'stop'" });
  const handled = events.filter((e) => e.kind === 'handled');
  t.true(handled.every((e) => e.kind === 'handled' && e.outcome === 'ok' && e.durationUs >= 0));
  t.false(tr.active);
  await system.shutdown();
});

test('outcomes: a deferred call is noreply and its later reply is reported; a handler that stops is stop', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 7);
  const { events, trace: tr } = recording(system, tracee, { kinds: ['received', 'handled', 'replied', 'exited'] });
  const later = system.call(tracee, { type: 'later' });
  system.cast(tracee, { type: 'release' });
  t.is(await later, 7);
  system.cast(tracee, { type: 'quit' });
  const end = await tr.ended;
  t.is(end.reason, 'exited');
  t.deepEqual(
    events.map((e) => (e.kind === 'handled' ? `handled:${e.outcome}` : e.kind === 'replied' ? `replied:${e.preview}` : kinds([e])[0])),
    ['received:call', 'handled:noreply', 'received:cast', 'replied:7', 'handled:ok', 'received:cast', 'handled:stop', 'exited'],
  );
  await system.shutdown();
});

test('max: the trace ends itself after max events; the actor carries on untraced', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const { events, trace: tr } = recording(system, tracee, { max: 5 });
  for (let i = 0; i < 20; i++) system.cast(tracee, { type: 'inc' });
  t.deepEqual(await tr.ended, { reason: 'max', events: 5 });
  t.is(events.length, 5);
  t.is(await system.call(tracee, { type: 'get' }), 20);
  t.is(events.length, 5);
  t.false(tr.active);
  t.deepEqual(system.traces(), []);
  await system.shutdown();
});

test('rate: a burst over ratePerSec ends the trace with rate', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const { events, trace: tr } = recording(system, tracee, { ratePerSec: 10, kinds: ['received'] });
  for (let i = 0; i < 100; i++) system.cast(tracee, { type: 'inc' });
  const end = await tr.ended;
  t.is(end.reason, 'rate');
  t.true(end.events <= 10);
  t.is(events.length, end.events);
  t.is(await system.call(tracee, { type: 'get' }), 100);
  await system.shutdown();
});

test('kinds: only the chosen kinds are delivered and counted', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const { events, trace: tr } = recording(system, tracee, { kinds: ['handled'], max: 3 });
  for (let i = 0; i < 5; i++) system.cast(tracee, { type: 'inc' });
  t.deepEqual(await tr.ended, { reason: 'max', events: 3 });
  t.deepEqual(kinds(events), ['handled:cast', 'handled:cast', 'handled:cast']);
  t.deepEqual(events.map((e) => e.seq), [1, 2, 3]);
  await system.shutdown();
});

test('trace(ref, false) ends the trace (stopped) and says whether there was one; stop() and dispose do too', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const { events, trace: tr } = recording(system, tracee);
  system.cast(tracee, { type: 'inc' });
  await system.call(tracee, { type: 'get' });
  t.true(system.trace(tracee, false));
  t.false(system.trace(tracee, false));
  t.deepEqual(await tr.ended, { reason: 'stopped', events: events.length });
  const before = events.length;
  system.cast(tracee, { type: 'inc' });
  await system.call(tracee, { type: 'get' });
  t.is(events.length, before);

  const second = recording(system, tracee).trace;
  second.stop();
  second.stop();
  t.is((await second.ended).reason, 'stopped');
  {
    using third = recording(system, tracee).trace;
    t.true(third.active);
  }
  t.deepEqual(system.traces(), []);
  await system.shutdown();
});

test('a new trace on the same actor replaces the old one; traces() and the dump show the live one', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const other = await system.spawn(Tracee, 0);
  const first = recording(system, tracee);
  const second = recording(system, tracee, { max: 10 });
  t.deepEqual(await first.trace.ended, { reason: 'replaced', events: 0 });
  t.true(second.trace.active);
  system.cast(tracee, { type: 'inc' });
  await system.call(tracee, { type: 'get' });
  t.is(first.events.length, 0);
  t.is(second.events.length, 5);
  t.like(system.traces(), [{ actor: tracee, max: 10, ratePerSec: undefined, kinds: undefined, events: 5 }]);
  const nodes = dump(system).roots as readonly DumpNode[];
  t.is(nodes.find((n) => n.id === tracee.id)?.traced, true);
  t.is(nodes.find((n) => n.id === other.id)?.traced, undefined);
  second.trace.stop();
  t.is((dump(system).roots as readonly DumpNode[]).find((n) => n.id === tracee.id)?.traced, undefined);
  await system.shutdown();
});

test('the traced actor crashing ends the trace with exited and the crash reason', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const { events, trace: tr } = recording(system, tracee);
  system.cast(tracee, { type: 'boom' });
  const end = await tr.ended;
  t.is(end.reason, 'exited');
  t.true(end.exitReason instanceof Error && end.exitReason.message === 'boom');
  t.deepEqual(kinds(events), ['received:cast', 'handled:cast', 'exited']);
  t.like(events[1], { outcome: 'crash' });
  t.is(events[2]?.kind === 'exited' ? events[2].reason : undefined, end.exitReason);
  t.false(system.isAlive(tracee));
  await system.shutdown();
});

test('a killed actor ends the trace with exited (killed)', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const { trace: tr } = recording(system, tracee);
  system.exit(tracee, 'kill');
  t.deepEqual(await tr.ended, { reason: 'exited', events: 1, exitReason: 'killed' });
  await system.shutdown();
});

test('a throwing tracer ends the trace (tracer_error), is logged once, and the actor keeps running', async (t) => {
  const { system, logs } = capturingSystem();
  const tracee = await system.spawn(Tracee, 0);
  const oops = new Error('tracer broke');
  let calls = 0;
  const tr = system.trace(tracee, {
    tracer: () => {
      calls++;
      throw oops;
    },
  });
  for (let i = 0; i < 3; i++) system.cast(tracee, { type: 'inc' });
  t.deepEqual(await tr.ended, { reason: 'tracer_error', events: 1, error: oops });
  t.is(await system.call(tracee, { type: 'get' }), 3);
  t.is(calls, 1);
  t.true(system.isAlive(tracee));
  t.is(logs.filter((l) => l.report === 'tracer_error').length, 1);
  await system.shutdown();
});

test('a tracer that casts to the traced actor does not trace its own sends', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const peer = await system.spawn(Peer, undefined);
  const seen: string[] = [];
  const tr = system.trace(tracee, {
    max: 50,
    tracer: (e) => {
      seen.push(e.kind);
      if (e.kind === 'received') system.send(peer, { type: 'hello' });
    },
  });
  system.cast(tracee, { type: 'inc' });
  await system.call(tracee, { type: 'get' });
  t.deepEqual(seen, ['received', 'handled', 'received', 'replied', 'handled']);
  tr.stop();
  await system.shutdown();
});

test('a trace on a dead actor throws NoProcError; trace(dead, false) is false', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Quiet, undefined);
  await system.stop(tracee);
  t.throws(() => system.trace(tracee, { tracer: () => {} }), { instanceOf: NoProcError, message: /^trace: / });
  t.false(system.trace(tracee, false));
  await system.shutdown();
});

test('bad options give InvalidOptionError naming the option', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Quiet, undefined);
  const tracer = () => {};
  const cases: [unknown, string][] = [
    [undefined, 'trace: options'],
    [null, 'trace: options'],
    [5, 'trace: options'],
    [{}, 'trace: options.tracer'],
    [{ tracer: 'log' }, 'trace: options.tracer'],
    [{ tracer, max: 0 }, 'trace: options.max'],
    [{ tracer, max: 1.5 }, 'trace: options.max'],
    [{ tracer, max: 1_000_001 }, 'trace: options.max'],
    [{ tracer, max: '10' }, 'trace: options.max'],
    [{ tracer, max: Infinity }, 'trace: options.max'],
    [{ tracer, ratePerSec: 0 }, 'trace: options.ratePerSec'],
    [{ tracer, ratePerSec: Number.NaN }, 'trace: options.ratePerSec'],
    [{ tracer, kinds: [] }, 'trace: options.kinds'],
    [{ tracer, kinds: ['received', 'nope'] }, 'trace: options.kinds'],
    [{ tracer, kinds: 'received' }, 'trace: options.kinds'],
    [{ tracer, maxx: 10 }, 'trace: option "maxx"'],
  ];
  for (const [options, option] of cases) {
    const e = t.throws(() => system.trace(tracee, options as never), { instanceOf: InvalidOptionError }, JSON.stringify(options));
    t.is(e?.option, option, JSON.stringify(options));
  }
  t.is(t.throws(() => system.trace({ id: 'x' } as never, { tracer }), { instanceOf: InvalidOptionError })?.option, 'trace: ref');
  t.is(t.throws(() => trace({ id: 'x' } as never, false), { instanceOf: InvalidOptionError })?.option, 'trace: ref');
  t.deepEqual(system.traces(), []);
  t.true(system.trace(tracee, { tracer, max: 1_000_000 }).active);
  await system.shutdown();
});

test('the free trace() works on an actor of any system', async (t) => {
  const system = quietSystem();
  const tracee = await system.spawn(Tracee, 0);
  const events: TraceEvent[] = [];
  const tr = trace(tracee, { tracer: (e) => events.push(e), kinds: ['received'] });
  system.cast(tracee, { type: 'inc' });
  await system.call(tracee, { type: 'get' });
  t.deepEqual(kinds(events), ['received:cast', 'received:call']);
  t.like(system.traces(), [{ actor: tracee }]);
  t.true(trace(tracee, false));
  t.is((await tr.ended).reason, 'stopped');
  await system.shutdown();
});
