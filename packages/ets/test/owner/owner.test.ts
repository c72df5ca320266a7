import test from 'ava';
import { createSystem, defaultSystem, Supervisor, type ActorSystem } from '@arbor/core';
import { NotStartedError, TableDeletedError, TableOwner, TableSpec, UnknownTableError } from '../../src/index.js';
import { Host, inActor } from '../support/hosts.js';

interface Taint {
  readonly reason: string;
  readonly until: number;
}

const defineApp = (name: string) =>
  TableOwner.define(name, {
    worker_taints: TableSpec.set<string, Taint>(),
    hits: TableSpec.set<string, number>({ keep: true }),
    log: TableSpec.orderedSet<number, string>({ access: 'protected' }),
    subs: TableSpec.bag<string, string>(),
  });

async function startTree(system: ActorSystem, app: ReturnType<typeof defineApp>, withKeeper = true) {
  return Supervisor.start(system, {
    strategy: 'one_for_one',
    intensity: 10,
    period: 5000,
    children: withKeeper ? [app.keeperSpec(), app.childSpec()] : [app.childSpec()],
  });
}

async function until(cond: () => boolean): Promise<void> {
  for (let i = 0; i < 2000 && !cond(); i++) await new Promise((r) => setTimeout(r, 1));
  if (!cond()) throw new Error('condition never held');
}

test('ensureTable before the owner is started throws NotStartedError; an unknown name throws UnknownTableError', async (t) => {
  const system = createSystem();
  const app = defineApp('owner-a');
  const e = t.throws(() => app.ensureTable('hits', system), { instanceOf: NotStartedError });
  t.regex(e!.message, /start it in the supervision tree/);
  await startTree(system, app);
  t.throws(() => app.ensureTable('nope' as 'hits', system), { instanceOf: UnknownTableError });
  t.throws(() => app.ensureTable('toString' as 'hits', system), { instanceOf: UnknownTableError });
  await system.shutdown();
});

test('ensureTable is idempotent and typed; a table written by a short-lived actor outlives it', async (t) => {
  const system = createSystem();
  const app = defineApp('owner-b');
  await startTree(system, app);
  const a = app.ensureTable('worker_taints', system);
  t.is(app.ensureTable('worker_taints', system), a, 'outside an actor, the same handle every time');
  const temp = await system.spawn(Host, undefined);
  await inActor(temp, (self) => {
    app.ensureTable('worker_taints', self).insert('w1', { reason: 'crash', until: 10 });
    app.ensureTable('subs', self).insert('topic', 'w1');
  });
  await system.stop(temp);
  t.deepEqual(a.lookup('w1'), { reason: 'crash', until: 10 });
  t.deepEqual(app.ensureTable('subs', system).lookup('topic'), ['w1']);
  t.is(a.info().owner, system.whereis('owner-b')!, 'the owner actor owns the table');
  await system.shutdown();
});

test('a protected declared table: other actors read it, only the owner writes', async (t) => {
  const system = createSystem();
  const app = defineApp('owner-c');
  await startTree(system, app);
  const worker = await system.spawn(Host, undefined);
  const code = await inActor(worker, (self) => {
    const log = app.ensureTable('log', self);
    t.is(log.boundTo, self.self, 'an actor gets a handle bound to itself');
    t.is(log.lookup(1), undefined);
    try {
      log.insert(1, 'x');
      return 'written';
    } catch (e) {
      return (e as { code: string }).code;
    }
  });
  t.is(code, 'access_denied');
  await system.shutdown();
});

test('owner crash: the supervisor restarts it; plain tables come back empty, keep tables come back full', async (t) => {
  const system = createSystem();
  const app = defineApp('owner-d');
  await startTree(system, app);
  const taints = app.ensureTable('worker_taints', system);
  const hits = app.ensureTable('hits', system);
  taints.insert('w1', { reason: 'crash', until: 1 });
  hits.updateCounter('requests', 5, 0);
  for (let round = 1; round <= 2; round++) {
    const before = system.whereis('owner-d')!;
    system.exit(before, 'kill');
    await until(() => app.isRunning(system) && system.whereis('owner-d') !== before);
    const newOwner = system.whereis('owner-d');
    // Without keep: the old table went with the old owner; a new, empty one replaced it.
    t.throws(() => taints.lookup('w1'), { instanceOf: TableDeletedError });
    const taints2 = app.ensureTable('worker_taints', system);
    t.is(taints2.size(), 0);
    t.is(taints2.info().owner, newOwner!);
    // With keep: the keeper held it and gave it back; the same table, same contents.
    t.is(hits.lookup('requests'), 5 * round);
    t.is(hits.info().owner, newOwner!);
    t.is(hits.info().heir, system.whereis('owner-d.keeper')!, 'the keeper is the heir again, for the next crash');
    hits.updateCounter('requests', 5);
  }
  await system.shutdown();
});

test('a keep table with no keeper running is recreated empty after an owner crash ', async (t) => {
  const system = createSystem();
  const app = defineApp('owner-e');
  await startTree(system, app, false);
  const hits = app.ensureTable('hits', system);
  hits.insert('a', 1);
  const before = system.whereis('owner-e')!;
  system.exit(before, 'kill');
  await until(() => app.isRunning(system) && system.whereis('owner-e') !== before);
  t.false(hits.alive);
  t.is(app.ensureTable('hits', system).size(), 0);
  await system.shutdown();
});

test('a declared table cannot be dropped or given away through a non-owner handle', async (t) => {
  const system = createSystem();
  const app = defineApp('owner-f');
  await startTree(system, app);
  const owner = system.whereis('owner-f')!;
  const subs = app.ensureTable('subs', system);
  subs.insert('k', 'v');
  t.throws(() => subs.drop(), { code: 'ownership' });
  t.throws(() => subs.giveAway(owner, null), { code: 'ownership' });
  t.true(app.isRunning(system));
  t.is(subs.info().owner, owner);
  await system.shutdown();
});

test('without a context, ensureTable uses the default system, like a table owner module', async (t) => {
  const app = defineApp('owner-default');
  t.throws(() => app.ensureTable('hits'), { instanceOf: NotStartedError });
  t.false(app.isRunning());
  const sup = await startTree(defaultSystem(), app);
  t.true(app.isRunning());
  app.ensureTable('hits').updateCounter('n', 2, 0);
  t.is(app.ensureTable('hits', defaultSystem()).lookup('n'), 2);
  await defaultSystem().stop(sup, 'shutdown');
  t.throws(() => app.ensureTable('hits'), { instanceOf: NotStartedError });
});

test('a restarted keeper becomes the heir of the keep tables again, so a later owner crash still keeps them', async (t) => {
  const system = createSystem();
  const app = defineApp('owner-k');
  await startTree(system, app);
  const hits = app.ensureTable('hits', system);
  hits.insert('a', 1);
  const oldKeeper = system.whereis('owner-k.keeper')!;
  system.exit(oldKeeper, 'kill');
  await until(() => system.whereis('owner-k.keeper') !== undefined && system.whereis('owner-k.keeper') !== oldKeeper);
  const keeper = system.whereis('owner-k.keeper')!;
  await until(() => hits.info().heir === keeper);
  const before = system.whereis('owner-k')!;
  system.exit(before, 'kill');
  await until(() => app.isRunning(system) && system.whereis('owner-k') !== before);
  t.true(hits.alive, 'the keep table survived the owner crash');
  t.is(app.ensureTable('hits', system).lookup('a'), 1);
  await system.shutdown();
});
