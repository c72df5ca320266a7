import test from 'ava';
import { createSystem, InitError, InvalidOptionError, Supervisor, type ExitReason } from '@arbor/core';
import { startWorker, WorkerActor, WorkerExitError, WorkerStartError, workerOf, workerSpec, WorkerStoppedError, type WorkerHandle } from '../../src/index.js';
import { allThreadsGone, evalThreadProfile, waitFor } from '../support/evalThreadProfile.js';
import { HANDLERS, type TestApi } from '../support/handlers.js';

const system = createSystem();
test.after.always(async (t) => {
  await system.shutdown();
  t.true(await allThreadsGone(), 'every worker thread exited');
});

const profile = (capacity = 1) => evalThreadProfile<TestApi>(HANDLERS, capacity);

function downReason(w: WorkerHandle<TestApi>): Promise<ExitReason> {
  return new Promise((resolve) => system.monitor(w.ref, (d) => resolve(d.reason)));
}

test('an unexpected exit rejects every in-flight and queued request exactly once, then the actor exits with WorkerExitError', async (t) => {
  const w = await startWorker(system, { profile: profile(2) });
  const down = downReason(w);
  let settled = 0;
  const outcomes: unknown[] = [];
  const track = (p: Promise<unknown>) =>
    p.then(
      (v) => (settled++, outcomes.push(v)),
      (e: unknown) => (settled++, outcomes.push(e)),
    );
  const all = [track(w.request('sleep', 60_000)), track(w.request('exit', 3)), ...[1, 2, 3].map((i) => track(w.request('add', i)))];
  await Promise.all(all);
  t.is(settled, 5);
  t.true(outcomes.every((e) => e instanceof WorkerExitError));
  const exit = (outcomes[0] as WorkerExitError).exit;
  t.like(exit, { reason: 'exit', code: 3 });
  t.is((outcomes[0] as WorkerExitError).method, 'sleep');
  const reason = await down;
  t.true(reason instanceof WorkerExitError);
  t.false(system.isAlive(w.ref));
  await t.throwsAsync(w.request('add', 1), { instanceOf: WorkerStoppedError });
  await new Promise((r) => setTimeout(r, 50));
  t.is(settled, 5, 'nothing settles twice');
});

test('killing the actor kills the thread and rejects everything', async (t) => {
  const w = await startWorker(system, { profile: profile(1) });
  const running = w.request('sleep', 60_000);
  const queued = w.request('add', 1);
  system.exit(w.ref, 'kill');
  const e = await t.throwsAsync(running, { instanceOf: WorkerExitError });
  t.like(e?.exit, { reason: 'killed', by: 'arbor', cause: 'shutdown' });
  await t.throwsAsync(queued, { instanceOf: WorkerExitError });
  t.true(await allThreadsGone());
});

test('a supervisor restarts a dead worker under the same name; requests work again', async (t) => {
  const sup = await Supervisor.start(system, { strategy: 'one_for_one', children: [workerSpec({ profile: profile(1), name: 'sup-w' })] });
  const first = workerOf<TestApi>(system, 'sup-w');
  t.is(await first.request('add', 1), 2);
  const firstRef = first.ref;
  await t.throwsAsync(first.request('exit', 1), { instanceOf: WorkerExitError });
  await waitFor(() => {
    const r = system.whereis('sup-w');
    return r !== undefined && r !== firstRef && system.isAlive(r);
  }, 'the restarted worker');
  await t.throwsAsync(first.request('add', 1), { instanceOf: WorkerStoppedError });
  const again = workerOf<TestApi>(system, 'sup-w');
  await waitFor(() => again.capacity === 1, 'the restarted worker to be ready');
  t.is(await again.request('add', 2), 3);
  await system.stop(sup);
  t.false(system.isAlive(again.ref));
});

test('workerOf a name that is not running gives a handle whose requests reject with WorkerStoppedError', async (t) => {
  const h = workerOf<TestApi>(system, 'nobody');
  await t.throwsAsync(h.request('add', 1), { instanceOf: WorkerStoppedError, message: /"nobody" is not running/ });
  t.is(h.load, 0);
  t.throws(() => h.ref, { instanceOf: WorkerStoppedError });
  t.deepEqual(await h.healthCheck(10), { ok: false, reason: 'not_running' });
  await h.stop();
});

test('workerSpec defaults: id and name from options.name, shutdown = stopGraceMs + 2000', (t) => {
  const spec = workerSpec({ profile: profile(), name: 'x', stopGraceMs: 1000 });
  t.is(spec.id, 'x');
  t.is(spec.shutdown, 3000);
  t.like(spec.start, { behaviour: WorkerActor, options: { name: 'x' } });
  t.is(workerSpec({ profile: profile() }, { id: 'y' }).id, 'y');
});

test('an orderly stop lets in-flight requests finish, then refuses new ones', async (t) => {
  const w = await startWorker(system, { profile: profile(2) });
  const a = w.request('sleep', 150);
  const b = w.request('sleep', 100);
  const stopping = w.stop();
  await t.throwsAsync(w.request('add', 1), { instanceOf: WorkerStoppedError });
  t.deepEqual(await Promise.all([a, b]), [150, 100]);
  await stopping;
  t.false(system.isAlive(w.ref));
});

test('an orderly stop rejects what is left after stopGraceMs with WorkerExitError', async (t) => {
  const w = await startWorker(system, { profile: profile(1), stopGraceMs: 50 });
  const stuck = w.request('hang', null);
  await w.stop();
  await t.throwsAsync(stuck, { instanceOf: WorkerExitError });
});

test('a worker that fails before READY: startWorker rejects with InitError wrapping WorkerStartError', async (t) => {
  const e = await t.throwsAsync(startWorker(system, { profile: evalThreadProfile('null.boom', 1) }), { instanceOf: InitError });
  t.true(e?.reason instanceof WorkerStartError);
  t.is((e?.reason as WorkerStartError).exit.reason, 'startup_failed');
});

test('options are validated, naming the field', async (t) => {
  await t.throwsAsync(startWorker(system, { profile: profile(), readyTimeotMs: 5 } as never), { instanceOf: InvalidOptionError, message: /readyTimeotMs.*did you mean readyTimeoutMs/ });
  await t.throwsAsync(startWorker(system, { profile: profile(), pipeline: -1 }), { instanceOf: InvalidOptionError, message: /pipeline/ });
  await t.throwsAsync(startWorker(system, { profile: profile(), health: { intervalMs: 0 } }), { instanceOf: InvalidOptionError, message: /health\.intervalMs/ });
  await t.throwsAsync(startWorker(system, { profile: profile(), recycle: { maxRssBytes: 10 } }), { instanceOf: InvalidOptionError, message: /maxRssBytes/ });
  await t.throwsAsync(startWorker(system, { profile: {} as never }), { instanceOf: InvalidOptionError, message: /profile/ });
  const w = await startWorker(system, { profile: profile() });
  await t.throwsAsync(w.request('add', 1, { timeoutMs: -5 }), { instanceOf: InvalidOptionError, message: /timeoutMs/ });
  await w.stop();
});

test('stats, metadata, formatStatus and the registered name', async (t) => {
  const w = await startWorker(system, { profile: profile(2), name: 'stats-w' });
  t.is(system.whereis('stats-w'), w.ref);
  await Promise.all([w.request('add', 1), w.request('add', 2)]);
  const s = await w.stats();
  t.like(s, { kind: 'thread', state: 'running', capacity: 2, inFlight: 0, queued: 0, served: 2, servedByWorker: 2, starts: 1, recycles: 0 });
  t.regex(s.workerId, /^stats-w-\d+$/);
  t.is(typeof s.threadId, 'number');
  t.is(typeof s.heapUsedBytes, 'number');
  const m = await w.metadata();
  t.true(m.methods?.includes('sleep'));
  t.is(m.workerId, s.workerId);
  const details = system.getStatus(w.ref).details as Record<string, unknown>;
  t.like(details, { kind: 'thread', state: 'running', inFlight: 0, queued: 0, served: 2, workerId: s.workerId });
  await w.stop();
});
