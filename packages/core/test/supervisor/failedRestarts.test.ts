/**
 * Failed restarts (reference semantics §3): the child is marked `restarting` and retried
 * asynchronously; the supervisor serves calls in between; every retry counts against the
 * intensity. Then `backoff`: delayed restarts whose delays grow and are capped.
 */
import { performance } from 'node:perf_hooks';
import test from 'ava';
import { createSystem, Supervisor } from '../../src/index.js';
import { sleep } from '../support/helpers.js';
import { exitChild, exitOf, only, refOf, refs, restarted, until, worker } from '../support/supervisorWorkers.js';

/** A window so wide the retry loop never exhausts it during a test. */
const ENDLESS = { intensity: 1_000_000_000, period: 600_000 };

test('a child whose restart fails is marked restarting and retried while the supervisor keeps serving calls; a later success ends it', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const b = worker('b', events, { failInit: () => broken });
  const sup = await Supervisor.start(system, { ...ENDLESS, children: [worker('a', events), b, worker('c', events, { trap: true })] });
  const before = await refs(sup);

  broken = true;
  const old = await exitChild(system, sup, 'b', 'kill');
  // The EXIT is queued before this call, and the first restart attempt fails in its handler.
  t.deepEqual(await refs(sup), { a: before['a'], b: 'restarting', c: before['c'] });
  t.deepEqual(await Supervisor.countChildren(sup), { specs: 3, active: 2, supervisors: 0, workers: 3 });
  t.deepEqual(await Supervisor.restartChild(sup, 'b'), { status: 'restarting' });
  t.is(await Supervisor.deleteChild(sup, 'b'), 'restarting');
  t.deepEqual(await Supervisor.startChild(sup, worker('b', events)), { status: 'already_present' });
  t.like(await Supervisor.getChildSpec(sup, 'b'), { id: 'b', start: b.start });
  // Other children can be managed meanwhile.
  t.is(await Supervisor.terminateChild(sup, 'c'), 'ok');
  t.true(only(events, 'stop').includes('stop c shutdown'));
  t.is((await refs(sup))['b'], 'restarting');
  await until(() => only(events, 'fail').length >= 3);
  t.true(system.isAlive(sup), 'still retrying');

  broken = false;
  const now = await restarted(sup, 'b', old);
  t.true(system.isAlive(now));
  t.deepEqual(await refs(sup), { a: before['a'], b: now, c: undefined });
  const fails = only(events, 'fail').length;
  await sleep(50);
  t.is(only(events, 'fail').length, fails, 'no retry after the success');
  t.is(events.at(-1), 'start b');
  await system.shutdown();
});

test('retries of a failing restart leave room for timers and I/O (the process is not starved)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, { ...ENDLESS, children: [worker('b', events, { failInit: () => broken })] });
  broken = true;
  await exitChild(system, sup, 'b', 'kill');
  // Init fails synchronously at every retry; a timer must still fire meanwhile.
  await sleep(20);
  t.true(only(events, 'fail').length >= 1);
  t.is((await refs(sup))['b'], 'restarting');
  await system.shutdown();
});

test('a child that never restarts brings the supervisor down: each retry counts against the intensity', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, {
    intensity: 3,
    period: 60_000,
    children: [worker('a', events, { trap: true }), worker('b', events, { failInit: () => broken }), worker('c', events, { trap: true })],
  });
  events.length = 0;
  broken = true;
  await exitChild(system, sup, 'b', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  // The exit counts once and each retry once more: attempts 1..3 fit in intensity 3, the 4th restart gives up.
  t.deepEqual(events, ['fail b', 'fail b', 'fail b', 'stop c shutdown', 'stop a shutdown']);
  await system.shutdown();
});

test('intensity 0 with a failing restart: the exit itself is one too many, no attempt is made', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, { intensity: 0, children: [worker('b', events, { failInit: () => broken })] });
  events.length = 0;
  broken = true;
  await exitChild(system, sup, 'b', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, []);
  await system.shutdown();
});

test('the supervisor can be stopped while it retries a restart', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, { ...ENDLESS, children: [worker('a', events, { trap: true }), worker('b', events, { failInit: () => broken }), worker('c', events, { trap: true })] });
  broken = true;
  await exitChild(system, sup, 'b', 'kill');
  await until(() => only(events, 'fail').length >= 3);
  await system.stop(sup, 'shutdown');
  t.false(system.isAlive(sup));
  const fails = only(events, 'fail').length;
  t.deepEqual(only(events, 'stop'), ['stop c shutdown', 'stop a shutdown']);
  await sleep(50);
  t.is(only(events, 'fail').length, fails, 'the retries stopped with the supervisor');
  await system.shutdown();
});

test('terminateChild cancels the retries of a restarting child; its spec stays and restartChild tries again', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, { ...ENDLESS, children: [worker('b', events, { failInit: () => broken })] });
  broken = true;
  await exitChild(system, sup, 'b', 'kill');
  t.is((await refs(sup))['b'], 'restarting');
  t.is(await Supervisor.terminateChild(sup, 'b'), 'ok');
  t.deepEqual(await refs(sup), { b: undefined });
  const fails = only(events, 'fail').length;
  await sleep(50);
  t.is(only(events, 'fail').length, fails, 'no retry after terminateChild');

  const r = await Supervisor.restartChild(sup, 'b');
  t.is(r.status, 'error', 'restartChild answers the start failure');
  t.regex(String(r.status === 'error' ? r.reason : ''), /init of b failed/);
  t.deepEqual(await refs(sup), { b: undefined }, 'a failed restartChild is not retried');
  broken = false;
  const ok = await Supervisor.restartChild(sup, 'b');
  t.is(ok.status, 'ok');
  t.is(await Supervisor.deleteChild(sup, 'b'), 'running');
  await system.shutdown();
});

test('rest_for_one: a later child failing to restart is marked restarting; the retry starts it and the ones after it', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, {
    ...ENDLESS,
    strategy: 'rest_for_one',
    children: [worker('a', events, { trap: true }), worker('b', events, { trap: true }), worker('c', events, { trap: true, failInit: () => broken }), worker('d', events, { trap: true })],
  });
  const before = await refs(sup);
  events.length = 0;
  broken = true;
  await exitChild(system, sup, 'b', 'kill');
  const during = await refs(sup);
  t.is(during['a'], before['a']);
  t.not(during['b'], before['b']);
  t.true(typeof during['b'] === 'object', 'b restarted');
  t.is(during['c'], 'restarting');
  t.is(during['d'], undefined, 'd waits for c');
  broken = false;
  await until(async () => typeof (await refs(sup))['d'] === 'object');
  const after = await refs(sup);
  t.is(after['a'], before['a']);
  t.true(typeof after['c'] === 'object');
  t.deepEqual(events.slice(0, 4), ['stop d shutdown', 'stop c shutdown', 'start b', 'fail c']);
  t.deepEqual(events.slice(4, -2), Array(events.length - 6).fill('fail c'), 'only retries of c in between');
  t.deepEqual(events.slice(-2), ['start c', 'start d']);
  await system.shutdown();
});

// ------------------------------------------------------------------ backoff

test('backoff: the delays before restarts grow by the factor and are capped at maxMs', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const times: number[] = [];
  // Attempt 1 is the initial start; attempts 2..5 fail, attempt 6 succeeds.
  const b = worker('b', events, {
    failInit: (n) => {
      times.push(performance.now());
      return n >= 2 && n <= 5;
    },
  });
  const sup = await Supervisor.start(system, { intensity: 100, period: 60_000, backoff: { initialMs: 20, maxMs: 80, factor: 2 }, children: [b] });
  const old = await refOf(sup, 'b');
  const crashedAt = performance.now();
  system.exit(old, 'kill');
  t.is((await refs(sup))['b'], 'restarting', 'restarting during the first delay');
  await restarted(sup, 'b', old);
  t.is(times.length, 6);
  const gaps = [times[1]! - crashedAt, ...times.slice(2).map((x, i) => x - times[i + 1]!)];
  // Expected delays: 20, 40, 80, 80 (capped), 80. Lower bounds only (a timer may fire a hair early).
  const expected = [20, 40, 80, 80, 80];
  // The bounds themselves grow (20, 40, 80) and then stay at maxMs; a measured gap may be longer on a busy machine.
  gaps.forEach((g, i) => t.true(g >= expected[i]! - 3, `delay ${i + 1}: ${g.toFixed(1)} ms >= ${expected[i]} ms`));
  await system.shutdown();
});

test('backoff: a large factor is capped (the restarts finish in a bounded number of maxMs steps)', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  // Uncapped, the 5th delay would be 10 * 10^4 ms; capped it is 50 ms.
  const sup = await Supervisor.start(system, {
    intensity: 100,
    period: 60_000,
    backoff: { initialMs: 10, maxMs: 50, factor: 10 },
    children: [worker('b', events, { failInit: (n) => n >= 2 && n <= 5 })],
  });
  const old = await exitChild(system, sup, 'b', 'kill');
  t.true(await until(async () => (await refs(sup))['b'] !== 'restarting' && (await refs(sup))['b'] !== old, 20_000));
  t.is(only(events, 'fail').length, 4);
  await system.shutdown();
});

test('backoff: delayed restarts still count against the intensity', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  let broken = false;
  const sup = await Supervisor.start(system, {
    intensity: 2,
    period: 60_000,
    backoff: { initialMs: 10, maxMs: 20 },
    children: [worker('a', events, { trap: true }), worker('b', events, { failInit: () => broken })],
  });
  events.length = 0;
  broken = true;
  await exitChild(system, sup, 'b', 'kill');
  t.is(await exitOf(system, sup), 'shutdown');
  t.deepEqual(events, ['fail b', 'fail b', 'stop a shutdown']);
  await system.shutdown();
});

test('backoff: while a restart waits, the child is restarting for the API; terminateChild cancels it', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, { backoff: { initialMs: 60_000, maxMs: 60_000 }, children: [worker('a', events), worker('b', events)] });
  const before = await refs(sup);
  await exitChild(system, sup, 'b', 'kill');
  t.deepEqual(await refs(sup), { a: before['a'], b: 'restarting' });
  t.deepEqual(await Supervisor.restartChild(sup, 'b'), { status: 'restarting' });
  t.is(await Supervisor.deleteChild(sup, 'b'), 'restarting');
  t.deepEqual(await Supervisor.startChild(sup, worker('b', events)), { status: 'already_present' });
  t.is(await Supervisor.terminateChild(sup, 'b'), 'ok');
  t.deepEqual(await refs(sup), { a: before['a'], b: undefined });
  const r = await Supervisor.restartChild(sup, 'b');
  t.is(r.status, 'ok');
  t.deepEqual(only(events, 'start'), ['start a', 'start b', 'start b']);
  await system.shutdown();
});

test('backoff with one_for_all: the siblings stop at once and start again after the delay, in order', async (t) => {
  const system = createSystem();
  const events: string[] = [];
  const sup = await Supervisor.start(system, {
    strategy: 'one_for_all',
    backoff: { initialMs: 30, maxMs: 30 },
    children: ['a', 'b', 'c'].map((id) => worker(id, events, { trap: true })),
  });
  events.length = 0;
  const old = await exitChild(system, sup, 'b', 'kill');
  // The siblings were stopped in the EXIT handler, before this call was answered.
  t.deepEqual(await refs(sup), { a: undefined, b: 'restarting', c: undefined });
  t.deepEqual(events, ['stop c shutdown', 'stop a shutdown']);
  await restarted(sup, 'b', old);
  t.deepEqual(events, ['stop c shutdown', 'stop a shutdown', 'start a', 'start b', 'start c']);
  await system.shutdown();
});
