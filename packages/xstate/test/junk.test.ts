/**
 * Every public export of @arbor/xstate, called with junk: each call either throws (or
 * rejects with) an ArborError subclass (never a raw TypeError, never a hang) or the junk
 * is a documented valid input. A machine probed with junk events is still alive after.
 * MachineActor is probed the way it is used: spawned (directly, and through fromMachine)
 * with junk start arguments. The type-only exports have nothing to call.
 */
import test from 'ava';
import { ArborError, createSystem, type ActorRef, type ActorSystem } from '@arbor/core';
import {
  fromMachine,
  getPersistedSnapshot,
  getSnapshot,
  machineChild,
  MachineActor,
  MachineFailedError,
  memorySnapshotStore,
  sendEvent,
  sendEventAndWait,
  SnapshotKeyInUseError,
} from '../src/index.js';
import { junkValues, probe, probeErrorConstructors, showOutcome, type Outcome } from '@arbor/test-support';
import { lightMachine } from './support/machines.js';

const Light = fromMachine(lightMachine);
const ALL = junkValues().map(([l]) => l);
const OMITTED = ['undefined'];

interface Env {
  readonly system: ActorSystem;
  readonly ref: ActorRef<any>;
}

/** One probed entry point: `call(junk)`; `valid` lists the junk labels that are documented valid inputs. */
interface Row {
  readonly entry: string;
  readonly call: (junk: unknown, env: Env) => unknown;
  readonly valid?: readonly string[];
}

const child = (extra: Record<string, unknown>) => machineChild(Light, { id: 'c', ...extra } as never);
const store = memorySnapshotStore();

const ROWS: Row[] = [
  { entry: 'fromMachine(j)', call: (j) => fromMachine(j as never) },
  { entry: 'fromMachine(machine, j)', call: (j) => fromMachine(lightMachine, j as never), valid: ['undefined', '{}'] },
  { entry: 'fromMachine(machine, { name: j })', call: (j) => fromMachine(lightMachine, { name: j } as never), valid: ['undefined', "'x'"] },
  { entry: "machineChild(j, { id: 'c' })", call: (j) => machineChild(j as never, { id: 'c' }) },
  { entry: 'machineChild(Light, j)', call: (j) => machineChild(Light, j as never) },
  { entry: 'machineChild(Light, { id: j })', call: (j) => machineChild(Light, { id: j } as never), valid: ["'x'"] },
  { entry: "machineChild(Light, { id: 'c', restartFrom: j })", call: (j) => child({ restartFrom: j }), valid: OMITTED },
  { entry: "machineChild(Light, { id: 'c', restartFrom: 'snapshot', store: j })", call: (j) => child({ restartFrom: 'snapshot', store: j }), valid: OMITTED },
  { entry: "machineChild(Light, { id: 'c', restartFrom: 'snapshot', key: j })", call: (j) => child({ restartFrom: 'snapshot', key: j }), valid: ['undefined', "'x'"] },
  { entry: "machineChild(Light, { id: 'c', store: j }) (no restartFrom)", call: (j) => child({ store: j }), valid: OMITTED },
  { entry: "machineChild(Light, { id: 'c', restart: j })", call: (j) => child({ restart: j }), valid: OMITTED },
  { entry: "machineChild(Light, { id: 'c', shutdown: j })", call: (j) => child({ shutdown: j }), valid: ['undefined', '5'] },
  { entry: "machineChild(Light, { id: 'c', significant: j })", call: (j) => child({ significant: j }), valid: OMITTED },
  { entry: "machineChild(Light, { id: 'c', options: j })", call: (j) => child({ options: j }), valid: ['undefined', '{}'] },
  // The input is the machine's own business: any value is passed on as it is.
  { entry: "machineChild(Light, { id: 'c', input: j })", call: (j) => child({ input: j }), valid: ALL },
  { entry: "machineChild(Light, { id: 'c', <unknown key> })", call: (j) => child({ [`x${typeof j}`]: j }) },
  { entry: "sendEvent(j, { type: 'TIMER' })", call: (j) => sendEvent(j as never, { type: 'TIMER' }) },
  { entry: 'sendEvent(ref, j)', call: (j, e) => sendEvent(e.ref, j as never) },
  { entry: 'sendEvent(ref, { type: j })', call: (j, e) => sendEvent(e.ref, { type: j } as never), valid: ["'x'"] },
  { entry: "sendEventAndWait(j, { type: 'TIMER' })", call: (j) => sendEventAndWait(j as never, { type: 'TIMER' }) },
  { entry: 'sendEventAndWait(ref, j)', call: (j, e) => sendEventAndWait(e.ref, j as never) },
  { entry: 'sendEventAndWait(ref, { type: j })', call: (j, e) => sendEventAndWait(e.ref, { type: j } as never), valid: ["'x'"] },
  { entry: "sendEventAndWait(ref, { type: 'x' }, j)", call: (j, e) => sendEventAndWait(e.ref, { type: 'x' } as never, j as never), valid: ['undefined', '{}'] },
  { entry: 'getSnapshot(j)', call: (j) => getSnapshot(j as never) },
  { entry: 'getSnapshot(ref, j)', call: (j, e) => getSnapshot(e.ref, j as never), valid: ['undefined', '{}'] },
  { entry: 'getPersistedSnapshot(j)', call: (j) => getPersistedSnapshot(j as never) },
  { entry: 'getPersistedSnapshot(ref, j)', call: (j, e) => getPersistedSnapshot(e.ref, j as never), valid: ['undefined', '{}'] },
  { entry: 'memorySnapshotStore().load(j)', call: (j) => store.load(j as never), valid: ["'x'"] },
  { entry: 'memorySnapshotStore().save(j, {})', call: (j) => store.save(j as never, {} as never), valid: ["'x'"] },
  // The memory store keeps the object as given (no serialization): any object is a snapshot to it.
  { entry: "memorySnapshotStore().save('k', j)", call: (j) => store.save('k', j as never), valid: ['{}', '[]', 'cyclic object'] },
  { entry: 'memorySnapshotStore().delete(j)', call: (j) => store.delete(j as never), valid: ["'x'"] },
  { entry: 'system.spawn(Light, j)', call: (j, e) => e.system.spawn(Light, j as never), valid: ['undefined', '{}'] },
  { entry: 'system.spawn(Light, { restartFrom: j })', call: (j, e) => e.system.spawn(Light, { restartFrom: j } as never), valid: OMITTED },
  { entry: 'system.spawn(MachineActor, j) (not made by fromMachine)', call: (j, e) => e.system.spawn(MachineActor as never, j as never) },
];

// Error constructors take anything (they only describe it): each must still build an ArborError with a one-line message.
const ERRORS: [string, (j: unknown) => ArborError][] = [
  ['MachineFailedError', (j) => new MachineFailedError(j as never, j)],
  ['SnapshotKeyInUseError', (j) => new SnapshotKeyInUseError(j as never)],
];

test('junk probe: every public entry of @arbor/xstate throws or rejects with an ArborError, or takes the junk as documented valid input', async (t) => {
  const system = createSystem({ name: 'xstate-junk' });
  const ref = await system.spawn(Light, {});
  const env: Env = { system, ref };
  const wrong: string[] = [];
  for (const row of ROWS) {
    for (const [label, value] of junkValues()) {
      const o: Outcome = await probe(() => row.call(value, env));
      const valid = row.valid?.includes(label) === true;
      const ok = valid ? o.kind === 'value' : (o.kind === 'threw' || o.kind === 'rejected') && o.error instanceof ArborError;
      if (!ok) wrong.push(`${row.entry} with ${label}: ${showOutcome(o)}${valid ? ' (a valid input)' : ''}`);
      if (!system.isAlive(ref)) {
        wrong.push(`${row.entry} with ${label}: the machine actor died`);
        break;
      }
    }
  }
  wrong.push(...(await probeErrorConstructors(ERRORS, (e) => e instanceof ArborError)));
  t.deepEqual(wrong, []);
  t.true(system.isAlive(ref), 'no junk event reached the machine');
  await system.shutdown();
});
