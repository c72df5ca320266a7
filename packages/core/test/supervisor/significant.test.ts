/**
 * Significant children and autoShutdown (reference semantics §3): only a significant child
 * that exits by itself and is not restarted counts; terminateChild never counts.
 * any_significant: the first such exit shuts the supervisor down; all_significant: when no
 * significant child is left running. (The bad combinations are in validation.test.ts.)
 */
import test from 'ava';
import { createSystem, Supervisor } from '../../src/index.js';
import { exitChild, exitOf, refs, restarted, worker } from '../support/supervisorWorkers.js';

test('any_significant: a transient significant child exiting normally shuts the supervisor down (children stop in reverse order)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    autoShutdown: 'any_significant',
    children: [worker('a', events, { trap: true }), worker('s', events, { trap: true, restart: 'transient', significant: true }), worker('z', events, { trap: true })],
  });
  events.length = 0;
  await exitChild(system, sup, 's', 'normal');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, ['stop s normal', 'stop z shutdown', 'stop a shutdown']);
  await system.shutdown();
});

test('any_significant: a temporary significant child counts whatever its exit reason', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    autoShutdown: 'any_significant',
    children: [worker('a', events), worker('tmp', events, { restart: 'temporary', significant: true })],
  });
  await exitChild(system, sup, 'tmp', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  await system.shutdown();
});

test('any_significant: a significant child that is restarted (abnormal exit) does not count', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    autoShutdown: 'any_significant',
    children: [worker('s', events, { restart: 'transient', significant: true })],
  });
  const old = await exitChild(system, sup, 's', 'boom');
  await restarted(sup, 's', old);
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('any_significant: a non-significant child exiting normally does not count', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    autoShutdown: 'any_significant',
    children: [worker('plain', events, { restart: 'transient' }), worker('s', events, { restart: 'transient', significant: true })],
  });
  await exitOf(system, await exitChild(system, sup, 'plain', 'normal'));
  t.deepEqual(Object.keys(await refs(sup)), ['plain', 's']);
  t.true(system.isAlive(sup));
  await system.shutdown();
});

test('all_significant: the supervisor shuts down only when no significant child is left', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    autoShutdown: 'all_significant',
    children: [
      worker('a', events, { trap: true }),
      worker('s1', events, { trap: true, restart: 'transient', significant: true }),
      worker('s2', events, { trap: true, restart: 'temporary', significant: true }),
    ],
  });
  events.length = 0;
  await exitOf(system, await exitChild(system, sup, 's1', 'normal'));
  const mid = await refs(sup);
  t.deepEqual(Object.keys(mid), ['a', 's1', 's2']);
  t.is(mid['s1'], undefined);
  t.true(system.isAlive(sup), 's2 is still running');
  await exitChild(system, sup, 's2', 'shutdown');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, ['stop s1 normal', 'stop s2 shutdown', 'stop a shutdown']);
  await system.shutdown();
});

test('terminateChild never counts (any_significant and all_significant)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  for (const autoShutdown of ['any_significant', 'all_significant'] as const) {
    const sup = await Supervisor.start(system, {
      autoShutdown,
      children: [worker('s1', events, { restart: 'transient', significant: true }), worker('s2', events, { restart: 'transient', significant: true })],
    });
    t.is(await Supervisor.terminateChild(sup, 's1'), 'ok');
    t.is(await Supervisor.terminateChild(sup, 's2'), 'ok');
    t.deepEqual(await refs(sup), { s1: undefined, s2: undefined });
    t.true(system.isAlive(sup), `${autoShutdown}: still running after terminating every significant child`);
    await system.stop(sup, 'shutdown');
  }
  await system.shutdown();
});

test('all_significant: children terminated with terminateChild are not running, so the last significant exit shuts down', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    autoShutdown: 'all_significant',
    children: [worker('s1', events, { restart: 'transient', significant: true }), worker('s2', events, { restart: 'transient', significant: true })],
  });
  await Supervisor.terminateChild(sup, 's1');
  await exitChild(system, sup, 's2', 'normal');
  t.is(await exitOf(system, sup), 'shutdown');
  await system.shutdown();
});

test('never (the default): significant children cannot be declared, and nothing shuts the supervisor down', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('t', events, { restart: 'transient' })] });
  await exitOf(system, await exitChild(system, sup, 't', 'normal'));
  t.true(system.isAlive(sup));
  t.deepEqual(await refs(sup), { t: undefined });
  await system.shutdown();
});

test('a transient auto-shutdown sub-supervisor ends its branch: its parent does not restart it', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    children: [
      worker('r', events),
      Supervisor.childSpec(
        { autoShutdown: 'any_significant', children: [worker('job', events, { restart: 'transient', significant: true }), worker('helper', events, { trap: true })] },
        { id: 'task', restart: 'transient' },
      ),
    ],
  });
  const task = (await refs(root))['task'];
  events.length = 0;
  const job = await exitChild(system, task as never, 'job', 'normal');
  await exitOf(system, job);
  t.is(await exitOf(system, task as never), 'shutdown');
  const after = await refs(root);
  t.is(after['task'], undefined, 'not restarted: shutdown is a normal exit for a transient child');
  t.true(system.isAlive(after['r'] as never));
  t.deepEqual(events, ['stop job normal', 'stop helper shutdown']);
  await system.shutdown();
});
