import test from 'ava';
import { badRef, call, cast, exit, InvalidOptionError, isActorRef, isAlive, Registry, send } from '../../src/index.js';
import { Counter } from '../fixtures.js';
import { capturingSystem } from '../helpers.js';

test('isActorRef is true for refs spawn gave out (alive or dead), false for lookalikes', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  t.true(isActorRef(ref));
  await system.stop(ref);
  t.true(isActorRef(ref), 'a dead actor keeps a valid ref');
  for (const fake of [{ id: ref.id }, ref.id, undefined, null, 5, () => ref]) t.false(isActorRef(fake));
  await system.shutdown();
});

test('every function that takes a ref refuses a non-ref with the one message', async (t) => {
  const { system } = capturingSystem();
  const registry = await Registry.start(system, { keys: 'unique' });
  const fake = { id: 'nope' } as never;
  const message = (operation: string) => `${operation}: ref must be an ActorRef returned by spawn, got: an object`;
  t.is(badRef('op', fake).message, message('op'));
  t.true(badRef('op', fake) instanceof InvalidOptionError);
  await t.throwsAsync(call(fake, { type: 'get' } as never), { instanceOf: InvalidOptionError, message: message('call') });
  t.throws(() => cast(fake, {} as never), { instanceOf: InvalidOptionError, message: message('cast') });
  t.throws(() => send(fake, {} as never), { instanceOf: InvalidOptionError, message: message('send') });
  t.throws(() => exit(fake, 'kill'), { instanceOf: InvalidOptionError, message: message('exit') });
  t.throws(() => isAlive(fake), { instanceOf: InvalidOptionError, message: message('isAlive') });
  t.throws(() => system.monitor(fake, () => {}), { instanceOf: InvalidOptionError, message: message('monitor') });
  t.throws(() => system.sendAfter(fake, {} as never, 10), { instanceOf: InvalidOptionError, message: message('sendAfter') });
  t.throws(() => Registry.of(fake), { instanceOf: InvalidOptionError, message: message('Registry.of') });
  t.throws(() => registry.keys(fake), { instanceOf: InvalidOptionError, message: message('keys') });
  await system.shutdown();
});
