/**
 * Sys requests (getState, replaceState, suspend, resume, stop) are messages queued in
 * mailbox order, as OTP's `{system, From, Req}`: what was sent before them is handled
 * first. A suspended actor still serves them (OTP's sys loop), ordinary messages wait.
 */
import test from 'ava';
import { call, cast, send } from '../../src/index.js';
import { Counter, Probe } from '../support/actors.js';
import { capturingSystem, exitReasonOf } from '../support/helpers.js';

test('cast(x) then getState() sees x applied; replaceState comes in its turn too', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  cast(ref, { type: 'inc', by: 1 });
  cast(ref, { type: 'inc', by: 2 });
  const seen = system.getState<number>(ref);
  cast(ref, { type: 'inc', by: 4 });
  t.is(await seen, 3, 'the two casts before it, not the one after');
  cast(ref, { type: 'inc', by: 1 });
  const replaced = system.replaceState<number>(ref, (s) => s * 10);
  cast(ref, { type: 'inc', by: 1 });
  t.is(await replaced, 80, '(3 + 4 + 1) * 10: after the casts before it');
  t.is(await call(ref, { type: 'get' }), 81);
  await system.shutdown();
});

test('stop() after casts handles the casts first, then terminates', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Probe, undefined);
  for (let n = 1; n <= 3; n++) send(ref, { n });
  const gone = exitReasonOf(system, ref);
  await system.stop(ref, 'shutdown');
  t.is(await gone, 'shutdown');
  t.is(system.getStatus(ref).messagesHandled, 3, 'the three messages sent before the stop were handled');
  await system.shutdown();
});

test('suspend in its turn: messages before it are handled, messages after it wait; resume lets them through in order', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Probe, undefined);
  send(ref, { n: 1 });
  const suspended = system.suspend(ref);
  send(ref, { n: 2 });
  await suspended;
  t.is(system.getStatus(ref).status, 'suspended');
  t.is(await system.getState<unknown[]>(ref).then((s) => s.length), 1, 'served while suspended: only the message before suspend was handled');
  t.is(system.getStatus(ref).messagesHandled, 1);
  await system.resume(ref);
  t.deepEqual(await call(ref, { type: 'infos' }), [{ n: 1 }, { n: 2 }]);
  await system.shutdown();
});

test('stop of a suspended actor: served at once, its queued messages are never handled, terminate runs', async (t) => {
  const { system } = capturingSystem();
  const terminated: unknown[] = [];
  const ref = await system.spawn(Probe, { onTerminate: (r) => terminated.push(r) });
  await system.suspend(ref);
  send(ref, { n: 1 });
  send(ref, { n: 2 });
  await system.stop(ref, 'shutdown', { timeout: 2000 });
  t.false(system.isAlive(ref));
  t.deepEqual(terminated, ['shutdown']);
  t.is(system.getStatus(ref).messagesHandled, 0);
  await system.shutdown();
});

test('a call queued before getState is answered before the state is read', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, 0);
  const added = call(ref, { type: 'add', by: 5 });
  t.is(await system.getState<number>(ref), 5);
  t.is(await added, 5);
  await system.shutdown();
});
