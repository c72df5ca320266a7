/**
 * Stopping children (reference semantics §3): brutal_kill, a timeout then kill, infinity;
 * static supervisors stop children one at a time in reverse start order; the supervisor
 * monitors, so a child that unlinked itself cannot hang it; stopping a supervisor.
 */
import { performance } from 'node:perf_hooks';
import test from 'ava';
import { createSystem, DynamicSupervisor, Supervisor, type ActorRef, type SupervisorReport } from '../../src/index.js';
import { gate } from '../support/actors.js';
import { capturingSystem, sleep, syncLogs } from '../support/helpers.js';
import { exitOf, refOf, refs, restarted, worker, Worker } from '../support/supervisorWorkers.js';

test('brutal_kill: the child is killed at once (reason killed, terminate does not run), and no report is logged', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events, { trap: true, shutdown: 'brutal_kill', terminateWait: 'forever' })] });
  const a = await refOf(sup, 'a');
  t.is(await Supervisor.terminateChild(sup, 'a'), 'ok');
  t.is(await exitOf(system, a), 'killed');
  t.deepEqual(events, ['start a']);
  t.deepEqual((await syncLogs(system, logs)).filter((l) => l.report === 'shutdown_error'), []);
  await system.shutdown();
});

test('a timeout T with a child whose terminate never ends: it is killed after T, and a shutdown_error is logged', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events, { trap: true, shutdown: 100, terminateWait: 'forever' })] });
  const a = await refOf(sup, 'a');
  const t0 = performance.now();
  t.is(await Supervisor.terminateChild(sup, 'a'), 'ok');
  t.true(performance.now() - t0 >= 95, 'waited the shutdown timeout');
  t.is(await exitOf(system, a), 'killed');
  t.deepEqual(events, ['start a', 'stop a shutdown'], 'terminate started with shutdown');
  const reports = (await syncLogs(system, logs)).filter((l) => l.report === 'shutdown_error') as unknown as SupervisorReport[];
  t.is(reports.length, 1);
  t.like(reports[0], { childId: 'a', child: a.id, reason: 'killed', supervisor: sup.id });
  await system.shutdown();
});

test('a timeout T with a child busy in a long async handler: it is killed after T', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events, { trap: true, shutdown: 100 })] });
  const a = await refOf(sup, 'a');
  system.cast(a, { type: 'busy', until: new Promise(() => {}) });
  const t0 = performance.now();
  t.is(await Supervisor.terminateChild(sup, 'a'), 'ok');
  t.true(performance.now() - t0 >= 95);
  t.is(await exitOf(system, a), 'killed');
  t.deepEqual(events, ['start a'], 'the shutdown never got past the busy handler');
  t.is((await syncLogs(system, logs)).filter((l) => l.report === 'shutdown_error').length, 1);
  await system.shutdown();
});

test('a timeout T with a child that stops in time: it exits with shutdown, no kill, no report', async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    children: [worker('a', events, { trap: true, shutdown: 5000, terminateWait: () => sleep(30) }), worker('b', events, { shutdown: 0 })],
  });
  const a = await refOf(sup, 'a');
  const b = await refOf(sup, 'b');
  t.is(await Supervisor.terminateChild(sup, 'a'), 'ok');
  t.is(await exitOf(system, a), 'shutdown');
  // shutdown 0: the signal and the kill timer go out together; a non-trapping child dies of the signal first.
  t.is(await Supervisor.terminateChild(sup, 'b'), 'ok');
  t.is(await exitOf(system, b), 'shutdown');
  t.deepEqual(events, ['start a', 'start b', 'stop a shutdown', 'stopped a']);
  t.deepEqual((await syncLogs(system, logs)).filter((l) => l.report === 'shutdown_error'), []);
  await system.shutdown();
});

test("'infinity' waits as long as the child takes", async (t) => {
  const { system, logs } = capturingSystem();
  const events: string[] = [];
  const g = gate();
  const sup = await Supervisor.start(system, { children: [worker('a', events, { trap: true, shutdown: 'infinity', terminateWait: () => g.promise })] });
  const a = await refOf(sup, 'a');
  let done = false;
  const p = Supervisor.terminateChild(sup, 'a').then((r) => {
    done = true;
    return r;
  });
  await sleep(300);
  t.false(done, 'still waiting');
  t.true(system.isAlive(a));
  g.open();
  t.is(await p, 'ok');
  t.is(await exitOf(system, a), 'shutdown');
  t.deepEqual(events, ['start a', 'stop a shutdown', 'stopped a']);
  t.deepEqual((await syncLogs(system, logs)).filter((l) => l.report === 'shutdown_error'), []);
  await system.shutdown();
});

test('a static supervisor stops its children one at a time, in reverse start order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: ['a', 'b', 'c', 'd'].map((id) => worker(id, events, { trap: true, terminateWait: () => sleep(15) })) });
  events.length = 0;
  await system.stop(sup, 'shutdown');
  t.deepEqual(events, ['stop d shutdown', 'stopped d', 'stop c shutdown', 'stopped c', 'stop b shutdown', 'stopped b', 'stop a shutdown', 'stopped a']);
  t.is(system.getStatus(sup).exitReason, 'shutdown');
  await system.shutdown();
});

test('a child that unlinked itself cannot hang its supervisor: it is still stopped (the supervisor monitors)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    children: [worker('trapping', events, { trap: true, shutdown: 'infinity' }), worker('plain', events, { shutdown: 'infinity' })],
  });
  for (const id of ['trapping', 'plain']) {
    const ref = await refOf(sup, id);
    t.true(await system.call(ref, { type: 'unlink', ref: sup }));
    t.false(system.getStatus(sup).links.includes(ref.id));
  }
  const trapping = await refOf(sup, 'trapping');
  const plain = await refOf(sup, 'plain');
  t.is(await Supervisor.terminateChild(sup, 'plain'), 'ok');
  t.is(await exitOf(system, plain), 'shutdown');
  await system.stop(sup, 'shutdown');
  t.is(await exitOf(system, trapping), 'shutdown');
  t.deepEqual(events, ['start trapping', 'start plain', 'stop trapping shutdown']);
  await system.shutdown();
});

test('stopping a supervisor with system.stop(sup, shutdown): children stop in reverse order, the supervisor exits with shutdown', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: ['a', 'b', 'c'].map((id) => worker(id, events, { trap: true })) });
  const before = await refs(sup);
  events.length = 0;
  await system.stop(sup, 'shutdown');
  t.deepEqual(events, ['stop c shutdown', 'stop b shutdown', 'stop a shutdown']);
  for (const id of ['a', 'b', 'c']) t.is(await exitOf(system, before[id] as never), 'shutdown');
  t.is(await exitOf(system, sup), 'shutdown');
  await system.shutdown();
});

test('stopping a supervisor through its parent: terminateChild of a sub-supervisor stops its children first', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, {
    children: [worker('r', events, { trap: true }), Supervisor.childSpec({ children: ['a', 'b'].map((id) => worker(id, events, { trap: true, terminateWait: () => sleep(10) })) }, { id: 'sub' })],
  });
  const sub = (await refs(root))['sub'];
  events.length = 0;
  t.is(await Supervisor.terminateChild(root, 'sub'), 'ok');
  t.deepEqual(events, ['stop b shutdown', 'stopped b', 'stop a shutdown', 'stopped a']);
  t.is(await exitOf(system, sub as never), 'shutdown');
  t.deepEqual(await refs(root), { r: (await refs(root))['r'], sub: undefined });
  await system.shutdown();
});

test('an exit signal shutdown sent to a supervisor from outside stops it like its parent would', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: ['a', 'b'].map((id) => worker(id, events, { trap: true })) });
  events.length = 0;
  system.exit(sup, 'normal');
  t.deepEqual(Object.keys(await refs(sup)), ['a', 'b'], "an exit signal 'normal' is ignored");
  system.exit(sup, 'shutdown');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, ['stop b shutdown', 'stop a shutdown']);
  await system.shutdown();
});

test('the default shutdown of a worker is 5000 ms (slow: waits 5 s)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await Supervisor.start(system, { children: [worker('w', events, { trap: true, terminateWait: 'forever' })] });
  const w = await refOf(root, 'w');
  const t0 = performance.now();
  t.is(await Supervisor.terminateChild(root, 'w'), 'ok');
  t.true(performance.now() - t0 >= 4990, 'the worker had its 5000 ms');
  t.is(await exitOf(system, w), 'killed');
  await system.shutdown();
});

test('the default shutdown of a supervisor child is infinity (slow: waits past 5 s)', async (t) => {
  const system = createSystem();
  const g = gate();
  // A supervisor whose own stop takes longer than a worker's default shutdown.
  class SlowSup extends Supervisor {
    override async terminate(): Promise<void> {
      await g.promise;
      await super.terminate();
    }
  }
  const root = await Supervisor.start(system, { children: [SlowSup.childSpec({ children: [] }, { id: 'slow' })] });
  const slow = (await refs(root))['slow'];
  let done = false;
  const stopSup = Supervisor.terminateChild(root, 'slow').then(() => (done = true));
  await sleep(5300);
  t.false(done, 'the supervisor child is waited for past 5000 ms');
  t.true(system.isAlive(slow as never));
  g.open();
  await stopSup;
  t.is(await exitOf(system, slow as never), 'shutdown');
  await system.shutdown();
});

test('a permanent child stopped from outside with shutdown is restarted like any exit', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events)] });
  const a = await refOf(sup, 'a');
  await system.stop(a, 'shutdown');
  await restarted(sup, 'a', a);
  t.deepEqual(events, ['start a', 'stop a shutdown', 'start a']);
  await system.shutdown();
});

test('a supervisor killed outright takes its children with it (they see killed)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('trapping', events, { trap: true }), worker('plain', events)] });
  const before = await refs(sup);
  events.length = 0;
  system.exit(sup, 'kill');
  t.is(await exitOf(system, sup), 'killed');
  t.is(await exitOf(system, before['plain'] as never), 'killed');
  t.is(await exitOf(system, before['trapping'] as never), 'killed', 'a trapping child stops when its parent exits');
  t.deepEqual(events, ['stop trapping killed']);
  await system.shutdown();
});

test('shutdown 0: the child is signalled shutdown, then killed at once: a trapping child’s terminate does not run (static and dynamic)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('a', events, { trap: true, shutdown: 0 })] });
  const a = await refOf(sup, 'a');
  t.is(await Supervisor.terminateChild(sup, 'a'), 'ok');
  t.is(await exitOf(system, a), 'killed');
  const dyn = await DynamicSupervisor.start(system, {});
  const r = await DynamicSupervisor.startChild(dyn, { start: { behaviour: Worker, arg: { id: 'b', events, trap: true } }, shutdown: 0 });
  const b = r.status === 'ok' ? r.ref : t.fail('b did not start');
  await system.stop(dyn, 'shutdown');
  t.is(await exitOf(system, b!), 'killed');
  await sleep(10);
  t.deepEqual(events, ['start a', 'start b'], 'no terminate ran');
  // A child that does not trap exits dies of the shutdown signal itself.
  const c = await Supervisor.startChild(sup, worker('c', events, { shutdown: 0 }));
  t.is(c.status, 'ok');
  t.is(await Supervisor.terminateChild(sup, 'c'), 'ok');
  t.is(await exitOf(system, (c as { ref: ActorRef }).ref), 'shutdown');
  await system.shutdown();
});

test('system.stop(sup) waits by default as long as the supervisor takes (Elixir’s :infinity), past 5 s (slow)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { children: [worker('w', events, { trap: true, shutdown: 5300, terminateWait: 'forever' })] });
  const w = await refOf(sup, 'w');
  // With a 5000 ms default this rejected with CallTimeoutError while the supervisor went on stopping.
  await system.stop(sup, 'shutdown');
  t.false(system.isAlive(sup));
  t.is(await exitOf(system, w), 'killed', 'the child was killed after its own 5300 ms');
  await system.shutdown();
});

test('system.shutdown: a root actor and a trapping child run terminate; a child that does not trap exits dies of the shutdown signal without it (as documented)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const root = await system.spawn(Worker, { id: 'root', events });
  const sup = await Supervisor.start(system, { children: [worker('trapping', events, { trap: true }), worker('plain', events)] });
  const plain = await refOf(sup, 'plain');
  const trapping = await refOf(sup, 'trapping');
  await system.shutdown();
  t.false(system.isAlive(root));
  t.is(system.getStatus(plain).exitReason, 'shutdown');
  t.is(system.getStatus(trapping).exitReason, 'shutdown');
  t.true(events.includes('stop root shutdown'), 'the root ran terminate');
  t.true(events.includes('stop trapping shutdown'), 'the trapping child ran terminate');
  t.false(
    events.some((e) => e.startsWith('stop plain')),
    'the non-trapping child did not run terminate',
  );
});
