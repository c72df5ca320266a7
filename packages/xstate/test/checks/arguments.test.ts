/**
 * Bad arguments are typed errors at the call (issue 21 §4, issue 11 §3): a misspelt
 * restart policy must not silently restart a machine from scratch, and a malformed event
 * must not reach the machine (where it would crash it).
 */
import test from 'ava';
import { InitError, InvalidOptionError, Supervisor } from '@arbor/core';
import { fromMachine, getPersistedSnapshot, getSnapshot, machineChild, memorySnapshotStore, sendEvent, sendEventAndWait } from '../../src/index.js';
import { capturingSystem, drainTimers } from '../support/helpers.js';
import { counterMachine, lightMachine } from '../support/machines.js';

const Light = fromMachine(lightMachine);
const Counter = fromMachine(counterMachine);

test("machineChild refuses a restartFrom other than 'initial' | 'snapshot' (it used to become 'initial')", (t) => {
  const e = t.throws(() => machineChild(Counter, { id: 'c', restartFrom: 'Snapshot' as never }), { instanceOf: InvalidOptionError });
  t.is(e?.code, 'invalid_option');
  t.regex(e!.message, /machineChild options\.restartFrom must be 'initial' \(the default\) or 'snapshot' \(did you mean 'snapshot'\?\), got: "Snapshot"/);
  for (const bad of ['later', '', null, 5, {}, true]) t.throws(() => machineChild(Counter, { id: 'c', restartFrom: bad as never }), { instanceOf: InvalidOptionError });
  t.is(machineChild(Counter, { id: 'c', restartFrom: 'snapshot' }).id, 'c', 'the two policies are still accepted');
  t.is(machineChild(Counter, { id: 'c' }).id, 'c');
});

test('machineChild refuses an unknown option key (naming the closest), store/key without snapshot, and a behaviour fromMachine did not make', (t) => {
  t.throws(() => machineChild(Counter, { id: 'c', restartfrom: 'snapshot' } as never), { instanceOf: InvalidOptionError, message: /option "restartfrom" must be one of .* \(did you mean restartFrom\?\)/ });
  t.throws(() => machineChild(Counter, { id: 'c', shutdwon: 100 } as never), { instanceOf: InvalidOptionError, message: /did you mean shutdown\?/ });
  t.throws(() => machineChild(Counter, { id: 'c', store: memorySnapshotStore() }), { instanceOf: InvalidOptionError, message: /restartFrom is 'snapshot'/ });
  t.throws(() => machineChild(Counter, { id: 'c', restartFrom: 'snapshot', store: {} as never }), { instanceOf: InvalidOptionError, message: /SnapshotStore/ });
  t.throws(() => machineChild(Counter, { id: '' }), { instanceOf: InvalidOptionError, message: /options\.id/ });
  t.throws(() => machineChild(Counter, undefined as never), { instanceOf: InvalidOptionError, message: /machineChild options must be an object/ });
  t.throws(() => machineChild(undefined as never, { id: 'c' }), { instanceOf: InvalidOptionError, message: /machineChild\(behaviour\) must be a behaviour made by fromMachine/ });
  t.throws(() => machineChild(class {} as never, { id: 'c' }), { instanceOf: InvalidOptionError });
});

test('a misspelt restartFrom is refused before the tree starts, so no machine runs with the wrong policy', async (t) => {
  const { system } = capturingSystem();
  t.throws(() => Supervisor.start(system, { strategy: 'one_for_one', children: [machineChild(Counter, { id: 'c', restartFrom: 'Snapshot' as never, options: { name: 'c' } })] }), {
    instanceOf: InvalidOptionError,
  });
  t.is(system.whereis('c'), undefined);
  await system.shutdown();
});

test('sendEvent and sendEventAndWait refuse undefined, null, a string, {} and a non-string type at the call; the machine runs on', async (t) => {
  const { system, logs } = capturingSystem();
  const ref = await system.spawn(Light, {});
  sendEvent(ref, { type: 'TIMER' });
  for (const bad of [undefined, null, 'GO', {}, { type: 5 }, { type: undefined }, 7, [] as unknown]) {
    const e = t.throws(() => sendEvent(ref, bad as never), { instanceOf: InvalidOptionError });
    t.regex(e!.message, /^sendEvent: event(\.type)? must be an event object with a string type, such as \{ type: 'TIMER' \}, got: /);
    // An async API rejects (it never throws synchronously).
    const p = sendEventAndWait(ref, bad as never);
    await t.throwsAsync(p, { instanceOf: InvalidOptionError, message: /^sendEventAndWait: event/ });
  }
  await drainTimers();
  t.true(system.isAlive(ref), 'no bad event reached the machine');
  t.is((await getSnapshot(ref)).value, 'yellow', 'its state is what the one good event made it');
  t.false(logs.some((l) => l['report'] === 'crash_report'), 'nothing crashed');
  await t.throwsAsync(sendEventAndWait(ref, { type: 'TIMER' }, 5 as never), { instanceOf: InvalidOptionError, message: /options must be/ });
  await t.throwsAsync(getSnapshot(ref, { timout: 10 } as never), { instanceOf: InvalidOptionError, message: /did you mean timeout\?/ });
  await system.shutdown();
});

test('a machine spawned with a start argument that is not { input?, restartFrom?, store?, key? } fails its start', async (t) => {
  const { system } = capturingSystem();
  const causeOf = async (arg: unknown): Promise<string> => {
    const e = await t.throwsAsync(system.spawn(Light, arg as never), { instanceOf: InitError });
    t.true(e?.cause instanceof InvalidOptionError, String(e?.message));
    return (e?.cause as Error).message;
  };
  t.regex(await causeOf({ restartFrom: null }), /restartFrom must be 'initial' or 'snapshot', got: null/);
  t.regex(await causeOf({ inptu: 1 }), /did you mean input\?/);
  t.regex(await causeOf({ store: memorySnapshotStore() }), /restartFrom is 'snapshot'/);
  t.regex(await causeOf([]), /start argument must be an object/);
  await system.shutdown();
});

test("a ref that is not an ActorRef is refused with core's one message, naming the entry point", async (t) => {
  const fake = { id: 'light' } as never;
  const message = (op: string) => `${op}: ref must be an ActorRef returned by spawn, got: an object`;
  t.throws(() => sendEvent(fake, { type: 'TIMER' } as never), { instanceOf: InvalidOptionError, message: message('sendEvent') });
  await t.throwsAsync(sendEventAndWait(fake, { type: 'TIMER' } as never), { instanceOf: InvalidOptionError, message: message('sendEventAndWait') });
  await t.throwsAsync(getSnapshot(fake), { instanceOf: InvalidOptionError, message: message('getSnapshot') });
  await t.throwsAsync(getPersistedSnapshot(fake), { instanceOf: InvalidOptionError, message: message('getPersistedSnapshot') });
});
