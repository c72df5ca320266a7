import test from 'ava';
import { createSystem } from '@arbor/core';
import { startWorker, WorkerExitError, type WorkerHandle, type WorkerStats } from '../../src/index.js';
import { allThreadsGone, evalThreadProfile, waitFor } from '../support/evalThreadProfile.js';
import { HANDLERS, type TestApi } from '../support/handlers.js';

const system = createSystem();
test.after.always(async (t) => {
  await system.shutdown();
  t.true(await allThreadsGone(), 'every worker thread exited');
});

const profile = (capacity = 1) => evalThreadProfile<TestApi>(HANDLERS, capacity);

async function statsWhen(w: WorkerHandle<TestApi>, cond: (s: WorkerStats) => boolean, what: string): Promise<WorkerStats> {
  const end = Date.now() + 15_000;
  for (;;) {
    const s = await w.stats();
    if (cond(s)) return s;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 10));
  }
}

test('recycle by requests: the worker is replaced after maxRequests; the ref stays; nothing fails', async (t) => {
  const w = await startWorker(system, { profile: profile(), recycle: { maxRequests: 5 } });
  const ref = w.ref;
  const threads = new Set<number>();
  for (let round = 1; round <= 2; round++) {
    for (let i = 0; i < 5; i++) t.is(await w.request('add', i), i + 1);
    threads.add((await w.metadata()).threadId!);
    await statsWhen(w, (s) => s.recycles === round && s.lastExit?.reason === 'recycled', `recycle ${round}`);
  }
  threads.add((await w.metadata()).threadId!);
  const s = await w.stats();
  t.is(s.served, 10);
  t.is(s.starts, 3);
  t.is(threads.size, 3);
  t.like(s.lastExit, { reason: 'recycled', trigger: 'requests' });
  t.is(w.ref, ref);
  t.is(await w.request('add', 1), 2);
  await w.stop();
});

test('recycle by heap: a worker whose reported heap passes maxHeapBytes is replaced', async (t) => {
  const probe = await startWorker(system, { profile: profile() });
  await probe.request('add', 1);
  const baseline = (await probe.stats()).heapUsedBytes!;
  await probe.stop();
  const w = await startWorker(system, { profile: profile(), recycle: { maxHeapBytes: baseline + 16 * 1024 * 1024 } });
  const before = (await w.metadata()).threadId;
  t.is(await w.request('grow', 4_000_000), 1); // ~32 MB of doubles
  await waitFor(() => w.load === 0, 'idle');
  const s = await statsWhen(w, (x) => x.recycles === 1 && x.lastExit !== undefined, 'the heap recycle');
  t.like(s.lastExit, { reason: 'recycled', trigger: 'heap' });
  t.not((await w.metadata()).threadId, before);
  t.is(await w.request('add', 1), 2);
  await w.stop();
});

test('manual recycle: the old worker finishes its in-flight request, new requests go to the new one', async (t) => {
  const w = await startWorker(system, { profile: profile(2) });
  const before = (await w.metadata()).threadId;
  const inFlight = w.request('sleep', 200);
  await w.recycle();
  const after = (await w.metadata()).threadId;
  t.not(after, before);
  t.is(await w.request('add', 1), 2);
  t.is(await inFlight, 200);
  await waitFor(() => w.load === 0, 'the old worker drained');
  const s = await statsWhen(w, (x) => x.lastExit !== undefined, 'the old worker to exit');
  t.like(s.lastExit, { reason: 'recycled', trigger: 'manual' });
  t.is(s.recycles, 1);
  await w.stop();
});

test('a draining worker that does not finish within drainTimeoutMs is killed; its requests reject with WorkerExitError', async (t) => {
  const w = await startWorker(system, { profile: profile(1), recycle: { drainTimeoutMs: 50 } });
  const stuck = w.request('hang', null);
  await w.recycle();
  const e = await t.throwsAsync(stuck, { instanceOf: WorkerExitError });
  t.like(e?.exit, { reason: 'killed', by: 'arbor', cause: 'recycle_timeout' });
  t.is(await w.request('add', 1), 2);
  await w.stop();
});

test('recycle by age: a worker older than ttlMs is replaced', async (t) => {
  const w = await startWorker(system, { profile: profile(), recycle: { ttlMs: 100 } });
  const before = (await w.metadata()).threadId;
  const s = await statsWhen(w, (x) => x.recycles >= 1 && x.lastExit !== undefined, 'the ttl recycle');
  t.like(s.lastExit, { reason: 'recycled', trigger: 'ttl' });
  t.not((await w.metadata()).threadId, before);
  t.is(await w.request('add', 1), 2);
  await w.stop();
});
