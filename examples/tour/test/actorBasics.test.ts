import test from 'ava';
import { createLogger, createSystem, type ActorRef } from '@arbor/core';
import { Counter, type CounterProtocol } from '../src/actors/Counter.js';
import { Watchdog } from '../src/actors/Watchdog.js';
import type { WorkerProtocol } from '../src/actors/Worker.js';
import { runActorBasics, type Summary } from '../src/actorBasics.js';

const lines: string[] = [];
let summary: Summary;

test.before(async () => {
  summary = await runActorBasics((line) => lines.push(line), { logLevel: 'silent' });
});

test('1. the typed counter adds up its casts', (t) => {
  t.is(summary.counterValue, 6);
});

test('2. the watchdog restarts the crashed worker twice and whereis follows it', (t) => {
  t.is(summary.restarts, 2);
  t.is(summary.workerIds.length, 3);
  t.is(new Set(summary.workerIds).size, 3, 'each restart is a new actor');
  t.true(summary.whereisFollowed);
  t.deepEqual(summary.crashReasons, ['Error: deliberate crash #1', 'Error: deliberate crash #2']);
  t.is(summary.deadWorkerCallError, 'noproc');
  t.is(summary.workerReply, 'pong from generation 3');
});

test('3. the monitor sees DOWN with the reason, and noproc for a dead actor', (t) => {
  t.is(summary.downReason, '{"shutdown":"quota of 3 reached"}');
  t.is(summary.noprocReason, 'noproc');
});

test('4. introspection reports the queue, the handled count and the state', (t) => {
  t.deepEqual(summary.queuedStatus, { status: 'running', mailboxLength: 3, messagesHandled: 4, links: [] });
  // 3 + 1 + 3 + 1 messages: casts, get, casts, get.
  t.deepEqual(summary.counterStatus, { status: 'waiting', mailboxLength: 0, messagesHandled: 8, links: [] });
  t.is(summary.counterState, 66);
  t.deepEqual(summary.watchdogLinks, [summary.workerIds[2]]);
});

test('the system is shut down at the end and the narrative is printed', (t) => {
  t.is(summary.actorsAfterShutdown, 0);
  t.is(lines[0], 'Part one: @arbor/core in four scenes');
  t.true(lines.some((l) => l.includes('Logging is off')));
  t.regex(lines.at(-1) ?? '', /0 left\. Done\.$/);
  for (const scene of ['1. ', '2. ', '3. ', '4. ']) t.true(lines.some((l) => l.startsWith(scene)), scene);
});

test('the watchdog does not restart a worker that stops normally', async (t) => {
  const system = createSystem({ name: 'watchdog-test', logger: createLogger('silent') });
  try {
    const watchdog = await system.spawn(Watchdog, 'w');
    const worker = system.whereis<WorkerProtocol>('w');
    if (worker === undefined) return t.fail('no worker registered');
    await system.stop(worker, 'shutdown');
    const status = await system.call(watchdog, { type: 'status' });
    t.is(status.restarts, 0);
    t.is(system.whereis('w'), undefined);
  } finally {
    await system.shutdown();
  }
});

test('call replies are typed by the protocol', async (t) => {
  const system = createSystem({ name: 'types-test', logger: createLogger('silent') });
  try {
    const counter: ActorRef<CounterProtocol> = await system.spawn(Counter, 41);
    system.cast(counter, { type: 'inc', by: 1 });
    const n: number = await system.call(counter, { type: 'get' });
    t.is(n, 42);
    // Compile-time checks only (never run): these must not type-check.
    const typeChecks = (): void => {
      // @ts-expect-error 'reset' is not a call of CounterProtocol
      void system.call(counter, { type: 'reset' });
      // @ts-expect-error inc is a cast, and its `by` must be a number
      system.cast(counter, { type: 'inc', by: 'one' });
      // @ts-expect-error the reply of get is a number, not a string
      const s: Promise<string> = system.call(counter, { type: 'get' });
      void s;
    };
    void typeChecks;
  } finally {
    await system.shutdown();
  }
});
