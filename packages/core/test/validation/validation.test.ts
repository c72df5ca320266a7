import test from 'ava';
import { call, cast, GenServer, InvalidBehaviourError, InvalidOptionError, NameTakenError, createSystem } from '../../src/index.js';
import { Counter } from '../support/actors.js';
import { capturingSystem } from '../support/helpers.js';

test('spawning something that is not a behaviour rejects with InvalidBehaviourError saying what to pass', async (t) => {
  const { system } = capturingSystem();
  for (const bad of [{}, () => 1, class NotAnActor {}, null, 'Counter']) {
    const e = await t.throwsAsync(system.spawn(bad as never, undefined as never));
    t.true(e instanceof InvalidBehaviourError, String(bad));
    t.is((e as InvalidBehaviourError).code, 'invalid_behaviour');
    t.regex(e!.message, /extends GenServer/);
  }
  await system.shutdown();
});

test('a handler that is not a function rejects with InvalidBehaviourError naming it', async (t) => {
  class Broken extends GenServer {
    override handleCast = 5 as never;
  }
  const { system } = capturingSystem();
  const e = await t.throwsAsync(system.spawn(Broken, undefined));
  t.true(e instanceof InvalidBehaviourError);
  t.regex(e!.message, /Broken\.handleCast must be a method, got: 5 \(number\)/);
  t.is(system.size, 0);
  await system.shutdown();
});

test('negative, NaN or non-number timeouts reject with InvalidOptionError naming options.timeout', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  for (const timeout of [-1, Number.NaN, '10' as unknown as number]) {
    const e = await t.throwsAsync(call(ref, { type: 'get' }, { timeout }));
    t.true(e instanceof InvalidOptionError);
    t.is((e as InvalidOptionError).option, 'options.timeout');
    t.regex(e!.message, /options\.timeout must be a number of milliseconds from 0 to 2147483647, or Infinity/);
  }
  t.throws(() => system.sendAfter(ref, { type: 'tick' }, -5), { instanceOf: InvalidOptionError, message: /ms must be/ });
  await t.throwsAsync(system.getState(ref, { timeout: -1 }), { instanceOf: InvalidOptionError });
  await system.shutdown();
});

test('a name already taken throws NameTakenError telling how to fix it', async (t) => {
  const { system } = capturingSystem();
  const a = await system.spawn(Counter, 0);
  const b = await system.spawn(Counter, 0);
  system.register('counter', a);
  const e = t.throws(() => system.register('counter', b));
  t.true(e instanceof NameTakenError);
  t.is((e as NameTakenError).holder, a);
  t.regex(e!.message, /unregister it first or pick another name/);
  t.throws(() => system.register('', b), { instanceOf: InvalidOptionError });
  await system.shutdown();
});

test('something that is not a ref is refused by every operation with a clear error', async (t) => {
  const { system } = capturingSystem();
  const fake = { id: 'nope' } as never;
  await t.throwsAsync(call(fake, { type: 'get' } as never), { instanceOf: InvalidOptionError, message: /an ActorRef returned by spawn/ });
  t.throws(() => cast(fake, {} as never), { instanceOf: InvalidOptionError });
  t.throws(() => system.exit(fake, 'kill'), { instanceOf: InvalidOptionError });
  t.throws(() => system.getStatus(fake), { instanceOf: InvalidOptionError });
  await t.throwsAsync(system.stop(fake), { instanceOf: InvalidOptionError });
  await system.shutdown();
});

test('bad system options throw InvalidOptionError', (t) => {
  t.throws(() => createSystem({ scheduler: { budget: 0 } }), { instanceOf: InvalidOptionError, message: /options\.scheduler\.budget/ });
  t.throws(() => createSystem({ name: 5 as never }), { instanceOf: InvalidOptionError });
});

test('calling new on a behaviour and using its context outside an actor says to spawn it', (t) => {
  const c = new Counter();
  t.throws(() => c.self, { instanceOf: InvalidOptionError, message: /spawn the behaviour/ });
});
