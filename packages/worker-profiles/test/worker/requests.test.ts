import test from 'ava';
import { createSystem } from '@arbor/core';
import {
  RequestAbortedError,
  RequestTimeoutError,
  startWorker,
  UnknownMethodError,
  WorkerExitError,
  WorkerQueueFullError,
  WorkerStoppedError,
  WorkerTaskError,
  type WorkerHandle,
} from '../../src/index.js';
import { allThreadsGone, evalThreadProfile, waitFor } from '../support/evalThreadProfile.js';
import { HANDLERS, type TestApi } from '../support/handlers.js';

const system = createSystem();
test.after.always(async (t) => {
  await system.shutdown();
  t.true(await allThreadsGone(), 'every worker thread exited');
});

const start = (capacity = 1, extra: object = {}): Promise<WorkerHandle<TestApi>> =>
  startWorker(system, { profile: evalThreadProfile<TestApi>(HANDLERS, capacity), ...extra });

test('request gets its reply; a queued request is sent when a slot frees', async (t) => {
  const w = await start();
  t.is(await w.request('add', 41), 42);
  t.deepEqual(await w.request('echo', { a: [1, 'x'] }), { a: [1, 'x'] });
  t.is(w.capacity, 1);
  await w.stop();
});

test('10k requests across capacity 4 with pipeline 4: all answered, never more than 8 in flight', async (t) => {
  const w = await start(4, { pipeline: 4 });
  const n = 10_000;
  const ps: Promise<number>[] = [];
  for (let i = 0; i < n; i++) ps.push(w.request('add', i));
  t.is(w.load, 8);
  t.is(w.queued, n - 8);
  let maxLoad = 0;
  const probe = setInterval(() => (maxLoad = Math.max(maxLoad, w.load)), 1);
  const results = await Promise.all(ps);
  clearInterval(probe);
  t.true(maxLoad <= 8);
  t.true(results.every((r, i) => r === i + 1));
  t.is(w.load, 0);
  t.is(w.queued, 0);
  t.is((await w.stats()).served, n);
  await w.stop();
});

test('maxQueue bounds the parent-side queue with WorkerQueueFullError', async (t) => {
  const w = await start(1, { maxQueue: 2 });
  const running = w.request('sleep', 100);
  const q1 = w.request('add', 1);
  const q2 = w.request('add', 2);
  const e = await t.throwsAsync(w.request('add', 3), { instanceOf: WorkerQueueFullError });
  t.is(e?.code, 'queue_full');
  t.deepEqual(await Promise.all([running, q1, q2]), [100, 2, 3]);
  await w.stop();
});

test('a handler error rejects with WorkerTaskError carrying the remote error; the worker keeps serving', async (t) => {
  const w = await start();
  const e = await t.throwsAsync(w.request('fail', 'bad input'), { instanceOf: WorkerTaskError });
  t.is(e?.remote.name, 'TypeError');
  t.is(e?.remote.message, 'bad input');
  t.is(e?.remote.code, 'E_BAD');
  t.regex(e!.message, /"fail".*TypeError: bad input/);
  t.is(await w.request('add', 1), 2);
  await w.stop();
});

test('timeout: a queued request is dropped; an in-flight one is cancelled in the worker (no kill)', async (t) => {
  const w = await start(1);
  const before = (await w.metadata()).threadId;
  const running = w.request('sleep', 300);
  const queued = w.request('add', 1, { timeoutMs: 30 });
  const e = await t.throwsAsync(queued, { instanceOf: RequestTimeoutError });
  t.is(e?.timeoutMs, 30);
  t.is(await running, 300);
  const inFlight = w.request('sleep', 60_000, { timeoutMs: 30 });
  await t.throwsAsync(inFlight, { instanceOf: RequestTimeoutError });
  await waitFor(() => w.load === 0, 'the cancelled request to be answered');
  t.is(await w.request('add', 2), 3);
  t.is((await w.metadata()).threadId, before, 'same worker: the cancel was honoured');
  await w.stop();
});

test('abort: queued, in flight, and already aborted reject with RequestAbortedError', async (t) => {
  const w = await start(1);
  const pre = new AbortController();
  pre.abort(new Error('nope'));
  await t.throwsAsync(w.request('add', 1, { signal: pre.signal }), { instanceOf: RequestAbortedError });
  const a1 = new AbortController();
  const a2 = new AbortController();
  const inFlight = w.request('sleep', 60_000, { signal: a1.signal });
  const queued = w.request('add', 1, { signal: a2.signal });
  a2.abort(new Error('user left'));
  const e = await t.throwsAsync(queued, { instanceOf: RequestAbortedError });
  t.regex(e!.message, /user left/);
  a1.abort();
  await t.throwsAsync(inFlight, { instanceOf: RequestAbortedError });
  await waitFor(() => w.load === 0, 'the cancelled request to be answered');
  t.is(await w.request('add', 5), 6);
  await w.stop();
});

test('cancel grace: a request that ignores its cancel gets the worker killed and replaced in place', async (t) => {
  const w = await start(2, { cancelGraceMs: 50 });
  const ref = w.ref;
  const before = (await w.metadata()).threadId;
  const other = w.request('hang', null);
  const stuck = w.request('hang', null, { timeoutMs: 30 });
  await t.throwsAsync(stuck, { instanceOf: RequestTimeoutError });
  const e = await t.throwsAsync(other, { instanceOf: WorkerExitError });
  t.is(e?.exit.reason, 'killed');
  t.like(e?.exit, { by: 'arbor', cause: 'cancel_grace' });
  t.is(await w.request('add', 1), 2);
  const after = await w.metadata();
  t.not(after.threadId, before);
  t.is(w.ref, ref);
  t.true(system.isAlive(ref));
  t.is((await w.stats()).lastExit?.reason, 'killed');
  await w.stop();
});

test('unknown method (known from READY) rejects without sending', async (t) => {
  const w = await start();
  const e = await t.throwsAsync((w as WorkerHandle<any>).request('nope', 1), { instanceOf: UnknownMethodError });
  t.is(e?.code, 'unknown_method');
  t.true(e!.methods.includes('add'));
  t.is(w.load, 0);
  await w.stop();
});

test('after stop, requests reject with WorkerStoppedError', async (t) => {
  const w = await start();
  await w.stop();
  const e = await t.throwsAsync(w.request('add', 1), { instanceOf: WorkerStoppedError });
  t.is(e?.code, 'worker_stopped');
  t.is(w.load, 0);
});
