/**
 * Typed names, registries and dynamic children: a name declared once with its protocol
 * (`defineName<P>`) types `whereis` without an assertion and checks what is spawned under
 * it; a registry's protocol types its refs and its via-names (no `any` default: an untyped
 * registry's or name's ref takes no messages); `DynamicSupervisor.startChild` types the
 * child's ref from the spec. Each `@ts-expect-error` must fail to compile.
 */
import test from 'ava';
import {
  call,
  childSpec,
  defineName,
  DynamicSupervisor,
  GenServer,
  InvalidOptionError,
  Registry,
  via,
  type ActorRef,
  type ActorSystem,
  type Call,
  type DynamicSupervisorProtocol,
  type RegistryHandle,
  type TypedName,
  type UnknownProtocol,
} from '../../src/index.js';
import { Counter, type CounterProtocol } from '../support/actors.js';
import { capturingSystem } from '../support/helpers.js';
import { compileCases } from '../support/compileCases.js';

interface EchoProtocol {
  call: Call<'echo', string, { text: string }>;
}
class Echo extends GenServer<EchoProtocol> {
  override handleCall(req: EchoProtocol['call']): string {
    return req.text;
  }
}

const counterName = defineName<CounterProtocol>('counter');

function compileOnly(system: ActorSystem, sup: ActorRef<DynamicSupervisorProtocol>, typed: RegistryHandle<string, undefined, CounterProtocol>): void {
  void (async () => {
    // Local names.
    const _name: TypedName<CounterProtocol> = counterName;
    const _isString: string = counterName;
    void system.spawn(Counter, 0, { name: counterName });
    // @ts-expect-error an Echo is not a CounterProtocol actor: it cannot take the counter's name
    void system.spawn(Echo, undefined, { name: counterName });
    void system.spawn(Echo, undefined, { name: 'any-string-name' });
    // @ts-expect-error a child spec's name is checked against its behaviour too
    void childSpec(Echo, undefined, { options: { name: counterName } });
    const counter = system.whereis(counterName);
    const _typed: ActorRef<CounterProtocol> | undefined = counter;
    if (counter !== undefined) {
      const _n: number = await call(counter, { type: 'get' });
      // @ts-expect-error the typed name's ref checks requests like any typed ref
      void call(counter, { type: 'echo', text: 'x' });
      system.register(counterName, counter);
    }
    const echo = await system.spawn(Echo, undefined);
    // @ts-expect-error registering under a typed name checks the ref's protocol
    system.register(counterName, echo);
    const plain = system.whereis('counter');
    const _unknown: ActorRef<UnknownProtocol> | undefined = plain;
    // @ts-expect-error a plain string name gives a ref of unknown protocol: no calls until it is typed
    if (plain !== undefined) void call(plain, { type: 'get' });
    // @ts-expect-error a plain via name too
    const _viaAny: ActorRef<CounterProtocol> | undefined = system.whereis(via(typed, 'a'));

    // Registries: no `any` default.
    const untypedRegistry = await Registry.start<string>(system, { keys: 'unique' });
    const u = untypedRegistry.whereis('a');
    // @ts-expect-error an untyped registry's refs take no messages until typed
    if (u !== undefined) void call(u, { type: 'get' });
    void system.spawn(Echo, undefined, { name: untypedRegistry.via('e') });
    void system.spawn(Counter, 0, { name: typed.via('a') });
    // @ts-expect-error a typed registry names actors of its protocol only
    void system.spawn(Echo, undefined, { name: typed.via('e') });
    const viaRef = system.whereis(typed.via('a'));
    if (viaRef !== undefined) void call(viaRef, { type: 'add', by: 1 });
    const named = Registry.named<string, undefined, CounterProtocol>(system, 'workers');
    const _namedRef: ActorRef<CounterProtocol> | undefined = named?.whereis('a');
    // @ts-expect-error Registry.named defaults to an unknown protocol, not any
    const _namedAny: ActorRef<CounterProtocol> | undefined = Registry.named<string>(system, 'workers')?.whereis('a');

    // Dynamic children: the ref is typed by the spec.
    const r = await DynamicSupervisor.startChild(sup, { start: { behaviour: Counter, arg: 0 } });
    if (r.status === 'ok') {
      const _n: number = await call(r.ref, { type: 'get' });
      // @ts-expect-error a Counter child takes Counter requests only
      void call(r.ref, { type: 'echo', text: 'x' });
    }
    const f = await DynamicSupervisor.startChild(sup, { start: (s) => s.startLink(Echo, undefined) });
    // @ts-expect-error a start function's child is typed by the actor it starts
    if (f.status === 'ok') void call(f.ref, { type: 'get' });
    // @ts-expect-error the start argument is still checked against the behaviour
    void DynamicSupervisor.startChild(sup, { start: { behaviour: Counter, arg: 'zero' } });
  })();
}
void compileOnly;

const errors = compileCases(
  `import { call, cast, defineName, GenServer, type ActorSystem, type Call } from '@core';
interface CounterProtocol { call: Call<'get', number> }
interface EchoProtocol { call: Call<'echo', string> }
class Echo extends GenServer<EchoProtocol> { override handleCall() { return 'e'; } }
const counterName = defineName<CounterProtocol>('counter');
declare const system: ActorSystem;`,
  {
    plainName: "const ref = system.whereis('counter')!; void call(ref, { type: 'get' });",
    plainCast: "const ref = system.whereis('counter')!; cast(ref, { type: 'inc' });",
    wrongBehaviour: 'await system.spawn(Echo, undefined, { name: counterName });',
    typed: "const ref = system.whereis(counterName)!; const n: number = await call(ref, { type: 'get' }); void n;",
  },
);

test('a ref from a plain string name takes no messages, and the error says how to type it', (t) => {
  for (const list of [errors.plainName!, errors.plainCast!]) {
    t.is(list.length, 1);
    t.true(list[0]!.includes("this ref's protocol is unknown (a plain string or via name, an untyped registry): declare the name with defineName<P>(name)"), list[0]);
  }
  t.is(errors.wrongBehaviour!.length, 1);
  t.true(errors.wrongBehaviour![0]!.startsWith("Type 'TypedName<CounterProtocol>' is not assignable to type"), errors.wrongBehaviour![0]);
  t.deepEqual(errors.typed, []);
});

test('defineName: the name is the string itself; spawn registers it and whereis finds the typed ref', async (t) => {
  t.is(counterName as string, 'counter');
  const { system } = capturingSystem();
  const spawned = await system.spawn(Counter, 4, { name: counterName });
  const found = system.whereis(counterName);
  t.is(found, spawned);
  t.is(system.whereis('counter'), spawned, 'the string name still works');
  t.is(await call(found!, { type: 'add', by: 1 }), 5);
  await system.shutdown();
});

test('defineName rejects what is not a name with InvalidOptionError', (t) => {
  for (const bad of ['', 7, null, { key: 'a' }]) {
    const err = t.throws(() => defineName<CounterProtocol>(bad as never));
    t.true(err instanceof InvalidOptionError, String(bad));
    t.regex(err!.message, /defineName: name must be a non-empty string or via\(registry, key\)/);
  }
});

test('a typed via name: defineName over via(), and a typed registry’s via(), name and find the typed ref', async (t) => {
  const { system } = capturingSystem();
  const workers = await Registry.start<string, undefined, CounterProtocol>(system, { keys: 'unique', name: 'workers' });
  const a = await system.spawn(Counter, 1, { name: workers.via('a') });
  const bName = defineName<CounterProtocol>(via(workers, 'b'));
  const b = await system.spawn(Counter, 2, { name: bName });
  t.is(system.whereis(workers.via('a')), a);
  t.is(system.whereis(bName), b);
  t.is(await call(system.whereis(bName)!, { type: 'get' }), 2);
  t.is(Registry.named<string, undefined, CounterProtocol>(system, 'workers')?.whereis('a'), a);
  await system.shutdown();
});

test('DynamicSupervisor.startChild: the typed ref of a behaviour start and of a start function answer calls', async (t) => {
  const { system } = capturingSystem();
  const sup = await DynamicSupervisor.start(system, {});
  const r = await DynamicSupervisor.startChild(sup, { start: { behaviour: Counter, arg: 3 } });
  const f = await DynamicSupervisor.startChild(sup, { start: (s) => s.startLink(Echo, undefined) });
  if (r.status !== 'ok' || f.status !== 'ok') return t.fail(`children did not start: ${r.status}, ${f.status}`);
  t.is(await call(r.ref, { type: 'add', by: 2 }), 5);
  t.is(await call(f.ref, { type: 'echo', text: 'hi' }), 'hi');
  await system.shutdown();
});
