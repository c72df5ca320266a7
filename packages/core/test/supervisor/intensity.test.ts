/**
 * Restart intensity (reference semantics §3): one sliding window per supervisor, shared by
 * its children; N restarts within `period` are tolerated, the N+1th makes the supervisor
 * stop its children in reverse order and exit with `shutdown`.
 */
import test from 'ava';
import { createSystem, Supervisor, type ActorRef, type ActorSystem, type SupervisorProtocol } from '../../src/index.js';
import { sleep } from '../support/helpers.js';
import { exitChild, exitOf, only, refs, restarted, worker } from '../support/supervisorWorkers.js';

/** Crashes child `id` and waits for its restart. */
async function crashAndRestart(system: ActorSystem, sup: ActorRef<SupervisorProtocol>, id: string): Promise<void> {
  const old = await exitChild(system, sup, id, 'kill');
  await restarted(sup, id, old);
}

test('intensity 0: the first restart gives up; the others stop in reverse order and the supervisor exits with shutdown', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { intensity: 0, children: ['a', 'b', 'c'].map((id) => worker(id, events, { trap: true })) });
  const before = await refs(sup);
  events.length = 0;
  await exitChild(system, sup, 'b', 'boom');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, ['stop b boom', 'stop c shutdown', 'stop a shutdown'], 'no restart; the rest stop in reverse start order');
  for (const id of ['a', 'b', 'c']) t.false(system.isAlive(before[id] as never));
  await system.shutdown();
});

test('intensity N: N restarts within the period are tolerated, the N+1th is fatal', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { intensity: 2, period: 60_000, children: ['a', 'b', 'c', 'd'].map((id) => worker(id, events, { trap: true })) });
  await crashAndRestart(system, sup, 'c');
  await crashAndRestart(system, sup, 'c');
  t.true(system.isAlive(sup), 'two restarts tolerated');
  events.length = 0;
  await exitChild(system, sup, 'c', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, ['stop d shutdown', 'stop b shutdown', 'stop a shutdown']);
  await system.shutdown();
});

test('the defaults are Elixir\'s: 3 restarts in 5 s tolerated, the 4th is fatal', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events)] });
  for (let i = 0; i < 3; i++) await crashAndRestart(system, sup, 'a');
  t.true(system.isAlive(sup));
  await exitChild(system, sup, 'a', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  t.is(only(events, 'start').length, 4);
  await system.shutdown();
});

test('the window is shared by all children: restarts of different children add up', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { intensity: 2, period: 60_000, children: ['a', 'b', 'c'].map((id) => worker(id, events, { trap: true })) });
  await crashAndRestart(system, sup, 'a');
  await crashAndRestart(system, sup, 'b');
  events.length = 0;
  await exitChild(system, sup, 'c', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, ['stop b shutdown', 'stop a shutdown']);
  await system.shutdown();
});

test('exits that are not restarted do not count (transient normal, temporary)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    intensity: 0,
    children: [worker('t', events, { restart: 'transient' }), worker('tmp', events, { restart: 'temporary' }), worker('p', events)],
  });
  const t1 = await exitChild(system, sup, 't', 'shutdown');
  const t2 = await exitChild(system, sup, 'tmp', 'boom');
  await exitOf(system, t1);
  await exitOf(system, t2);
  t.deepEqual(Object.keys(await refs(sup)), ['t', 'p']);
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('restarts spaced wider than the period never add up: the supervisor survives', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const period = 150;
  const sup = await Supervisor.start(system, { intensity: 1, period, children: [worker('a', events)] });
  for (let i = 0; i < 4; i++) {
    await crashAndRestart(system, sup, 'a');
    // Real time: each restart leaves the window (period) before the next one.
    await sleep(period * 3);
  }
  t.true(system.isAlive(sup), 'four restarts, never two within the period');
  t.is(only(events, 'start').length, 5);
  await system.shutdown();
});

test('the same restarts within one long period are fatal', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { intensity: 1, period: 60_000, children: [worker('a', events)] });
  await crashAndRestart(system, sup, 'a');
  await sleep(450);
  await exitChild(system, sup, 'a', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  await system.shutdown();
});

test('old restarts leave the window: after a pause the supervisor tolerates a full burst again', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { intensity: 2, period: 200, children: [worker('a', events)] });
  await crashAndRestart(system, sup, 'a');
  await crashAndRestart(system, sup, 'a');
  await sleep(600);
  await crashAndRestart(system, sup, 'a');
  await crashAndRestart(system, sup, 'a');
  t.true(system.isAlive(sup), 'the first burst left the window');
  await system.shutdown();
});
