import test from 'ava';
import { badRef, call, cast, checkRef, exit, InvalidOptionError, isActorRef, isAlive, refExpected, Registry, send } from '../../src/index.js';
import { Counter } from '../support/actors.js';
import { capturingSystem } from '../support/helpers.js';

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

test('checkRef returns a ref and refuses anything else with badRef\'s error; refExpected is its wording', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  t.is(checkRef('link', ref), ref);
  const e = t.throws(() => checkRef('link', { id: ref.id }, 'target'), { instanceOf: InvalidOptionError });
  t.is(e!.message, 'link: target must be an ActorRef returned by spawn, got: an object');
  t.is(badRef('setHeir', 5, 'heir', 'null for none').message, 'setHeir: heir must be an ActorRef returned by spawn, or null for none, got: 5 (number)');
  t.is(refExpected(), 'an ActorRef returned by spawn');
  t.is(refExpected('a function'), 'an ActorRef returned by spawn, or a function');
  t.throws(() => refExpected(5 as never), { instanceOf: InvalidOptionError, message: /^refExpected: or must be a non-empty string/ });
  const registry = await Registry.start(system, { keys: 'unique' });
  t.throws(() => registry.listen(5 as never), { instanceOf: InvalidOptionError, message: 'listen: listener must be an ActorRef returned by spawn, or a function, got: 5 (number)' });
  await t.throwsAsync(Registry.start(system, { keys: 'unique', listeners: [5 as never] }), { message: /options\.listeners\[0\] must be an ActorRef returned by spawn, or a non-empty local name, got: 5/ });
  await system.shutdown();
});
