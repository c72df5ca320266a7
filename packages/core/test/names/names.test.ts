/**
 * Local names: register / whereis / unregister, release on death, clashes, and names
 * given at spawn (OTP's already_started).
 */
import test from 'ava';
import {
  AlreadyNamedError,
  AlreadyStartedError,
  call,
  GenServer,
  InitError,
  NameTakenError,
  NoProcError,
  type ActorRef,
} from '../../src/index.js';
import { Counter, Probe, type CounterProtocol } from '../support/actors.js';
import { capturingSystem } from '../support/helpers.js';

test('register, whereis and unregister', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 4);
  t.is(system.whereis('counter'), undefined);
  system.register('counter', ref);
  const found = system.whereis<CounterProtocol>('counter');
  t.is(found, ref);
  t.is(await call(found!, { type: 'get' }), 4);
  t.deepEqual(system.registered(), ['counter']);
  t.is(system.getStatus(ref).name, 'counter');

  t.true(system.unregister('counter'));
  t.is(system.whereis('counter'), undefined);
  t.is(system.getStatus(ref).name, undefined);
  t.deepEqual(system.registered(), []);
  t.false(system.unregister('counter'), 'nobody holds it any more');
  t.true(system.isAlive(ref), 'unregistering does not touch the actor');
  // After unregister the actor may take another name.
  system.register('renamed', ref);
  t.is(system.whereis('renamed'), ref);
  await system.shutdown();
});

test('a name is released when its actor dies, and can be reused', async (t) => {
  const { system } = capturingSystem();
  const first = await system.spawn(Counter, 1);
  system.register('svc', first);
  system.exit(first, 'bad');
  t.false(system.isAlive(first));
  t.is(system.whereis('svc'), undefined);
  t.deepEqual(system.registered(), []);

  const second = await system.spawn(Counter, 2);
  t.notThrows(() => system.register('svc', second));
  t.is(system.whereis('svc'), second);

  // A name given at spawn is released the same way, after a crash too.
  const third = await system.spawn(Counter, 3, { name: 'spawned' });
  await t.throwsAsync(call(third, { type: 'crash' }));
  t.is(system.whereis('spawned'), undefined);
  const fourth = await system.spawn(Counter, 4, { name: 'spawned' });
  t.is(system.whereis('spawned'), fourth);
  await system.shutdown();
});

test('a name released by unregister is not freed again when its former holder dies', async (t) => {
  const { system } = capturingSystem();
  const a = await system.spawn(Counter, 1);
  const b = await system.spawn(Counter, 2);
  system.register('x', a);
  system.unregister('x');
  system.register('x', b);
  await system.stop(a);
  t.is(system.whereis('x'), b);
  await system.shutdown();
});

test('registering a taken name throws NameTakenError (already_registered) saying how to fix it', async (t) => {
  const { system } = capturingSystem();
  const holder = await system.spawn(Counter, 1);
  const other = await system.spawn(Counter, 2);
  system.register('taken', holder);
  const err = t.throws(() => system.register('taken', other));
  t.true(err instanceof NameTakenError);
  const e = err as NameTakenError;
  t.is(e.code, 'already_registered');
  t.is(e.holder, holder);
  t.is(e.actorName, 'taken');
  t.regex(e.message, /"taken"/);
  t.regex(e.message, new RegExp(holder.id));
  t.regex(e.message, /unregister it first or pick another name/);
  t.is(system.whereis('taken'), holder, 'the holder keeps the name');
  t.is(system.getStatus(other).name, undefined);
  // Registering the holder under its own name again is a clash too (one name, one actor).
  t.throws(() => system.register('taken', holder), { instanceOf: NameTakenError });
  await system.shutdown();
});

test('a second name for the same actor throws AlreadyNamedError', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  system.register('first', ref);
  const err = t.throws(() => system.register('second', ref));
  t.true(err instanceof AlreadyNamedError);
  t.is((err as AlreadyNamedError).code, 'already_named');
  t.is((err as AlreadyNamedError).currentName, 'first');
  t.regex((err as AlreadyNamedError).message, /unregister that name first/);
  t.is(system.whereis('second'), undefined);
  t.is(system.whereis('first'), ref);
  await system.shutdown();
});

test('registering a dead actor throws NoProcError', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  await system.stop(ref);
  const err = t.throws(() => system.register('ghost', ref));
  t.true(err instanceof NoProcError);
  t.is((err as NoProcError).code, 'noproc');
  t.is(system.whereis('ghost'), undefined);
  await system.shutdown();
});

test('spawn with options.name registers the name before init runs', async (t) => {
  const { system } = capturingSystem();
  const seen: { found: ActorRef | undefined; self: ActorRef; name: string | undefined }[] = [];
  const ref = await system.spawn(
    Probe,
    { onInit: (self, sys) => seen.push({ found: sys.whereis('early'), self, name: sys.getStatus(self).name }) },
    { name: 'early' },
  );
  t.is(seen.length, 1);
  t.is(seen[0]!.found, ref, 'whereis finds the actor from inside its own init');
  t.is(seen[0]!.self, ref);
  t.is(seen[0]!.name, 'early');
  t.is(system.whereis('early'), ref);
  await system.shutdown();
});

test('a name given at spawn is released when init fails', async (t) => {
  const { system } = capturingSystem();
  class FailingInit extends GenServer {
    override init(): void {
      throw new Error('cannot start');
    }
  }
  await t.throwsAsync(system.spawn(FailingInit, undefined, { name: 'flaky' }), { instanceOf: InitError });
  t.is(system.whereis('flaky'), undefined);
  const ref = await system.spawn(Counter, 0, { name: 'flaky' });
  t.is(system.whereis('flaky'), ref);
  await system.shutdown();
});

test('a name clash on spawn rejects with AlreadyStartedError whose `existing` is the holder; no actor starts', async (t) => {
  const { system } = capturingSystem();
  const holder = await system.spawn(Counter, 1, { name: 'singleton' });
  let inits = 0;
  const before = system.size;
  const err = await t.throwsAsync(system.spawn(Probe, { onInit: () => inits++ }, { name: 'singleton' }));
  t.true(err instanceof AlreadyStartedError);
  const e = err as AlreadyStartedError;
  t.is(e.code, 'already_started');
  t.is(e.existing, holder);
  t.is(e.actorName, 'singleton');
  t.regex(e.message, /whereis/);
  t.is(inits, 0, 'init never ran');
  t.is(system.size, before, 'no actor was started');
  t.is(system.whereis('singleton'), holder);

  await system.shutdown();
});

test('system.start returns {status: "error", reason: AlreadyStartedError} on a name clash instead of rejecting', async (t) => {
  const { system } = capturingSystem();
  const holder = await system.spawn(Counter, 1, { name: 'one' });
  const r = await system.start(Counter, 2, { name: 'one' });
  t.is(r.status, 'error');
  if (r.status !== 'error') return;
  t.true(r.reason instanceof AlreadyStartedError);
  t.is((r.reason as AlreadyStartedError).existing, holder);
  t.is(system.size, 1);

  const ok = await system.start(Counter, 2, { name: 'two' });
  t.is(ok.status, 'ok');
  if (ok.status === 'ok') t.is(system.whereis('two'), ok.ref);
  await system.shutdown();
});
