/**
 * Nothing the machine started outlives the Arbor actor: invoked callbacks are cleaned up,
 * invoked promises aborted, spawned children stopped and their delayed events cancelled,
 * whether the actor crashes, stops, or is killed. The first test is xstate issue 5153's
 * scenario: a failing machine whose invoked child xstate itself leaves running.
 */
import test from 'ava';
import { createActor, type AnyActorRef } from 'xstate';
import { fromMachine, getSnapshot, MachineFailedError, sendEvent } from '../../src/index.js';
import { capturingSystem, eventually, exitReasonOf, sleep } from '../support/helpers.js';
import { loaderMachine, spawnerMachine, tickerProbe, tickingMachine } from '../support/machines.js';

test.serial('xstate issue 5153: the invoked child of a failed machine stops under Arbor (bare xstate leaves it running)', async (t) => {
  // Control: bare xstate. The parent fails, the interval callback it invoked keeps ticking.
  const bare = tickerProbe();
  const actor = createActor(tickingMachine(bare));
  actor.subscribe({ error: () => {} });
  actor.start();
  t.true(await eventually(() => bare.ticks >= 2));
  actor.send({ type: 'FAIL' });
  t.is(actor.getSnapshot().status, 'error');
  const ticksAtFailure = bare.ticks;
  t.true(await eventually(() => bare.ticks > ticksAtFailure + 2), 'bare xstate: the child still ticks after its parent failed');
  t.is(bare.cleaned, 0, 'bare xstate: the callback was never cleaned up');
  for (const h of bare.handles) clearInterval(h);

  // Arbor: the same machine as an actor.
  const { system } = capturingSystem();
  const probe = tickerProbe();
  const ref = await system.spawn(fromMachine(tickingMachine(probe)), {});
  t.true(await eventually(() => probe.ticks >= 2));
  const reason = exitReasonOf(system, ref);
  sendEvent(ref, { type: 'FAIL' });
  t.true((await reason) instanceof MachineFailedError);
  t.is(probe.started, 1);
  t.is(probe.cleaned, 1, 'the callback cleanup ran (its interval is cleared)');
  const ticksAfter = probe.ticks;
  await sleep(20);
  t.is(probe.ticks, ticksAfter, 'no tick after the actor crashed');
  await system.shutdown();
});

for (const [how, end] of [
  ['stopped', (s: ReturnType<typeof capturingSystem>['system'], r: AnyRef) => s.stop(r)],
  ['killed', (s: ReturnType<typeof capturingSystem>['system'], r: AnyRef) => s.exit(r, 'kill')],
  ['exited by a signal it does not trap', (s: ReturnType<typeof capturingSystem>['system'], r: AnyRef) => s.exit(r, 'shutdown')],
  ['shut down with its system', (s: ReturnType<typeof capturingSystem>['system']) => s.shutdown()],
] as const) {
  test.serial(`an invoked callback is cleaned up when the actor is ${how}`, async (t) => {
    const { system } = capturingSystem();
    const probe = tickerProbe();
    const ref = await system.spawn(fromMachine(tickingMachine(probe)), {});
    t.true(await eventually(() => probe.ticks >= 1));
    await end(system, ref);
    t.true(await eventually(() => probe.cleaned === 1), 'cleanup ran');
    t.false(system.isAlive(ref));
    const ticksAfter = probe.ticks;
    await sleep(10);
    t.is(probe.ticks, ticksAfter);
    await system.shutdown();
  });
}
type AnyRef = Parameters<ReturnType<typeof capturingSystem>['system']['stop']>[0];

test.serial('an invoked promise is aborted when the actor is killed', async (t) => {
  const { system } = capturingSystem();
  let signal: AbortSignal | undefined;
  const Loader = fromMachine(loaderMachine((_input, s) => {
    signal = s;
    return new Promise<string>(() => {});
  }));
  const ref = await system.spawn(Loader, { input: { fail: false } });
  sendEvent(ref, { type: 'LOAD' });
  t.is((await getSnapshot(ref)).value, 'loading');
  t.false(signal!.aborted);
  system.exit(ref, 'kill');
  t.true(await eventually(() => signal!.aborted));
});

test.serial('spawned child machines stop and their delayed events are cancelled when the actor is killed', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(fromMachine(spawnerMachine), {});
  sendEvent(ref, { type: 'SPAWN' });
  sendEvent(ref, { type: 'SPAWN' });
  const kids = Object.values((await getSnapshot(ref)).children) as AnyActorRef[];
  t.is(kids.length, 2);
  const scheduled = (): number => Object.keys(kids[0]!.system.getSnapshot()._scheduledEvents).length;
  t.is(scheduled(), 2, 'each kid waits on a 10 s delayed event');
  system.exit(ref, 'kill');
  t.true(await eventually(() => kids.every((k) => k.getSnapshot().status === 'stopped')));
  t.is(scheduled(), 0, 'no delayed event is left');
});
