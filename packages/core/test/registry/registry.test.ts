/**
 * Registry (reference semantics §4), one group per public function: unique and duplicate
 * keys, register / unregister / updateValue by the owner, the synchronous reads
 * (whereis, lookup, dispatch, match, select, count, keys, values), metadata, listeners,
 * misuse, and the types. Death, via-naming and the registry's own lifecycle are in
 * registryLifecycle.test.ts.
 */
import test from 'ava';
import {
  call,
  DuplicateKeysError,
  GenServer,
  InitError,
  InvalidOptionError,
  NoOwnerError,
  NoProcError,
  NotARegistryError,
  openInbox,
  Registry,
  via,
  type ActorRef,
  type Call,
  type RegistryEvent,
  type RegistryHandle,
} from '../../src/index.js';
import { Counter, Probe, type CounterProtocol } from '../support/actors.js';
import { capturingSystem, settle, syncInbox, syncLogs } from '../support/helpers.js';
import { Member, type MemberProtocol } from '../support/registryMembers.js';

// ------------------------------------------------------------------ the docs' opening example

interface WorkerProtocol {
  call: Call<'job', string, { input: string }>;
}
class Worker extends GenServer<WorkerProtocol, undefined, number> {
  override handleCall(req: { type: 'job'; input: string }): string {
    return req.input.toUpperCase();
  }
}

test('docs/registry.md: the opening example runs as written', async (t) => {
  const { system } = capturingSystem();
  const workers = await Registry.start<string, undefined, WorkerProtocol>(system, { keys: 'unique', name: 'workers' });
  await system.spawn(Worker, 1, { name: via(workers, 'w1') });
  const w1 = workers.whereis('w1');
  t.not(w1, undefined);
  if (w1) t.is(await call(w1, { type: 'job', input: 'a' }), 'A');
  await system.shutdown();
});

// ------------------------------------------------------------------ unique keys

test('unique: an actor registers itself (from init and from a handler); whereis and lookup find it', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number, MemberProtocol>(system, { keys: 'unique' });
  t.is(registry.kind, 'unique');
  const m = await system.spawn(Member, { registry, register: [['a', 1]] });
  t.is(registry.whereis('a'), m, 'registered from init: the calling actor is the owner');
  t.deepEqual(await call(m, { type: 'register', key: 'b', value: 2 }), { status: 'ok' });
  t.is(registry.whereis('b'), m, 'one actor may hold many keys');
  t.deepEqual(registry.keys(m), ['a', 'b']);
  const found = registry.lookup('b');
  t.is(found.length, 1);
  t.is(found[0]!.ref, m);
  t.is(found[0]!.value, 2);
  t.true(Object.isFrozen(found), 'a lookup result is a frozen snapshot');
  t.is(registry.lookup('b'), found, 'a unique key answers the same array while its value is unchanged (no allocation)');
  t.deepEqual(registry.lookup('nobody'), []);
  t.is(registry.whereis('nobody'), undefined);
  t.is(registry.count(), 2);
  await system.shutdown();
});

test('unique: a taken key answers already_registered with the holder, as a value', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const holder = await system.spawn(Member, { registry, register: [['k', 1]] });
  const other = await system.spawn(Member, { registry });
  const r = await call(other, { type: 'register', key: 'k', value: 2 });
  t.deepEqual(r, { status: 'already_registered', ref: holder });
  t.is(registry.whereis('k'), holder, 'the holder keeps the key');
  t.is(registry.lookup('k')[0]!.value, 1);
  t.deepEqual(registry.keys(other), []);
  // The holder registering the key again is a clash too (Elixir answers {:already_registered, self()}).
  t.deepEqual(await call(holder, { type: 'register', key: 'k', value: 3 }), { status: 'already_registered', ref: holder });
  t.is(registry.count(), 1);
  await system.shutdown();
});

test('register with { owner } from outside any actor', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, string>(system, { keys: 'unique' });
  const ref = await system.spawn(Counter, 0);
  t.deepEqual(registry.register('counter', 'v', { owner: ref }), { status: 'ok' });
  t.is(registry.whereis('counter'), ref);
  t.true(registry.unregister('counter', { owner: ref }));
  t.is(registry.whereis('counter'), undefined);
  await system.shutdown();
});

// ------------------------------------------------------------------ duplicate keys

test('duplicate: many actors (and one actor many times) under one key; lookup answers all, oldest first', async (t) => {
  const { system } = capturingSystem();
  const pubsub = await Registry.start<string, number>(system, { keys: 'duplicate' });
  t.is(pubsub.kind, 'duplicate');
  const a = await system.spawn(Member, { registry: pubsub, register: [['topic', 1]] });
  const b = await system.spawn(Member, { registry: pubsub, register: [['topic', 2]] });
  t.deepEqual(await call(a, { type: 'register', key: 'topic', value: 3 }), { status: 'ok' }, 'the same actor may take the same key again');
  t.deepEqual(
    pubsub.lookup('topic').map((e) => [e.ref, e.value]),
    [
      [a, 1],
      [b, 2],
      [a, 3],
    ],
  );
  t.deepEqual(pubsub.keys(a), ['topic', 'topic'], 'a key registered twice is listed twice');
  t.deepEqual(pubsub.values('topic', a), [1, 3]);
  t.deepEqual(pubsub.values('topic', b), [2]);
  t.deepEqual(pubsub.values('other', a), []);
  t.is(pubsub.count(), 3);
  await system.shutdown();
});

test('duplicate: whereis, updateValue and via-naming throw DuplicateKeysError saying what to use instead', async (t) => {
  const { system } = capturingSystem();
  const pubsub = await Registry.start<string, number>(system, { keys: 'duplicate' });
  const m = await system.spawn(Member, { registry: pubsub, register: [['k', 1]] });
  const e1 = t.throws(() => pubsub.whereis('k'), { instanceOf: DuplicateKeysError });
  t.is((e1 as DuplicateKeysError).code, 'duplicate_keys');
  t.regex(e1!.message, /use lookup\(key\)/);
  const e2 = t.throws(() => pubsub.updateValue('k', (v) => v + 1, { owner: m }), { instanceOf: DuplicateKeysError });
  t.regex(e2!.message, /unregister and register again/);
  const e3 = t.throws(() => system.whereis(via(pubsub, 'k')), { instanceOf: DuplicateKeysError });
  t.regex(e3!.message, /lookup/);
  t.deepEqual(pubsub.values('k', m), [1], 'nothing changed');
  await system.shutdown();
});

// ------------------------------------------------------------------ unregister

test('unregister removes only the caller’s entries; the registry stops monitoring an actor with no keys left', async (t) => {
  const { system } = capturingSystem();
  const pubsub = await Registry.start<string, number>(system, { keys: 'duplicate' });
  const a = await system.spawn(Member, { registry: pubsub, register: [['t', 1], ['t', 2], ['u', 3]] });
  const b = await system.spawn(Member, { registry: pubsub, register: [['t', 4]] });
  t.deepEqual([...system.getStatus(pubsub.ref).monitors].sort(), [a.id, b.id].sort(), 'one monitor per owner, not per key');

  t.true(await call(a, { type: 'unregister', key: 't' }));
  t.deepEqual(pubsub.lookup('t').map((e) => e.ref), [b], 'b keeps its entry');
  t.deepEqual(pubsub.keys(a), ['u']);
  t.false(await call(a, { type: 'unregister', key: 't' }), 'nothing left under t');
  t.true(await call(a, { type: 'unregister', key: 'u' }));
  t.deepEqual(system.getStatus(pubsub.ref).monitors, [b.id], 'a holds nothing, so the registry demonitors it');
  t.true(system.isAlive(a));
  await system.shutdown();
});

test('unregisterMatch removes the caller’s entries under a key whose value passes the predicate', async (t) => {
  const { system } = capturingSystem();
  const pubsub = await Registry.start<string, number>(system, { keys: 'duplicate' });
  const a = await system.spawn(Member, { registry: pubsub, register: [['t', 1], ['t', 5], ['t', 7], ['u', 9]] });
  const b = await system.spawn(Member, { registry: pubsub, register: [['t', 8]] });
  t.is(await call(a, { type: 'unregisterMatch', key: 't', min: 5 }), 2);
  t.deepEqual(pubsub.values('t', a), [1]);
  t.deepEqual(pubsub.values('u', a), [9], 'other keys are untouched');
  t.deepEqual(pubsub.values('t', b), [8], 'other actors are untouched');
  t.is(await call(a, { type: 'unregisterMatch', key: 't', min: 100 }), 0);
  await system.shutdown();
});

// ------------------------------------------------------------------ updateValue

test('updateValue: the owner replaces its value; anyone else gets not_owner and nothing changes', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const owner = await system.spawn(Member, { registry, register: [['k', 10]] });
  const other = await system.spawn(Member, { registry });
  const before = registry.lookup('k');

  t.deepEqual(await call(owner, { type: 'update', key: 'k', by: 5 }), { status: 'ok', value: 15, previous: 10 });
  t.is(registry.lookup('k')[0]!.value, 15);
  t.is(before[0]!.value, 10, 'a lookup made before keeps its snapshot');

  t.deepEqual(await call(other, { type: 'update', key: 'k', by: 1 }), { status: 'not_owner' }, 'a non-owner is refused');
  t.deepEqual(await call(other, { type: 'update', key: 'missing', by: 1 }), { status: 'not_owner' }, 'a key nobody holds: the caller is not its owner');
  t.deepEqual(registry.updateValue('k', (v) => v * 100, { owner: other }), { status: 'not_owner' });
  t.is(registry.lookup('k')[0]!.value, 15);
  await system.shutdown();
});

// ------------------------------------------------------------------ dispatch, match, select, count

test('dispatch runs the function once, in the caller, with every live entry; not at all when there is none', async (t) => {
  const { system } = capturingSystem();
  const pubsub = await Registry.start<string, number>(system, { keys: 'duplicate' });
  const a = await system.spawn(Member, { registry: pubsub, register: [['t', 1]] });
  const b = await system.spawn(Member, { registry: pubsub, register: [['t', 2]] });
  const dead = await system.spawn(Member, { registry: pubsub, register: [['t', 3]] });
  await system.suspend(pubsub.ref); // keep the DOWN queued: the dead entry is still in the table
  system.exit(dead, 'kill');

  const calls: (readonly { ref: ActorRef; value: number }[])[] = [];
  pubsub.dispatch('t', (entries) => calls.push(entries));
  t.is(calls.length, 1);
  t.deepEqual(
    calls[0]!.map((e) => [e.ref, e.value]),
    [
      [a, 1],
      [b, 2],
    ],
    'the dead entry is left out',
  );
  let ran = false;
  pubsub.dispatch('nobody', () => (ran = true));
  t.false(ran);
  t.throws(
    () =>
      pubsub.dispatch('t', () => {
        throw new Error('from the callback');
      }),
    { message: 'from the callback' },
    'an error in the function reaches the caller',
  );
  await system.shutdown();
});

test('match / countMatch filter one key’s entries by value (and ref); select / countSelect scan every key', async (t) => {
  const { system } = capturingSystem();
  const pubsub = await Registry.start<string, number>(system, { keys: 'duplicate' });
  const a = await system.spawn(Member, { registry: pubsub, register: [['x', 1], ['x', 5], ['y', 7]] });
  const b = await system.spawn(Member, { registry: pubsub, register: [['x', 6], ['z', 2]] });

  t.deepEqual(
    pubsub.match('x', (v) => v >= 5).map((e) => [e.ref, e.value]),
    [
      [a, 5],
      [b, 6],
    ],
  );
  t.deepEqual(pubsub.match('x', (_v, ref) => ref === b).map((e) => e.value), [6]);
  t.deepEqual(pubsub.match('nobody', () => true), []);
  t.is(pubsub.countMatch('x', (v) => v >= 5), 2);
  t.is(pubsub.countMatch('y', (v) => v >= 5), 1);

  t.deepEqual(
    pubsub.select(({ value }) => value > 4).map((r) => [r.key, r.ref, r.value]),
    [
      ['x', a, 5],
      ['x', b, 6],
      ['y', a, 7],
    ],
  );
  t.is(pubsub.select().length, 5, 'no predicate: every entry');
  t.is(pubsub.countSelect(({ key }) => key !== 'x'), 2);
  t.is(pubsub.count(), 5);

  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  await system.spawn(Member, { registry, register: [['p', 1], ['q', 2]] });
  t.deepEqual(registry.match('p', (v) => v === 1).length, 1);
  t.deepEqual(registry.match('p', (v) => v === 2), []);
  t.is(registry.countMatch('q', (v) => v === 2), 1);
  t.deepEqual(registry.select(({ key }) => key === 'q').map((r) => r.value), [2]);
  await system.shutdown();
});

test('keys and values of a dead actor are empty; count leaves dead actors out', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const live = await system.spawn(Member, { registry, register: [['a', 1]] });
  const doomed = await system.spawn(Member, { registry, register: [['b', 2], ['c', 3]] });
  await system.suspend(registry.ref);
  system.exit(doomed, 'kill');
  t.deepEqual(registry.keys(doomed), []);
  t.deepEqual(registry.values('b', doomed), []);
  t.is(registry.count(), 1);
  t.deepEqual(registry.keys(live), ['a']);
  await system.shutdown();
});

// ------------------------------------------------------------------ metadata

test('meta: initial metadata from the options, putMeta, deleteMeta', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique', meta: { pool: 'a', size: 4 } });
  t.is(registry.meta<string>('pool'), 'a');
  t.is(registry.meta<number>('size'), 4);
  t.is(registry.meta('absent'), undefined);
  registry.putMeta('pool', 'b');
  registry.putMeta('custom', { deep: true });
  t.is(registry.meta('pool'), 'b');
  t.deepEqual(registry.meta('custom'), { deep: true });
  t.true(registry.deleteMeta('custom'));
  t.false(registry.deleteMeta('custom'));
  t.is(registry.meta('custom'), undefined);
  t.throws(() => registry.putMeta(1 as unknown as string, 'x'), { instanceOf: InvalidOptionError });
  await system.shutdown();
});

// ------------------------------------------------------------------ listeners

test('listeners: actors (by ref or local name) get register and unregister events as info messages, death included', async (t) => {
  const { system } = capturingSystem();
  const inbox = await openInbox(system);
  const audit = await system.spawn(Probe, undefined, { name: 'audit' });
  const registry = await Registry.start<string, number>(system, { keys: 'unique', name: 'reg', listeners: [inbox.ref, 'audit'] });
  const isEvent = (m: { type?: unknown }): boolean => m.type === 'register' || m.type === 'unregister';

  const m = await system.spawn(Member, { registry, register: [['a', 1], ['b', 2]] });
  await call(m, { type: 'unregister', key: 'a' });
  const ev1 = await inbox.receive<RegistryEvent<string, number>>(isEvent);
  const ev2 = await inbox.receive<RegistryEvent<string, number>>(isEvent);
  const ev3 = await inbox.receive<RegistryEvent<string, number>>(isEvent);
  t.deepEqual(
    [ev1, ev2, ev3].map((e) => [e.type, e.registry, e.key, e.ref === m, e.value]),
    [
      ['register', 'reg', 'a', true, 1],
      ['register', 'reg', 'b', true, 2],
      ['unregister', 'reg', 'a', true, 1],
    ],
  );

  // The entries an actor holds when it exits are unregistered too, once the registry handles its DOWN.
  system.exit(m, 'kill');
  const ev4 = await inbox.receive<RegistryEvent<string, number>>(isEvent);
  t.deepEqual([ev4.type, ev4.key, ev4.ref === m, ev4.value], ['unregister', 'b', true, 2]);
  t.deepEqual((await syncInbox(system, inbox)).filter((x) => isEvent(x as { type?: unknown })), [], 'no other event');

  const audited = (await call(audit, { type: 'infos' })) as RegistryEvent[];
  t.deepEqual(
    audited.map((e) => [e.type, e.key]),
    [
      ['register', 'a'],
      ['register', 'b'],
      ['unregister', 'a'],
      ['unregister', 'b'],
    ],
    'a listener named in the options gets the same events',
  );
  await system.shutdown();
});

test('listen(callback) gets events in a microtask; the returned function removes it; a throwing callback is logged', async (t) => {
  const { system, logs } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'duplicate', name: 'events' });
  const seen: string[] = [];
  const stop = registry.listen((e) => seen.push(`${e.type}:${e.key}:${e.value}`));
  registry.listen(() => {
    throw new Error('bad listener');
  });
  const m = await system.spawn(Counter, 0);
  registry.register('k', 1, { owner: m });
  t.deepEqual(seen, [], 'not called synchronously inside register');
  await settle();
  t.deepEqual(seen, ['register:k:1']);
  registry.unregister('k', { owner: m });
  await settle();
  t.deepEqual(seen, ['register:k:1', 'unregister:k:1']);
  stop();
  registry.register('k', 2, { owner: m });
  await settle();
  t.deepEqual(seen, ['register:k:1', 'unregister:k:1'], 'removed');
  const errors = (await syncLogs(system, logs)).filter((l) => l['report'] === 'registry_listener_error');
  t.is(errors.length, 3);
  t.is(errors[0]!['registry'], 'events');
  t.regex(String(errors[0]!['reason']), /bad listener/);
  t.true(system.isAlive(m));
  await system.shutdown();
});

test('listen(actorRef) sends the events to that actor until it is removed or dead', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const probe = await system.spawn(Probe, undefined);
  const stop = registry.listen(probe);
  const m = await system.spawn(Counter, 0);
  registry.register('a', 1, { owner: m });
  t.deepEqual(((await call(probe, { type: 'infos' })) as RegistryEvent[]).map((e) => [e.type, e.key, e.value]), [['register', 'a', 1]]);
  stop();
  registry.register('b', 2, { owner: m });
  t.is(((await call(probe, { type: 'infos' })) as unknown[]).length, 1, 'removed: no more events');
  const late = await system.spawn(Probe, undefined);
  registry.listen(late);
  await system.stop(late);
  t.notThrows(() => registry.register('c', 3, { owner: m }), 'a dead listener is skipped (and dropped)');
  t.is(registry.whereis('c'), m);
  await system.shutdown();
});

// ------------------------------------------------------------------ misuse

test('a write outside any actor (or after an await in a handler) without { owner } throws NoOwnerError', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const e = t.throws(() => registry.register('a', 1), { instanceOf: NoOwnerError });
  t.is((e as NoOwnerError).code, 'no_owner');
  t.regex(e!.message, /pass \{ owner: ref \}/);
  t.throws(() => registry.unregister('a'), { instanceOf: NoOwnerError });
  t.throws(() => registry.updateValue('a', (v) => v), { instanceOf: NoOwnerError });
  const m = await system.spawn(Member, { registry });
  t.true((await call(m, { type: 'registerAfterAwait', key: 'late' })) instanceof NoOwnerError, 'after an await the runtime no longer knows the caller');
  t.is(registry.whereis('late'), undefined);
  await system.shutdown();
});

test('misuse throws typed errors: a dead owner, a bad owner, a non-function predicate, bad options, a non-registry ref', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const dead = await system.spawn(Counter, 0);
  await system.stop(dead);
  t.throws(() => registry.register('a', 1, { owner: dead }), { instanceOf: NoProcError });
  t.is(registry.whereis('a'), undefined);
  t.throws(() => registry.register('a', 1, { owner: { id: 'fake' } as ActorRef }), { instanceOf: InvalidOptionError, message: /options\.owner/ });
  t.throws(() => registry.match('a', 'v' as never), { instanceOf: InvalidOptionError, message: /match: predicate must be a function/ });
  t.throws(() => registry.dispatch('a', undefined as never), { instanceOf: InvalidOptionError });
  t.throws(() => registry.keys({ id: 'x' } as ActorRef), { instanceOf: InvalidOptionError });
  t.throws(() => registry.listen(42 as never), { instanceOf: InvalidOptionError });

  const bad = await t.throwsAsync(Registry.start(system, { keys: 'many' as never }), { instanceOf: InitError });
  t.true((bad as InitError).reason instanceof InvalidOptionError);
  t.regex(((bad as InitError).reason as Error).message, /options\.keys must be 'unique' or 'duplicate', got: "many"/);
  await t.throwsAsync(Registry.start(system, { keys: 'unique', name: '' }), { instanceOf: InitError, message: /options\.name/ });
  await t.throwsAsync(Registry.start(system, { keys: 'unique', listeners: [5 as never] }), { instanceOf: InitError, message: /options\.listeners\[0\]/ });

  const counter = await system.spawn(Counter, 0);
  const e = t.throws(() => Registry.of(counter as never), { instanceOf: NotARegistryError });
  t.is((e as NotARegistryError).code, 'not_a_registry');
  system.register('counter', counter);
  t.throws(() => Registry.named(system, 'counter'), { instanceOf: NotARegistryError }, 'the name belongs to another kind of actor');
  await system.shutdown();
});

test('Registry.of and Registry.named give the handle of a registry spawned as a plain actor', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Registry, { keys: 'unique', name: 'plain' });
  const handle = Registry.of<string, number>(ref);
  t.is(handle.ref, ref);
  t.is(Registry.of(ref), handle, 'one handle per registry');
  t.is(Registry.named(system, 'plain'), handle);
  t.is(Registry.named(system, 'absent'), undefined);
  t.is(handle.label, 'plain');
  const m = await system.spawn(Member, { registry: handle, register: [['a', 1]] });
  t.deepEqual(await call(ref, { type: 'registry_info' }), { label: 'plain', name: 'plain', keys: 'unique', size: 1, owners: 1 });
  t.is(handle.whereis('a'), m);
  await system.shutdown();
});

// ------------------------------------------------------------------ types

// Each @ts-expect-error must trip, or the build fails.
function compileOnly(workers: RegistryHandle<string, { port: number }, CounterProtocol>, counter: ActorRef<CounterProtocol>): void {
  // @ts-expect-error keys are strings
  workers.whereis(1);
  // @ts-expect-error values are { port: number }
  workers.register('w', { port: '80' }, { owner: counter });
  // @ts-expect-error updateValue must return a value
  workers.updateValue('w', (v) => v.port);
  // @ts-expect-error the typed via checks the key
  workers.via(7);
  // @ts-expect-error a Counter is not a registry
  Registry.of(counter);
  // @ts-expect-error the options need keys
  void Registry.start(null as never, { name: 'x' });
  const w = workers.whereis('w');
  // The refs are typed by the registered actors' protocol.
  if (w !== undefined) void call(w, { type: 'get' });
  // @ts-expect-error Counter has no 'nope' request
  if (w !== undefined) void call(w, { type: 'nope' });
  const [first] = workers.lookup('w');
  const port: number | undefined = first?.value.port;
  void port;
  // @ts-expect-error lookup results are read-only
  workers.lookup('w').push({ ref: counter, value: { port: 1 } });
  workers.listen((e) => {
    const k: string = e.key;
    // @ts-expect-error event values are { port: number }
    const s: string = e.value;
    void k;
    void s;
  });
}
void compileOnly;

test('types: the checks above compile (this test only runs the runtime half)', async (t) => {
  const { system } = capturingSystem();
  const workers = await Registry.start<string, { port: number }, CounterProtocol>(system, { keys: 'unique' });
  const counter = await system.spawn(Counter, 5);
  workers.register('w', { port: 80 }, { owner: counter });
  const w = workers.whereis('w');
  t.is(w, counter);
  t.is(await call(w!, { type: 'get' }), 5);
  await system.shutdown();
});
