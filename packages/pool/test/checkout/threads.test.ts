// A pool of real worker threads (threadProfile, the fixture test/fixtures/poolWorker.ts).
import test from 'ava';
import { createSystem } from '@arbor/core';
import { WorkerExitError, type WorkerHandle } from '@arbor/worker-profiles';
import { Pools, type CheckoutPool } from '../../src/index.js';
import type { Api } from '../fixtures/poolWorker.js';
import { liveWorkers, settled, started } from '../support/clients.js';
import { allThreadsExited, threads, trackedThreadProfile } from '../support/threads.js';

const system = createSystem();
const TREE = 'threads';
let pools: Pools;
let pool: CheckoutPool<WorkerHandle<Api>>;

test.before(async () => {
  pools = await Pools.start(system, { name: TREE });
  pool = await started(pools.startPool({ name: 'threads', worker: trackedThreadProfile(), size: 2 }));
});

test.after.always(async (t) => {
  await pools.stop();
  await system.shutdown();
  t.true(threads.length >= 3, `${threads.length} threads started`);
  t.true(await allThreadsExited(), 'every worker thread exited');
});

test.serial('a pool of 2 thread workers: two leases are two threads; transaction answers', async (t) => {
  t.like(await pool.status(), { state: 'ready', idle: 2, checkedOut: 0 });
  const [a, b] = await Promise.all([pool.checkout(), pool.checkout()]);
  t.like(await pool.status(), { state: 'full', idle: 0, checkedOut: 2 });
  const ta = await a.worker.request('threadId', undefined);
  const tb = await b.worker.request('threadId', undefined);
  t.not(ta, tb);
  t.true(threads.some((r) => r.conn.threadId === ta) && threads.some((r) => r.conn.threadId === tb));
  t.is(await pool.checkout({ block: false }), 'full');
  a.checkin();
  b.checkin();
  t.is(await pool.transaction((w) => w.request('add', { a: 2, b: 3 })), 5);
  t.like(await pool.status(), { idle: 2, checkedOut: 0 });
});

test.serial("a thread that dies while leased: the holder's pending request rejects with WorkerExitError, the worker is replaced", async (t) => {
  const lease = await pool.checkout();
  const tid = await lease.worker.request('threadId', undefined);
  const dying = threads.find((r) => r.conn.threadId === tid)!;
  const e = await t.throwsAsync(lease.worker.request('dieIn', { ms: 20, code: 3 }), { instanceOf: WorkerExitError });
  t.is(e?.code, 'worker_exit');
  t.regex(e!.message, /while request "dieIn" was in flight/);
  t.truthy(dying.exit, 'the thread reported its exit');
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 2, checkedOut: 0 });
  t.is((await liveWorkers(system, TREE, pool.name)).length, 2);
  lease.checkin(); // the lease of a dead worker: a no-op
  const tids = await Promise.all([pool.checkout(), pool.checkout()].map(async (p) => {
    const l = await p;
    const id = await l.worker.request('threadId', undefined);
    l.checkin();
    return id;
  }));
  t.false(tids.includes(tid), 'a new thread replaced the dead one');
  t.like(await pool.status(), { idle: 2, checkedOut: 0 });
});

test.serial('a dismissed thread worker is killed: its thread exits, not just its actor, and a new thread replaces it', async (t) => {
  const lease = await pool.checkout();
  const tid = await lease.worker.request('threadId', undefined);
  const record = threads.find((r) => r.conn.threadId === tid)!;
  lease.dismiss('test: its state is unknown');
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 2, checkedOut: 0 });
  t.true(await allThreadsExited([record]), 'the dismissed thread exited');
  t.is(record.exit?.reason, 'killed');
});
