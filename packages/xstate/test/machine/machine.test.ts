import test from 'ava';
import { call, cast, dump, InitError, InvalidOptionError, renderDump } from '@arbor/core';
import { fromCallback, fromTransition, setup } from 'xstate';
import { fromMachine, memorySnapshotStore, getPersistedSnapshot, getSnapshot, sendEvent, sendEventAndWait, type MachineRef } from '../../src/index.js';
import { capturingSystem, eventually, snapshotWhen } from '../support/helpers.js';
import { counterMachine, delayedMachine, lightMachine, loaderMachine, spawnerMachine } from '../support/machines.js';

const Light = fromMachine(lightMachine);
const Counter = fromMachine(counterMachine);

test('events are casts, the snapshot is read by call, in order', async (t) => {
  const { system } = capturingSystem();
  const light: MachineRef<typeof lightMachine> = await system.spawn(Light, {});
  t.is((await getSnapshot(light)).value, 'green');
  sendEvent(light, { type: 'TIMER' });
  cast(light, { type: 'TIMER' });
  t.is((await getSnapshot(light)).value, 'red');
  const s = await sendEventAndWait(light, { type: 'TIMER' });
  t.is(s.value, 'green');
  t.is(s.context.cycles, 1);
  t.is((await call(light, { type: 'getSnapshot' })).status, 'active');
  await system.shutdown();
});

test('the behaviour is named after the machine id, or the name option', async (t) => {
  t.is(Light.name, 'light');
  t.is(fromMachine(lightMachine, { name: 'crossing' }).name, 'crossing');
  t.is(Light.logic, lightMachine);
});

test('the actor state (getState) is the last snapshot; the persisted snapshot restores elsewhere', async (t) => {
  const { system } = capturingSystem();
  const counter = await system.spawn(Counter, {});
  await sendEventAndWait(counter, { type: 'ADD', by: 5 });
  const state = await system.getState<{ context: { n: number } }>(counter);
  t.is(state.context.n, 5);
  const persisted = await getPersistedSnapshot(counter);
  const store = memorySnapshotStore();
  await store.save('copy', JSON.parse(JSON.stringify(persisted)));
  const copy = await system.spawn(Counter, { restartFrom: 'snapshot', store, key: 'copy' });
  t.is((await getSnapshot(copy)).context.n, 5, 'a machine actor restores the JSON form of the persisted snapshot');
  await system.shutdown();
});

test('input reaches the machine', async (t) => {
  const { system } = capturingSystem();
  const Loader = fromMachine(loaderMachine(async () => 'v'));
  const ref = await system.spawn(Loader, { input: { fail: true } });
  t.true((await getSnapshot(ref)).context.fail);
  await system.shutdown();
});

test('delayed events (after) fire inside the actor', async (t) => {
  const { system } = capturingSystem();
  const Delayed = fromMachine(delayedMachine);
  const ref = await system.spawn(Delayed, undefined);
  sendEvent(ref, { type: 'ARM' });
  t.is((await getSnapshot(ref)).value, 'armed');
  const s = await snapshotWhen(() => getSnapshot(ref), (x) => x.value === 'fired');
  t.is(s.value, 'fired');
  await system.shutdown();
});

test('an invoked promise resolves into the machine', async (t) => {
  const { system } = capturingSystem();
  const Loader = fromMachine(loaderMachine(async () => 'loaded value'));
  const ref = await system.spawn(Loader, { input: { fail: false } });
  sendEvent(ref, { type: 'LOAD' });
  const snapshot = await snapshotWhen(() => getSnapshot(ref), (x) => x.value === 'loaded');
  t.is(snapshot.value, 'loaded');
  t.is(snapshot.context.value, 'loaded value');
  await system.shutdown();
});

test('an invoked callback sends events back into the machine', async (t) => {
  const { system } = capturingSystem();
  const machine = setup({
    types: { context: {} as { got: number }, events: {} as { type: 'PING' } | { type: 'PONG' } },
    actors: {
      echo: fromCallback(({ receive, sendBack }) => {
        receive(() => sendBack({ type: 'PONG' }));
      }),
    },
  }).createMachine({
    context: { got: 0 },
    invoke: { src: 'echo', id: 'echo' },
    on: {
      PING: { actions: ({ self }) => self.getSnapshot().children['echo']?.send({ type: 'PING' }) },
      PONG: { actions: ({ context }) => void context.got++ },
    },
  });
  const ref = await system.spawn(fromMachine(machine, { name: 'echo' }), {});
  sendEvent(ref, { type: 'PING' });
  sendEvent(ref, { type: 'PING' });
  t.is((await getSnapshot(ref)).context.got, 2);
  await system.shutdown();
});

test('spawned child actors run and are listed in the snapshot', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(fromMachine(spawnerMachine), {});
  sendEvent(ref, { type: 'SPAWN' });
  sendEvent(ref, { type: 'SPAWN' });
  const s = await getSnapshot(ref);
  t.is(Object.keys(s.children).length, 2);
  for (const kid of Object.values(s.children)) t.is(kid!.getSnapshot().status, 'active');
  await system.shutdown();
});

test('a machine that reaches a final state exits normal', async (t) => {
  const { system } = capturingSystem();
  const ref = await system.spawn(Counter, {});
  const down = new Promise((resolve) => system.monitor(ref, ({ reason }) => resolve(reason)));
  sendEvent(ref, { type: 'FINISH' });
  t.is(await down, 'normal');
  t.false(await eventually(() => system.isAlive(ref), 50));
});

test('misuse: not a machine, bad start arguments', async (t) => {
  const { system } = capturingSystem();
  t.throws(() => fromMachine({} as never), { instanceOf: InvalidOptionError, message: /fromMachine\(logic\) must be an xstate v5 machine/ });
  t.throws(() => fromMachine(lightMachine, { name: '' }), { instanceOf: InvalidOptionError });
  const e1 = await t.throwsAsync(system.spawn(Light, { restartFrom: 'later' } as never), { instanceOf: InitError });
  t.true(e1?.cause instanceof InvalidOptionError);
  const e2 = await t.throwsAsync(system.spawn(Light, { restartFrom: 'snapshot' } as never), { instanceOf: InitError });
  t.regex(String((e2?.cause as Error).message), /memorySnapshotStore\(\)/);
  await system.shutdown();
});

test('getStatus and the dump show the state value and status (formatStatus)', async (t) => {
  const { system } = capturingSystem();
  const light = await system.spawn(Light, {}, { name: 'light' });
  t.deepEqual(system.getStatus(light).details, { state: 'green', status: 'active' });
  await sendEventAndWait(light, { type: 'TIMER' });
  t.deepEqual(system.getStatus(light).details, { state: 'yellow', status: 'active' });
  const node = dump(system).roots.find((n) => n.id === light.id);
  t.deepEqual(node?.details, { state: 'yellow', status: 'active' });
  t.regex(renderDump(dump(system)), /state=yellow/);
  const nested = setup({}).createMachine({ initial: 'a', states: { a: { initial: 'b', states: { b: {} } } } });
  const ref = await system.spawn(fromMachine(nested, { name: 'nested' }), {});
  t.deepEqual(system.getStatus(ref).details, { state: 'a.b', status: 'active' });
  await system.shutdown();
});

test('a machine xstate cannot persist answers getPersistedSnapshot with the error and keeps running', async (t) => {
  const { system } = capturingSystem();
  // A child logic that refuses to be persisted (as xstate's development build does for inline children).
  const base = fromTransition((n: number) => n, 0);
  const refusing = { ...base, getPersistedSnapshot: () => { throw new Error('this child cannot be persisted'); } };
  const machine = setup({ actors: { refusing } }).createMachine({ invoke: { src: 'refusing' } });
  const ref = await system.spawn(fromMachine(machine, { name: 'refusing' }), {});
  await t.throwsAsync(getPersistedSnapshot(ref), { message: 'this child cannot be persisted' });
  const r = await call(ref, { type: 'getPersistedSnapshot' });
  t.is(r.status, 'error');
  t.true(system.isAlive(ref));
  await system.shutdown();
});
