/**
 * Registry lifecycles: entries removed when their actor exits (and never returned in
 * between), via-naming at spawn, a via-named actor restarted under the same key,
 * several registries at once, and the registry's own death and restart.
 */
import test from 'ava';
import fc from 'fast-check';
import {
  AlreadyStartedError,
  call,
  cast,
  DuplicateKeysError,
  GenServer,
  ignore,
  InitError,
  NoProcError,
  Registry,
  RegistryStoppedError,
  via,
  type ActorRef,
  type ActorSystem,
  type Call,
  type ExitMessage,
  type RegistryEvent,
  type RegistryHandle,
  type SystemInfo,
} from '../../src/index.js';
import { Counter, Probe, type CounterProtocol } from '../support/actors.js';
import { capturingSystem, eventually, exitReasonOf, settle, syncLogs } from '../support/helpers.js';
import { Member } from '../support/registryMembers.js';

// ------------------------------------------------------------------ removal on death

type Death = (system: ActorSystem, ref: ActorRef) => Promise<void>;
const deaths: Record<string, Death> = {
  'a normal stop': (system, ref) => system.stop(ref, 'normal'),
  'a crash': async (system, ref) => {
    const down = exitReasonOf(system, ref);
    cast(ref, { type: 'crash' });
    await down;
  },
  'a kill': async (system, ref) => {
    system.exit(ref, 'kill');
  },
};

for (const [how, die] of Object.entries(deaths)) {
  test(`entries go inside ${how}, even while the registry is suspended: no DOWN is queued to it`, async (t) => {
    const { system } = capturingSystem();
    const registry = await Registry.start<string, number>(system, { keys: 'unique' });
    const pubsub = await Registry.start<string, number>(system, { keys: 'duplicate' });
    const events: RegistryEvent[] = [];
    registry.listen((e) => events.push(e));
    const m = await system.spawn(Member, { registry, register: [['a', 1], ['b', 2]] });
    pubsub.register('topic', 1, { owner: m });
    const survivor = await system.spawn(Member, { registry: pubsub, register: [['topic', 2]] });

    // Suspended, the registries handle no message: the tables are cleaned inside m's exit.
    await system.suspend(registry.ref);
    await system.suspend(pubsub.ref);
    await die(system, m);
    t.false(system.isAlive(m));
    t.is(system.getStatus(registry.ref).mailboxLength, 0, 'no DOWN is queued to the registry');
    t.is(system.getStatus(pubsub.ref).mailboxLength, 0, 'no DOWN is queued to the registry');
    t.deepEqual(system.getStatus(registry.ref).monitors, [], 'the registry forgot m at its exit');
    t.deepEqual(system.getStatus(pubsub.ref).monitors, [survivor.id]);
    t.is(registry.whereis('a'), undefined);
    t.deepEqual(registry.lookup('b'), []);
    t.deepEqual(registry.select(), []);
    t.deepEqual(registry.keys(m), []);
    t.is(registry.count(), 0);
    t.is(system.whereis(via(registry, 'a')), undefined);
    t.deepEqual(pubsub.lookup('topic').map((e) => e.ref), [survivor]);
    t.is(pubsub.countMatch('topic', () => true), 1);

    await settle();
    t.deepEqual(
      events.filter((e) => e.type === 'unregister').map((e) => [e.key, e.ref === m]),
      [
        ['a', true],
        ['b', true],
      ],
    );
    await system.shutdown();
  });
}

test('a key whose holder died is free at once, even while the registry is suspended', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const first = await system.spawn(Member, { registry, register: [['k', 1], ['other', 9]] });
  await system.suspend(registry.ref);
  system.exit(first, 'kill');
  const second = await system.spawn(Member, { registry, register: [['k', 2]] });
  t.is(registry.whereis('k'), second);
  t.is(registry.whereis('other'), undefined, 'every entry of the dead holder went with it');
  t.is(system.getStatus(registry.ref).mailboxLength, 0, 'no DOWN was queued');
  await system.resume(registry.ref);
  await settle();
  t.is(registry.whereis('k'), second);
  t.deepEqual(system.getStatus(registry.ref).monitors, [second.id]);
  await system.shutdown();
});

// Model-based: after any sequence of registrations, unregistrations and kills (with the
// registry suspended or running), every read agrees with the model and never
// returns a dead actor.
test('property: reads agree with a model and never return a dead actor, whatever the order of writes and deaths', async (t) => {
  const ACTORS = 3;
  const KEYS = 4;
  const op = fc.oneof(
    fc.record({ t: fc.constant('register' as const), a: fc.nat(ACTORS - 1), k: fc.nat(KEYS - 1) }),
    fc.record({ t: fc.constant('unregister' as const), a: fc.nat(ACTORS - 1), k: fc.nat(KEYS - 1) }),
    fc.record({ t: fc.constant('kill' as const), a: fc.nat(ACTORS - 1) }),
    fc.record({ t: fc.constant('settle' as const) }),
    fc.record({ t: fc.constant('suspend' as const) }),
  );
  let runs = 0;
  await fc.assert(
    fc.asyncProperty(fc.array(op, { maxLength: 25 }), async (ops) => {
      runs++;
      const { system } = capturingSystem();
      const registry = await Registry.start<number, number>(system, { keys: 'unique' });
      const actors: ActorRef[] = [];
      for (let i = 0; i < ACTORS; i++) actors.push(await system.spawn(Counter, 0));
      const holder = new Map<number, number>();
      let suspended = false;
      try {
        for (const o of ops) {
          switch (o.t) {
            case 'register': {
              const r = registry.register(o.k, o.a, { owner: actors[o.a]! });
              const h = holder.get(o.k);
              if (h === undefined) {
                if (r.status !== 'ok') return false;
                holder.set(o.k, o.a);
              } else if (r.status !== 'already_registered' || r.ref !== actors[h]) return false;
              break;
            }
            case 'unregister':
              if (registry.unregister(o.k, { owner: actors[o.a]! }) !== (holder.get(o.k) === o.a)) return false;
              if (holder.get(o.k) === o.a) holder.delete(o.k);
              break;
            case 'kill':
              system.exit(actors[o.a]!, 'kill');
              for (const [k, a] of holder) if (a === o.a) holder.delete(k);
              actors[o.a] = await system.spawn(Counter, 0);
              break;
            case 'settle':
              await settle();
              break;
            case 'suspend':
              if (suspended) await system.resume(registry.ref);
              else await system.suspend(registry.ref);
              suspended = !suspended;
              break;
          }
          for (let k = 0; k < KEYS; k++) {
            const h = holder.get(k);
            const expected = h === undefined ? undefined : actors[h];
            const found = registry.whereis(k);
            if (found !== expected || (found !== undefined && !system.isAlive(found))) return false;
            const entries = registry.lookup(k);
            if (entries.length !== (h === undefined ? 0 : 1) || (h !== undefined && (entries[0]!.ref !== expected || entries[0]!.value !== h))) return false;
          }
          if (registry.count() !== holder.size) return false;
          for (let a = 0; a < ACTORS; a++) {
            const mine = [...holder].filter(([, x]) => x === a).map(([k]) => k);
            if (JSON.stringify([...registry.keys(actors[a]!)].sort()) !== JSON.stringify(mine.sort())) return false;
          }
        }
        return true;
      } finally {
        await system.shutdown();
      }
    }),
    { numRuns: 60 },
  );
  t.is(runs, 60, 'fast-check ran every case and found no counterexample');
});

// ------------------------------------------------------------------ via-naming at spawn

test('via: spawn registers the actor under the key before init; whereis, system.whereis and the dump find it', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, undefined>(system, { keys: 'unique', name: 'workers' });
  let seenInInit: ActorRef | undefined;
  const ref = await system.spawn(Probe, { onInit: () => (seenInInit = registry.whereis('w1')) }, { name: via(registry, 'w1') });
  t.is(seenInInit, ref, 'registered before init ran');
  t.is(registry.whereis('w1'), ref);
  t.deepEqual(registry.lookup('w1').map((e) => [e.ref, e.value]), [[ref, undefined]], 'a via entry holds undefined (Elixir: nil)');
  t.is(system.whereis(via(registry, 'w1')), ref);
  const typed = await system.spawn(Counter, 0, { name: registry.via('w2') });
  t.is(registry.whereis('w2'), typed);
  // The dump reads every registry's keys of an actor through system.nameProviders.
  const providers = system.nameProviders();
  t.deepEqual(providers.map((p) => p.label), ['workers']);
  t.deepEqual(providers[0]!.keysOf(ref), ['w1']);
  await system.stop(ref);
  t.is(registry.whereis('w1'), undefined);
  await system.shutdown();
});

test('via: a clash rejects spawn with AlreadyStartedError holding the holder; no actor starts; start answers it as a value', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, undefined>(system, { keys: 'unique', name: 'workers' });
  const holder = await system.spawn(Counter, 1, { name: via(registry, 'w') });
  const size = system.size;
  let inits = 0;
  const err = await t.throwsAsync(system.spawn(Probe, { onInit: () => inits++ }, { name: via(registry, 'w') }), { instanceOf: AlreadyStartedError });
  t.is((err as AlreadyStartedError).existing, holder);
  t.is((err as AlreadyStartedError).actorName, 'workers:w');
  t.is(inits, 0);
  t.is(system.size, size, 'no actor was started');
  const r = await system.start(Counter, 2, { name: via(registry, 'w') });
  t.is(r.status, 'error');
  if (r.status === 'error') t.is((r.reason as AlreadyStartedError).existing, holder);
  t.is(registry.whereis('w'), holder);
  t.deepEqual(system.getStatus(registry.ref).monitors, [holder.id], 'the refused starts left nothing behind');
  await system.shutdown();
});

test('via: a key is freed when init fails or returns ignore', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, undefined>(system, { keys: 'unique' });
  class Failing extends GenServer {
    override init(): void {
      throw new Error('cannot start');
    }
  }
  class Ignoring extends GenServer {
    override init(): typeof ignore {
      return ignore;
    }
  }
  await t.throwsAsync(system.spawn(Failing, undefined, { name: via(registry, 'k') }), { instanceOf: InitError });
  t.is(registry.whereis('k'), undefined);
  t.deepEqual(await system.start(Ignoring, undefined, { name: via(registry, 'k') }), { status: 'ignore' });
  t.is(registry.whereis('k'), undefined);
  const ok = await system.spawn(Counter, 0, { name: via(registry, 'k') });
  t.is(registry.whereis('k'), ok);
  await system.shutdown();
});

test('via into a duplicate registry rejects with DuplicateKeysError and leaves no half-started actor', async (t) => {
  const { system } = capturingSystem();
  const pubsub = await Registry.start<string, undefined>(system, { keys: 'duplicate', name: 'pubsub' });
  const size = system.size;
  const err = await t.throwsAsync(system.spawn(Counter, 0, { name: via(pubsub, 'topic') }), { instanceOf: DuplicateKeysError });
  t.regex(err!.message, /keys: 'unique'/);
  t.is(system.size, size);
  t.deepEqual(pubsub.lookup('topic'), []);
  await system.shutdown();
});

/** A supervisor in miniature: keeps one via-named Counter alive, restarting it when it exits. */
interface KeeperProtocol {
  call: Call<'child', ActorRef<CounterProtocol>>;
}
interface KeeperArg {
  readonly registry: RegistryHandle<string, undefined, CounterProtocol>;
  readonly key: string;
}
class Keeper extends GenServer<KeeperProtocol, ActorRef<CounterProtocol>, KeeperArg> {
  name!: ReturnType<typeof via>;
  override async init(arg: KeeperArg): Promise<void> {
    this.trapExit(true);
    this.name = via(arg.registry, arg.key);
    this.state = await this.spawnLink(Counter, 0, { name: this.name });
  }
  override handleCall(): ActorRef<CounterProtocol> {
    return this.state;
  }
  override async handleInfo(msg: SystemInfo): Promise<void> {
    if (msg.type === 'EXIT' && msg.from === this.state) this.state = await this.spawnLink(Counter, 0, { name: this.name });
  }
}

test('restart: a via-named actor dies and the one restarted under the same key is found by lookup; the old ref never is', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, undefined, CounterProtocol>(system, { keys: 'unique', name: 'workers' });
  const keeper = await system.spawn(Keeper, { registry, key: 'job' });
  const first = await call(keeper, { type: 'child' });
  t.is(registry.whereis('job'), first);
  for (let round = 0; round < 3; round++) {
    const old = await call(keeper, { type: 'child' });
    system.exit(old, round === 1 ? 'kill' : 'crash');
    // Whatever the moment, a read gives the live child or nothing, never the dead one.
    t.true(await eventually(() => {
      const now = registry.whereis('job');
      t.not(now, old);
      return now !== undefined;
    }));
    const current = await call(keeper, { type: 'child' });
    t.not(current, old);
    t.is(registry.whereis('job'), current);
    t.deepEqual(registry.lookup('job').map((e) => e.ref), [current]);
    t.is(await call(registry.whereis('job')!, { type: 'add', by: 2 }), 2, 'the restarted child answers through the registry');
  }
  await system.shutdown();
});

// ------------------------------------------------------------------ several registries

test('several registries run at once, each with its own actor and table', async (t) => {
  const { system } = capturingSystem();
  const a = await Registry.start<string, number>(system, { keys: 'unique', name: 'a' });
  const b = await Registry.start<string, number>(system, { keys: 'unique', name: 'b' });
  const c = await Registry.start<string, number>(system, { keys: 'duplicate' });
  t.not(a.ref, b.ref);
  const m1 = await system.spawn(Member, { registry: a, register: [['k', 1]] });
  const m2 = await system.spawn(Member, { registry: b, register: [['k', 2]] });
  c.register('k', 3, { owner: m1 });
  c.register('k', 4, { owner: m2 });
  t.is(a.whereis('k'), m1);
  t.is(b.whereis('k'), m2, 'the same key in another registry is another entry');
  t.is(c.lookup('k').length, 2);
  t.deepEqual(
    system.nameProviders().map((p) => p.label),
    ['a', 'b', `Registry#${c.ref.id}`],
  );
  await system.stop(m1);
  t.is(a.whereis('k'), undefined);
  t.is(b.whereis('k'), m2);
  t.deepEqual(c.lookup('k').map((e) => e.ref), [m2]);
  await system.stop(a.ref);
  t.is(b.whereis('k'), m2, 'one registry stopping leaves the others alone');
  t.deepEqual(system.nameProviders().map((p) => p.label), ['b', `Registry#${c.ref.id}`]);
  await system.shutdown();
});

// ------------------------------------------------------------------ the registry's own death and restart

const stops: Record<string, (system: ActorSystem, ref: ActorRef) => Promise<unknown>> = {
  stopped: (system, ref) => system.stop(ref, 'shutdown'),
  killed: async (system, ref) => system.exit(ref, 'kill'),
};

for (const [how, stop] of Object.entries(stops)) {
  test(`a registry ${how}: its table is cleared, it leaves nameProviders, and every use throws RegistryStoppedError`, async (t) => {
    const { system } = capturingSystem();
    const registry = await Registry.start<string, number>(system, { keys: 'unique' });
    const ref = registry.ref;
    const m = await system.spawn(Member, { registry, register: [['a', 1]] });
    t.deepEqual(system.getStatus(m).monitoredBy, [ref.id]);
    await stop(system, ref);
    t.false(system.isAlive(ref));
    t.false(registry.alive);
    const e = t.throws(() => registry.whereis('a'), { instanceOf: RegistryStoppedError });
    t.is((e as RegistryStoppedError).code, 'registry_stopped');
    t.regex(e!.message, /whereis: registry "Registry#.+" is not running/);
    t.throws(() => registry.lookup('a'), { instanceOf: RegistryStoppedError });
    t.throws(() => registry.count(), { instanceOf: RegistryStoppedError });
    t.throws(() => registry.register('b', 2, { owner: m }), { instanceOf: RegistryStoppedError });
    t.deepEqual(registry.keysOf(m), [], 'the dump still gets an answer');
    t.notThrows(() => registry.unregisterName('a', m));
    const size = system.size;
    await t.throwsAsync(system.spawn(Counter, 0, { name: via(registry, 'c') }), { instanceOf: RegistryStoppedError });
    t.is(system.size, size, 'the refused spawn left no actor behind');
    t.throws(() => Registry.of(ref), { instanceOf: NoProcError });
    t.true(await eventually(() => system.nameProviders().length === 0), 'removed from system.nameProviders');
    t.deepEqual(system.getStatus(m).monitoredBy, [], 'the owners are no longer watched');
    t.true(system.isAlive(m), 'owners do not die with the registry');
    await system.shutdown();
  });
}

test('a registry linked to a parent dies with it and cleans up', async (t) => {
  const { system } = capturingSystem();
  class Parent extends GenServer<{ call: Call<'registry', ActorRef> }, ActorRef> {
    override async init(): Promise<void> {
      this.state = await this.spawnLink(Registry, { keys: 'unique', name: 'child-registry' });
    }
    override handleCall(): ActorRef {
      return this.state;
    }
  }
  const parent = await system.spawn(Parent, undefined);
  const ref = await call(parent, { type: 'registry' });
  const registry = Registry.named<string, number>(system, 'child-registry')!;
  t.is(registry.ref, ref);
  registry.register('x', 1, { owner: parent });
  system.exit(parent, 'boom');
  t.is(await exitReasonOf(system, ref), 'boom');
  t.true(await eventually(() => system.nameProviders().length === 0));
  t.is(system.whereis('child-registry'), undefined);
  t.throws(() => registry.whereis('x'), { instanceOf: RegistryStoppedError });
  await system.shutdown();
});

test('the handle of a named registry follows the name to the restarted registry', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start<string, undefined>(system, { keys: 'unique', name: 'workers' });
  const old = registry.ref;
  await system.spawn(Counter, 0, { name: via(registry, 'w') });
  system.exit(old, 'kill');
  t.throws(() => registry.whereis('w'), { instanceOf: RegistryStoppedError }, 'nothing answers until it is restarted');
  await eventually(() => system.whereis('workers') === undefined);
  const again = await Registry.start<string, undefined>(system, { keys: 'unique', name: 'workers' });
  t.is(registry.ref, again.ref, 'the old handle now uses the new registry');
  t.is(registry.whereis('w'), undefined, 'a new registry starts empty');
  const w = await system.spawn(Counter, 0, { name: via(registry, 'w') });
  t.is(again.whereis('w'), w);
  t.is(Registry.named(system, 'workers')!.whereis('w'), w);
  await system.shutdown();
});

test('a registry whose name is taken fails to start with AlreadyStartedError, without a crash report', async (t) => {
  const { system, logs } = capturingSystem();
  const holder = await system.spawn(Counter, 0, { name: 'taken' });
  const err = await t.throwsAsync(Registry.start(system, { keys: 'unique', name: 'taken' }), { instanceOf: AlreadyStartedError });
  t.is((err as AlreadyStartedError).existing, holder);
  const r = await system.start(Registry, { keys: 'unique', name: 'taken' });
  t.is(r.status, 'error');
  if (r.status === 'error') t.true(r.reason instanceof AlreadyStartedError);
  t.is(system.nameProviders().length, 0);
  t.deepEqual((await syncLogs(system, logs)).filter((l) => l.level === 'error'), []);
  await system.shutdown();
});

test('the registry logs its start and stop at debug level with structured fields', async (t) => {
  const { system, logs } = capturingSystem();
  const registry = await Registry.start(system, { keys: 'duplicate', name: 'logged' });
  await system.stop(registry.ref, 'shutdown');
  const lines = (await syncLogs(system, logs)).filter((l) => String(l['report']).startsWith('registry_'));
  t.deepEqual(
    lines.map((l) => [l.level, l['report'], l['registry']]),
    [
      ['debug', 'registry_started', 'logged'],
      ['debug', 'registry_stopped', 'logged'],
    ],
  );
  await system.shutdown();
});

test('an info message that is not a DOWN is logged and dropped; the entries stay', async (t) => {
  const { system, logs } = capturingSystem();
  const registry = await Registry.start<string, number>(system, { keys: 'unique' });
  const m = await system.spawn(Member, { registry, register: [['a', 1]] });
  const exit: ExitMessage = { type: 'EXIT', from: m, reason: 'x' };
  system.send(registry.ref as unknown as ActorRef<{ info: ExitMessage }>, exit);
  await call(registry.ref, { type: 'registry_info' });
  t.is(registry.whereis('a'), m);
  t.is((await syncLogs(system, logs)).filter((l) => l['report'] === 'unexpected_info').length, 1);
  await system.shutdown();
});
