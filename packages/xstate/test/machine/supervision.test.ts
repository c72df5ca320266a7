/**
 * Machine actors under a supervisor: each restart policy (`restartFrom`) after a crash,
 * a kill and a one_for_all restart; which snapshot is restored (the last one before the
 * crashing event); final states; store keys; an asynchronous store.
 */
import test from 'ava';
import { InitError, Supervisor, type ActorSystem, type Strategy } from '@arbor/core';
import type { Snapshot } from 'xstate';
import {
  fromMachine,
  getSnapshot,
  machineChild,
  memorySnapshotStore,
  sendEvent,
  sendEventAndWait,
  SnapshotKeyInUseError,
  type MachineRef,
  type SnapshotStore,
} from '../../src/index.js';
import { capturingSystem, exitReasonOf, nextHolder } from '../support/helpers.js';
import { counterMachine } from '../support/machines.js';

const Counter = fromMachine(counterMachine);
type CounterRef = MachineRef<typeof counterMachine>;

async function supervise(system: ActorSystem, strategy: Strategy, ...children: Parameters<typeof machineChild<typeof counterMachine>>[1][]): Promise<void> {
  await Supervisor.start(system, { strategy, intensity: 10, period: 5000, children: children.map((c) => machineChild(Counter, c)) });
}

const counterNamed = (system: ActorSystem, name: string): CounterRef => system.whereis(name)!;

test("restartFrom 'initial' (the default): a crashed machine restarts from its initial state", async (t) => {
  const { system } = capturingSystem();
  await supervise(system, 'one_for_one', { id: 'c', options: { name: 'c' } });
  const first = counterNamed(system, 'c');
  await sendEventAndWait(first, { type: 'ADD', by: 5 });
  sendEvent(first, { type: 'CRASH' });
  const second = (await nextHolder(system, 'c', first)) as CounterRef;
  t.is((await getSnapshot(second)).context.n, 0);
  await system.shutdown();
});

test("restartFrom 'snapshot': the restart restores the last snapshot before the crashing event", async (t) => {
  const { system } = capturingSystem();
  const store = memorySnapshotStore();
  await supervise(system, 'one_for_one', { id: 'c', restartFrom: 'snapshot', store, options: { name: 'c' } });
  const first = counterNamed(system, 'c');
  sendEvent(first, { type: 'ADD', by: 5 });
  sendEvent(first, { type: 'ADD', by: 2 });
  sendEvent(first, { type: 'CRASH' });
  sendEvent(first, { type: 'ADD', by: 100 }); // queued behind the crash: lost with the crashed run
  const second = (await nextHolder(system, 'c', first)) as CounterRef;
  const s = await getSnapshot(second);
  t.is(s.context.n, 7);
  t.is(s.value, 'counting');
  t.is(store.size, 1, "the snapshot is kept under the child's id");
  // The restored machine goes on from there, and crashes and restores again.
  await sendEventAndWait(second, { type: 'ADD', by: 1 });
  sendEvent(second, { type: 'CRASH' });
  const third = (await nextHolder(system, 'c', second)) as CounterRef;
  t.is((await getSnapshot(third)).context.n, 8);
  await system.shutdown();
});

test("restartFrom 'snapshot': a killed machine (no terminate runs) is restored too", async (t) => {
  const { system } = capturingSystem();
  await supervise(system, 'one_for_one', { id: 'c', restartFrom: 'snapshot', options: { name: 'c' } });
  const first = counterNamed(system, 'c');
  await sendEventAndWait(first, { type: 'ADD', by: 3 });
  system.exit(first, 'kill');
  const second = (await nextHolder(system, 'c', first)) as CounterRef;
  t.is((await getSnapshot(second)).context.n, 3);
  await system.shutdown();
});

test('one_for_all: the sibling stopped by the restart keeps its policy (one restored, one from initial)', async (t) => {
  const { system } = capturingSystem();
  await supervise(
    system,
    'one_for_all',
    { id: 'kept', restartFrom: 'snapshot', options: { name: 'kept' } },
    { id: 'fresh', options: { name: 'fresh' } },
    { id: 'crasher', options: { name: 'crasher' } },
  );
  const kept = counterNamed(system, 'kept');
  const fresh = counterNamed(system, 'fresh');
  const crasher = counterNamed(system, 'crasher');
  await sendEventAndWait(kept, { type: 'ADD', by: 4 });
  await sendEventAndWait(fresh, { type: 'ADD', by: 4 });
  sendEvent(crasher, { type: 'CRASH' });
  const kept2 = (await nextHolder(system, 'kept', kept)) as CounterRef;
  const fresh2 = (await nextHolder(system, 'fresh', fresh)) as CounterRef;
  t.is((await getSnapshot(kept2)).context.n, 4);
  t.is((await getSnapshot(fresh2)).context.n, 0);
  await system.shutdown();
});

test('a machine that reached its final state leaves no snapshot: its next start is from the initial state', async (t) => {
  const { system } = capturingSystem();
  const store = memorySnapshotStore();
  await supervise(system, 'one_for_one', { id: 'c', restartFrom: 'snapshot', store, options: { name: 'c' } });
  const first = counterNamed(system, 'c');
  await sendEventAndWait(first, { type: 'ADD', by: 9 });
  const reason = exitReasonOf(system, first);
  sendEvent(first, { type: 'FINISH' });
  t.is(await reason, 'normal');
  const second = (await nextHolder(system, 'c', first)) as CounterRef; // permanent: restarted
  t.is((await getSnapshot(second)).context.n, 0);
  await system.shutdown();
  t.is(store.size, 1, 'the second run saved its own snapshot when it was shut down');
});

test('two live machine actors cannot share a store key', async (t) => {
  const { system } = capturingSystem();
  const store = memorySnapshotStore();
  await system.spawn(Counter, { restartFrom: 'snapshot', store, key: 'k' });
  const e = await t.throwsAsync(system.spawn(Counter, { restartFrom: 'snapshot', store, key: 'k' }), { instanceOf: InitError });
  t.true(e?.reason instanceof SnapshotKeyInUseError);
  await system.shutdown();
});

test('a store may load asynchronously (a database, a file)', async (t) => {
  const { system } = capturingSystem();
  const saved = new Map<string, string>();
  const jsonStore: SnapshotStore = {
    load: async (key) => {
      const text = saved.get(key);
      return text === undefined ? undefined : (JSON.parse(text) as Snapshot<unknown>);
    },
    save: async (key, snapshot) => void saved.set(key, JSON.stringify(snapshot)),
    delete: async (key) => void saved.delete(key),
  };
  await supervise(system, 'one_for_one', { id: 'c', restartFrom: 'snapshot', store: jsonStore, options: { name: 'c' } });
  const first = counterNamed(system, 'c');
  await sendEventAndWait(first, { type: 'ADD', by: 6 });
  sendEvent(first, { type: 'CRASH' });
  const second = (await nextHolder(system, 'c', first)) as CounterRef;
  t.is((await getSnapshot(second)).context.n, 6);
  t.true(saved.has('c'));
  await system.shutdown();
});

test('a store that fails to save is logged, and the exit goes on', async (t) => {
  const { system, logs } = capturingSystem();
  const failing: SnapshotStore = {
    load: () => undefined,
    save: () => {
      throw new Error('disk full');
    },
    delete: () => {},
  };
  const ref = await system.spawn(Counter, { restartFrom: 'snapshot', store: failing, key: 'k' });
  await sendEventAndWait(ref, { type: 'ADD', by: 1 });
  await system.stop(ref);
  t.false(system.isAlive(ref));
  t.true(logs.some((l) => l['report'] === 'machine_snapshot' && String(l['reason']).includes('disk full')));
  await system.shutdown();
});

test('a snapshot the machine cannot restore fails the start', async (t) => {
  const { system } = capturingSystem();
  const store = memorySnapshotStore();
  await store.save('k', { status: 'active', value: 'nowhere', context: { n: 0 }, children: {}, historyValue: {} } as unknown as Snapshot<unknown>);
  const e = await t.throwsAsync(system.spawn(Counter, { restartFrom: 'snapshot', store, key: 'k' }), { instanceOf: InitError });
  t.is((e?.reason as { code?: string }).code, 'machine_failed');
  await system.shutdown();
});
