import test from 'ava';
import { createSystem, type ExitReason } from '@arbor/core';
import { startWorker, WorkerExitError } from '../../src/index.js';
import { allThreadsGone, evalThreadProfile } from '../support/evalThreadProfile.js';
import { HANDLERS, type TestApi } from '../support/handlers.js';

const system = createSystem();
test.after.always(async (t) => {
  await system.shutdown();
  t.true(await allThreadsGone(), 'every worker thread exited');
});

const profile = () => evalThreadProfile<TestApi>(HANDLERS, 1);

test('healthCheck answers ok with an rtt, and timeout when the worker does not answer pings', async (t) => {
  const w = await startWorker(system, { profile: profile() });
  const ok = await w.healthCheck(5_000);
  t.true(ok.ok);
  if (ok.ok) t.true(ok.rttMs >= 0);
  await w.request('stopPings', null);
  t.deepEqual(await w.healthCheck(50), { ok: false, reason: 'timeout' });
  await w.stop();
  t.deepEqual(await w.healthCheck(50), { ok: false, reason: 'not_running' });
});

test('an idle worker that stops answering pings is killed after maxMisses; the actor exits with a timeout WorkerExitError', async (t) => {
  const w = await startWorker(system, { profile: profile(), health: { intervalMs: 30, timeoutMs: 30, maxMisses: 2 } });
  const down = new Promise<ExitReason>((resolve) => system.monitor(w.ref, (d) => resolve(d.reason)));
  t.is(await w.request('add', 1), 2);
  await w.request('stopPings', null);
  const reason = await down;
  t.true(reason instanceof WorkerExitError);
  t.like((reason as WorkerExitError).exit, { reason: 'timeout', missed: 2 });
  t.regex((reason as WorkerExitError).message, /missed 2 health checks/);
});

test('missed pings do not count while the worker has requests in flight', async (t) => {
  const w = await startWorker(system, { profile: profile(), health: { intervalMs: 20, timeoutMs: 20, maxMisses: 1 } });
  await w.request('stopPings', null);
  // The handler below keeps the worker busy across many health intervals; it is not killed.
  t.is(await w.request('sleep', 400), 400);
  await w.stop();
});
