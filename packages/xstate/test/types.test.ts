/**
 * Type tests: each `@ts-expect-error` line must fail to compile, so the build fails if a
 * machine actor's ref ever lets an event the machine does not accept through. The runtime
 * part checks that the same refs behave as typed.
 */
import test from 'ava';
import { call, cast, childSpec, type ActorRef } from '@arbor/core';
import { fromMachine, getSnapshot, machineChild, sendEvent, sendEventAndWait, type MachineRef } from '../src/index.js';
import { capturingSystem } from './support/helpers.js';
import { counterMachine, lightMachine, loaderMachine } from './support/machines.js';

const Light = fromMachine(lightMachine);
const Counter = fromMachine(counterMachine);
const Loader = fromMachine(loaderMachine(async () => 'v'));

function compileOnly(light: MachineRef<typeof lightMachine>, counter: MachineRef<typeof counterMachine>): void {
  sendEvent(light, { type: 'TIMER' });
  // @ts-expect-error 'HONK' is not an event the light machine accepts
  sendEvent(light, { type: 'HONK' });
  // @ts-expect-error BAD needs its `reason`
  sendEvent(light, { type: 'BAD' });
  // @ts-expect-error `by` must be a number
  sendEvent(counter, { type: 'ADD', by: '1' });
  // @ts-expect-error the light's events are not the counter's
  cast(counter, { type: 'TIMER' });
  // @ts-expect-error events are casts: there is no call named after an event
  void call(light, { type: 'TIMER' });
  // @ts-expect-error a light ref is not a counter ref
  const _wrong: MachineRef<typeof counterMachine> = light;
  // @ts-expect-error the loader's input is { fail: boolean }
  void capturingSystem().system.spawn(Loader, { input: { fail: 'yes' } });
  // @ts-expect-error restartFrom 'snapshot' needs a store and a key on a bare start argument
  void capturingSystem().system.spawn(Counter, { restartFrom: 'snapshot' });
  // @ts-expect-error machineChild takes a behaviour made by fromMachine
  void machineChild(lightMachine, { id: 'x' });

  void (async () => {
    const s = await getSnapshot(light);
    const _v: number = s.context.cycles;
    // @ts-expect-error the light's context has no `n`
    const _n: number = s.context.n;
    const after = await sendEventAndWait(counter, { type: 'ADD', by: 1 });
    const _c: number = after.context.n;
    const viaCall = await call(counter, { type: 'getSnapshot' });
    const _d: number = viaCall.context.n;
  })();
}
void compileOnly;

test('spawn, childSpec and machineChild carry the machine protocol', async (t) => {
  const { system } = capturingSystem();
  const light: MachineRef<typeof lightMachine> = await system.spawn(Light, {});
  const asActorRef: ActorRef<{ cast: { type: 'TIMER' } | { type: 'BREAK' } | { type: 'BAD'; reason: string } }> = light;
  cast(asActorRef, { type: 'TIMER' });
  t.is((await getSnapshot(light)).value, 'yellow');
  const spec = childSpec(Counter, { input: undefined }, { id: 'c' });
  t.is(spec.id, 'c');
  const mspec = machineChild(Counter, { id: 'm', restartFrom: 'snapshot' });
  t.like(mspec.start, { behaviour: Counter, arg: { restartFrom: 'snapshot', key: 'm' } });
  await system.shutdown();
});
