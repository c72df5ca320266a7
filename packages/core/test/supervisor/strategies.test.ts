/**
 * Strategies (reference semantics §3), with exact termination and start orders. The
 * workers trap exits, so `terminate` runs when the supervisor stops them and records it.
 */
import test from 'ava';
import { createSystem, Supervisor } from '../../src/index.js';
import { exitChild, exitOf, refs, restarted, Worker, worker } from '../support/supervisorWorkers.js';

test('one_for_one: only the dead child is restarted, in its position; the others keep their refs', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'one_for_one',
    children: ['a', 'b', 'c'].map((id) => worker(id, events, { trap: true })),
  });
  t.deepEqual(events, ['start a', 'start b', 'start c'], 'children start in order');
  const before = await refs(sup);
  events.length = 0;

  const old = await exitChild(system, sup, 'b', 'boom');
  const now = await restarted(sup, 'b', old);
  t.deepEqual(events, ['stop b boom', 'start b']);
  const after = await refs(sup);
  t.deepEqual(Object.keys(after), ['a', 'b', 'c']);
  t.is(after['a'], before['a']);
  t.is(after['c'], before['c']);
  t.is(after['b'], now);
  t.true(system.isAlive(before['a'] as never) && system.isAlive(before['c'] as never));
  await system.shutdown();
});

test('one_for_all: the others stop in reverse start order (temporary ones are removed), then all start in order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'one_for_all',
    children: [
      worker('a', events, { trap: true }),
      worker('b', events, { trap: true, restart: 'temporary' }),
      worker('c', events, { trap: true }),
      worker('d', events, { trap: true, restart: 'transient' }),
      worker('e', events, { trap: true }),
    ],
  });
  const before = await refs(sup);
  events.length = 0;

  const old = await exitChild(system, sup, 'c', 'boom');
  await restarted(sup, 'c', old);
  t.deepEqual(events, [
    'stop c boom',
    'stop e shutdown',
    'stop d shutdown',
    'stop b shutdown',
    'stop a shutdown',
    'start a',
    'start c',
    'start d',
    'start e',
  ]);
  const after = await refs(sup);
  t.deepEqual(Object.keys(after), ['a', 'c', 'd', 'e'], 'the temporary child is gone');
  for (const id of ['a', 'c', 'd', 'e']) {
    t.not(after[id], before[id], `${id} has a new actor`);
    t.false(system.isAlive(before[id] as never), `${id}'s old actor is dead`);
  }
  t.deepEqual(await exitOf(system, before['a'] as never), 'shutdown');
  t.is(await Supervisor.getChildSpec(sup, 'b'), 'not_found');
  await system.shutdown();
});

test('one_for_all: a transient child that exits normally restarts nobody', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'one_for_all',
    children: [worker('a', events, { trap: true }), worker('b', events, { trap: true, restart: 'transient' })],
  });
  const before = await refs(sup);
  events.length = 0;
  const old = await exitChild(system, sup, 'b', 'normal');
  await exitOf(system, old);
  t.deepEqual(await refs(sup), { a: before['a'], b: undefined });
  t.deepEqual(events, ['stop b normal']);
  await system.shutdown();
});

test('rest_for_one: children 1..5, child 3 dies: 5 then 4 stop; 3, 4, 5 start in order; 1 and 2 keep their refs', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const ids = ['c1', 'c2', 'c3', 'c4', 'c5'];
  const sup = await Supervisor.start(system, { strategy: 'rest_for_one', children: ids.map((id) => worker(id, events, { trap: true })) });
  const before = await refs(sup);
  events.length = 0;

  const old = await exitChild(system, sup, 'c3', 'kill');
  await restarted(sup, 'c3', old);
  t.deepEqual(events, ['stop c5 shutdown', 'stop c4 shutdown', 'start c3', 'start c4', 'start c5']);
  const after = await refs(sup);
  t.deepEqual(Object.keys(after), ids);
  t.is(after['c1'], before['c1']);
  t.is(after['c2'], before['c2']);
  for (const id of ['c3', 'c4', 'c5']) t.not(after[id], before[id]);
  await system.shutdown();
});

test('rest_for_one: the last child dying restarts only itself; a temporary child after the dead one is removed', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'rest_for_one',
    children: [worker('a', events, { trap: true }), worker('b', events, { trap: true }), worker('tmp', events, { trap: true, restart: 'temporary' }), worker('c', events, { trap: true })],
  });
  const before = await refs(sup);
  events.length = 0;

  let old = await exitChild(system, sup, 'c', 'kill');
  await restarted(sup, 'c', old);
  t.deepEqual(events, ['start c']);
  const mid = await refs(sup);
  t.is(mid['a'], before['a']);
  t.is(mid['b'], before['b']);
  t.is(mid['tmp'], before['tmp']);
  events.length = 0;

  old = await exitChild(system, sup, 'b', 'kill');
  await restarted(sup, 'b', old);
  t.deepEqual(events, ['stop c shutdown', 'stop tmp shutdown', 'start b', 'start c']);
  const after = await refs(sup);
  t.deepEqual(Object.keys(after), ['a', 'b', 'c']);
  t.is(after['a'], before['a']);
  await system.shutdown();
});

test('one_for_all with workers that do not trap exits: the siblings exit with shutdown, then all start in order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { strategy: 'one_for_all', children: ['a', 'b', 'c'].map((id) => worker(id, events)) });
  const before = await refs(sup);
  events.length = 0;
  const old = await exitChild(system, sup, 'b', 'kill');
  await restarted(sup, 'b', old);
  t.deepEqual(events, ['start a', 'start b', 'start c']);
  t.is(await exitOf(system, before['a'] as never), 'shutdown');
  t.is(await exitOf(system, before['c'] as never), 'shutdown');
  t.is(await exitOf(system, before['b'] as never), 'killed');
  await system.shutdown();
});

test('one_for_all: a temporary child that exits restarts nobody (it is only removed)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'one_for_all',
    children: [worker('a', events, { trap: true }), worker('tmp', events, { trap: true, restart: 'temporary' }), worker('c', events, { trap: true })],
  });
  const before = await refs(sup);
  events.length = 0;
  await exitOf(system, await exitChild(system, sup, 'tmp', 'boom'));
  t.deepEqual(await refs(sup), { a: before['a'], c: before['c'] });
  t.deepEqual(events, ['stop tmp boom']);
  await system.shutdown();
});

test('a one_for_all restart counts once against the intensity, however many children it restarts', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { strategy: 'one_for_all', intensity: 1, period: 60_000, children: ['a', 'b', 'c'].map((id) => worker(id, events)) });
  const old = await exitChild(system, sup, 'b', 'kill');
  await restarted(sup, 'b', old);
  t.true(system.isAlive(sup), 'three children restarted, one restart counted');
  await exitChild(system, sup, 'c', 'kill');
  t.is(await exitOf(system, sup), 'shutdown', 'the second restart is one too many');
  await system.shutdown();
});

test('a named child is registered under its name again after a restart', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'one_for_all',
    children: [
      { id: 'a', start: { behaviour: Worker, arg: { id: 'a', events }, options: { name: 'worker-a' } } },
      { id: 'b', start: { behaviour: Worker, arg: { id: 'b', events }, options: { name: 'worker-b' } } },
    ],
  });
  const a = system.whereis('worker-a');
  t.is(a, (await refs(sup))['a'] as never);
  const old = await exitChild(system, sup, 'b', 'kill');
  const b2 = await restarted(sup, 'b', old);
  t.is(system.whereis('worker-b'), b2);
  t.not(system.whereis('worker-a'), a, 'one_for_all restarted a under its name too');
  t.is(system.whereis('worker-a'), (await refs(sup))['a'] as never);
  await system.shutdown();
});
