import test from 'ava';
import { call, cast, CallTimeoutError, NoProcError, CallExitError, CallSelfError } from '../../src/index.js';
import { capturingSystem, sleep } from '../support/helpers.js';
import { Counter } from '../support/actors.js';

test('spawn runs init, cast updates state, call replies with the inferred type', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 5);
  cast(ref, { type: 'inc', by: 2 });
  const n: number = await call(ref, { type: 'get' });
  t.is(n, 7);
  t.is(await call(ref, { type: 'add', by: 3 }), 10);
  await system.shutdown();
});

test('a call that gets no reply in time rejects with CallTimeoutError, and the late reply is dropped', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  const err = await t.throwsAsync(call(ref, { type: 'slow', ms: 80 }, { timeout: 20 }));
  t.true(err instanceof CallTimeoutError);
  t.is((err as CallTimeoutError).code, 'timeout');
  // The late reply (at 80 ms) must not reach the next call.
  t.is(await call(ref, { type: 'add', by: 1 }), 2);
  await sleep(100);
  t.is(await call(ref, { type: 'get' }), 2);
  await system.shutdown();
});

test('a coarse (default) timeout still fires: 1 s timeout on a reply that never comes', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  const started = Date.now();
  const err = await t.throwsAsync(call(ref, { type: 'later' }, { timeout: 1000 }));
  const waited = Date.now() - started;
  t.true(err instanceof CallTimeoutError);
  t.true(waited >= 1000, `fired after ${waited} ms, never early`);
  await system.shutdown();
});

test('calls to a dead actor reject with NoProcError; casts are no-ops', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  await system.stop(ref);
  t.false(system.isAlive(ref));
  t.notThrows(() => cast(ref, { type: 'inc', by: 1 }));
  const err = await t.throwsAsync(call(ref, { type: 'get' }));
  t.true(err instanceof NoProcError);
  t.is((err as NoProcError).code, 'noproc');
  await system.shutdown();
});

test('the target dying mid-call rejects the caller with its exit reason', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  const pending = call(ref, { type: 'later' });
  const boom = new Error('gone');
  setTimeout(() => system.exit(ref, boom), 5);
  const err = await t.throwsAsync(pending);
  t.true(err instanceof CallExitError);
  t.is((err as CallExitError).reason, boom);
  await system.shutdown();
});

test('calling yourself rejects with CallSelfError', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 1);
  const selfCall = new Promise<unknown>((resolve) => {
    const cell = ref as unknown as { behaviour: Counter };
    cell.behaviour.handleCast = function () {
      this.call(this.self, { type: 'get' }).catch(resolve);
    };
  });
  cast(ref, { type: 'inc', by: 1 });
  const err = await selfCall;
  t.true(err instanceof CallSelfError);
  await system.shutdown();
});
