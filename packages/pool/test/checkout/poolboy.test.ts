// poolboy's test list (devinus/poolboy test/poolboy_tests.erl), ported: the same scenarios and counts,
// with actor workers (Doubler), lease owners that are actors (Client), and the pool's own answers
// (status(), its manager's monitors, its worker supervisor's live children) instead of sleeps.
import test from 'ava';
import { call, InvalidOptionError, type ActorRef } from '@arbor/core';
import { CheckoutAbortedError, CheckoutTimeoutError, type CheckoutPool } from '../../src/index.js';
import { checkin, checkout, client, kill, liveWorkers, ownerMonitors, settled, stopped } from '../support/clients.js';
import { poolRig, type W } from '../support/rig.js';
import { waitFor } from '../support/workers.js';

const TREE = 'poolboy';
const rig = poolRig(test, TREE);
const { system, newPool } = rig;

const live = (pool: CheckoutPool<W>) => liveWorkers(system, TREE, pool.name);
const monitors = async (pool: CheckoutPool<W>) => (await ownerMonitors(system, TREE, pool)).length;
const dead = (w: ActorRef) => waitFor(() => !system.isAlive(w), `worker ${w.id} to stop`);
async function checkouts(c: ActorRef<any>, n: number): Promise<ActorRef[]> {
  const ws: ActorRef[] = [];
  for (let i = 0; i < n; i++) ws.push(await checkout(system, c));
  return ws;
}
async function stopPool(pool: CheckoutPool<W>): Promise<void> {
  if ((await rig.pools.stopPool(pool.name)) !== 'ok') throw new Error(`stopPool(${pool.name}) did not answer ok`);
}

test('pool startup: checkouts take idle workers, a checkin gives one back, one owner monitor per lease', async (t) => {
  const pool = await newPool(10, 5);
  const c = await client(system, pool);
  t.like(await pool.status(), { state: 'ready', idle: 10, checkedOut: 0, overflow: 0 });
  t.is((await live(pool)).length, 10);
  await checkout(system, c);
  t.like(await pool.status(), { idle: 9, checkedOut: 1 });
  const w = await checkout(system, c);
  t.like(await pool.status(), { idle: 8, checkedOut: 2 });
  await checkin(system, c, w);
  t.like(await pool.status(), { idle: 9, checkedOut: 1 });
  t.is(await monitors(pool), 1);
  t.true(system.isAlive(w), 'a checked-in worker keeps running');
  t.is((await live(pool)).length, 10);
  await stopPool(pool);
  t.false(system.isAlive(w), 'stopPool stops the workers');
});

test('pool overflow: up to size + maxOverflow workers; checked-in overflow workers stop at once', async (t) => {
  const pool = await newPool(5, 5);
  const c = await client(system, pool);
  const [a, b, cc, d, e, f, g] = (await checkouts(c, 7)) as [W, W, W, W, W, W, W];
  t.like(await pool.status(), { state: 'overflow', idle: 0, overflow: 2, checkedOut: 7 });
  t.is((await live(pool)).length, 7);
  await checkin(system, c, a);
  await checkin(system, c, b);
  t.like(await pool.status(), { idle: 0, overflow: 0, checkedOut: 5 });
  await dead(a);
  await dead(b);
  t.is((await live(pool)).length, 5);
  await checkin(system, c, cc);
  await checkin(system, c, d);
  t.like(await pool.status(), { idle: 2, checkedOut: 3 });
  await checkin(system, c, e);
  await checkin(system, c, f);
  t.like(await pool.status(), { idle: 4, checkedOut: 1 });
  await checkin(system, c, g);
  t.like(await pool.status(), { state: 'ready', idle: 5, overflow: 0, checkedOut: 0 });
  t.deepEqual((await live(pool)).map((w) => w.id).sort(), [cc, d, e, f, g].map((w) => w.id).sort(), 'the size workers stayed');
  t.is(await monitors(pool), 0);
  await stopPool(pool);
});

test('pool empty: a checkout waits when size + maxOverflow are out, and gets the first worker checked in', async (t) => {
  const pool = await newPool(5, 2);
  const c1 = await client(system, pool);
  const c2 = await client(system, pool);
  const [a, b, c, d, e, f, g] = (await checkouts(c1, 7)) as [W, W, W, W, W, W, W];
  t.like(await pool.status(), { state: 'full', idle: 0, overflow: 2, checkedOut: 7 });
  t.is((await live(pool)).length, 7);
  let got: ActorRef | undefined;
  const waiting = checkout(system, c2).then((w) => (got = w));
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  t.is(got, undefined, 'it waits');
  await checkin(system, c1, a);
  t.is(await waiting, a, 'the waiter got the worker checked in (an overflow one: it is handed on, not stopped)');
  await checkin(system, c2, a);
  await checkin(system, c1, b);
  t.like(await pool.status(), { idle: 0, overflow: 0, checkedOut: 5, waiting: 0 });
  await dead(a);
  await dead(b);
  t.is((await live(pool)).length, 5);
  await checkin(system, c1, c);
  await checkin(system, c1, d);
  t.like(await pool.status(), { idle: 2, checkedOut: 3 });
  await checkin(system, c1, e);
  await checkin(system, c1, f);
  t.like(await pool.status(), { idle: 4, checkedOut: 1 });
  await checkin(system, c1, g);
  t.like(await pool.status(), { idle: 5, checkedOut: 0 });
  t.is((await live(pool)).length, 5);
  t.is(await monitors(pool), 0);
  await stopPool(pool);
});

test('pool empty without overflow: a checkout waits for a checkin', async (t) => {
  const pool = await newPool(5, 0);
  const c1 = await client(system, pool);
  const c2 = await client(system, pool);
  const [a, b, c, d, e] = (await checkouts(c1, 5)) as [W, W, W, W, W];
  t.like(await pool.status(), { state: 'full', idle: 0, checkedOut: 5 });
  const waiting = checkout(system, c2);
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  await checkin(system, c1, a);
  await checkin(system, c1, b);
  t.is(await waiting, a);
  await checkin(system, c2, a);
  t.like(await pool.status(), { idle: 2, checkedOut: 3, waiting: 0 });
  t.is((await live(pool)).length, 5);
  await checkin(system, c1, c);
  await checkin(system, c1, d);
  t.like(await pool.status(), { idle: 4, checkedOut: 1 });
  await checkin(system, c1, e);
  t.like(await pool.status(), { idle: 5, checkedOut: 0 });
  t.true([a, b, c, d, e].every((w) => system.isAlive(w)), 'no worker was replaced');
  t.is(await monitors(pool), 0);
  await stopPool(pool);
});

test('worker death: a dead worker is replaced only while the pool is below size (overflow workers are not)', async (t) => {
  const pool = await newPool(5, 2);
  const c = await client(system, pool);
  const w = await checkout(system, c);
  await kill(system, w);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 5, checkedOut: 0 });
  const [a, b, cc] = (await checkouts(c, 7)) as [W, W, W];
  t.like(await pool.status(), { idle: 0, checkedOut: 7 });
  t.is((await live(pool)).length, 7);
  await kill(system, a);
  t.like(await pool.status(), { idle: 0, checkedOut: 6, starting: 0 }, 'no replacement: 6 workers >= size');
  t.is((await live(pool)).length, 6);
  await kill(system, b);
  await kill(system, cc);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 1, checkedOut: 4, overflow: 0 });
  t.is((await live(pool)).length, 5);
  t.is(await monitors(pool), 4);
  await stopPool(pool);
});

test('worker death while full: a waiter is served by a worker started for it; without waiters no start', async (t) => {
  const pool = await newPool(5, 2);
  const c1 = await client(system, pool);
  const c2 = await client(system, pool);
  const w = await checkout(system, c1);
  await kill(system, w);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 5 });
  const [a, b] = (await checkouts(c1, 7)) as [W, W];
  t.like(await pool.status(), { state: 'full', idle: 0, checkedOut: 7 });
  const waiting = checkout(system, c2);
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  await kill(system, a);
  const got = await waiting;
  t.true(got !== a && system.isAlive(got), 'the waiter got a new worker');
  await kill(system, b);
  t.like(await pool.status(), { idle: 0, checkedOut: 6, waiting: 0, starting: 0 });
  t.is((await live(pool)).length, 6);
  t.is(await monitors(pool), 6);
  await stopPool(pool);
});

test('worker death while full without overflow: the dead worker is replaced and the waiter served', async (t) => {
  const pool = await newPool(5, 0);
  const c1 = await client(system, pool);
  const c2 = await client(system, pool);
  const w = await checkout(system, c1);
  await kill(system, w);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 5 });
  const [a, b, c] = (await checkouts(c1, 5)) as [W, W, W];
  t.like(await pool.status(), { idle: 0, checkedOut: 5 });
  const waiting = checkout(system, c2);
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  await kill(system, a);
  const got = await waiting;
  t.true(got !== a && system.isAlive(got));
  await kill(system, b);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 1, checkedOut: 4 });
  t.is((await live(pool)).length, 5);
  await kill(system, c);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 2, checkedOut: 3 });
  t.is((await live(pool)).length, 5);
  t.is(await monitors(pool), 3);
  await stopPool(pool);
});

test('non-blocking checkout when full without overflow answers full', async (t) => {
  const pool = await newPool(5, 0);
  const c = await client(system, pool);
  const [a] = (await checkouts(c, 5)) as [W];
  t.like(await pool.status(), { state: 'full', idle: 0, checkedOut: 5 });
  t.is(await system.call(c, { type: 'checkout', options: { block: false } }), 'full');
  t.is(await system.call(c, { type: 'checkout', options: { block: false } }), 'full');
  t.is(await pool.checkout({ block: false, owner: null }), 'full', 'from plain code too');
  await checkin(system, c, a);
  t.is(await checkout(system, c), a);
  t.is(await monitors(pool), 5);
  t.like(await pool.status(), { waiting: 0, checkedOut: 5 });
  await stopPool(pool);
});

test('non-blocking checkout when full answers full; a freed overflow place is filled by a new worker', async (t) => {
  const pool = await newPool(5, 5);
  const c = await client(system, pool);
  const [a] = (await checkouts(c, 10)) as [W];
  t.like(await pool.status(), { state: 'full', idle: 0, overflow: 5, checkedOut: 10 });
  t.is((await live(pool)).length, 10);
  t.is(await system.call(c, { type: 'checkout', options: { block: false } }), 'full');
  await checkin(system, c, a);
  await dead(a); // overflow workers get shut down
  const r = await system.call(c, { type: 'checkout', options: { block: false } });
  t.true(r !== 'full' && r.ok && r.worker !== a && system.isAlive(r.worker), 'a new overflow worker');
  t.is(await system.call(c, { type: 'checkout', options: { block: false } }), 'full');
  t.is(await monitors(pool), 10);
  await stopPool(pool);
});

test('owner death: the worker of a lease whose owner died is dismissed (killed and replaced) by default', async (t) => {
  const pool = await newPool(5, 5);
  const before = new Set((await live(pool)).map((w) => w.id));
  const c = await client(system, pool);
  const w = await checkout(system, c);
  t.is(await monitors(pool), 1);
  await stopped(system, c); // exits normally, as poolboy's spawned owner does
  await dead(w);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 5, checkedOut: 0, overflow: 0 });
  const after = (await live(pool)).map((x) => x.id);
  t.is(after.length, 5);
  t.false(after.includes(w.id));
  t.is(after.filter((id) => !before.has(id)).length, 1, 'one replacement');
  t.is(await monitors(pool), 0);
  await stopPool(pool);
});

test("owner death with onOwnerDown 'checkin': the worker goes back to the pool alive", async (t) => {
  const pool = await newPool(5, 5, { onOwnerDown: 'checkin' });
  const before = (await live(pool)).map((w) => w.id).sort();
  const c = await client(system, pool);
  const w = await checkout(system, c);
  await kill(system, c);
  t.like(await pool.status(), { idle: 5, checkedOut: 0, starting: 0 });
  t.true(system.isAlive(w));
  t.deepEqual((await live(pool)).map((x) => x.id).sort(), before, 'the same workers');
  t.is(await monitors(pool), 0);
  t.is(await pool.transaction((x) => x), w, 'lifo: the worker checked in last is handed out first');
  await stopPool(pool);
});

test('a worker is checked in after an ordinary exception in a transaction', async (t) => {
  const pool = await newPool(2, 0);
  t.like(await pool.status(), { idle: 2 });
  let used: W | undefined;
  const e = await t.throwsAsync(
    pool.transaction(async (w) => {
      used = w;
      t.like(await pool.status(), { idle: 1, checkedOut: 1 });
      throw new Error('it_on_the_ground');
    }),
  );
  t.is(e?.message, 'it_on_the_ground');
  t.like(await pool.status(), { idle: 2, checkedOut: 0 });
  t.true(system.isAlive(used!), 'checked in, not dismissed');
  t.true((await live(pool)).includes(used!));
  await stopPool(pool);
});

test('status: state, idle, overflow and checked out as poolboy answers them', async (t) => {
  const c = (p: CheckoutPool<W>) => p.checkout();
  const pick = async (p: CheckoutPool<W>) => {
    const s = await p.status();
    return [s.state, s.idle, s.overflow, s.checkedOut];
  };
  const p1 = await newPool(2, 0);
  t.deepEqual(await pick(p1), ['ready', 2, 0, 0]);
  await c(p1);
  t.deepEqual(await pick(p1), ['ready', 1, 0, 1]);
  await c(p1);
  t.deepEqual(await pick(p1), ['full', 0, 0, 2]);
  await stopPool(p1);

  const p2 = await newPool(1, 1);
  t.deepEqual(await pick(p2), ['ready', 1, 0, 0]);
  await c(p2);
  t.deepEqual(await pick(p2), ['overflow', 0, 0, 1]);
  await c(p2);
  t.deepEqual(await pick(p2), ['full', 0, 1, 2]);
  await stopPool(p2);

  const p3 = await newPool(0, 2);
  t.deepEqual(await pick(p3), ['overflow', 0, 0, 0]);
  await c(p3);
  t.deepEqual(await pick(p3), ['overflow', 0, 1, 1]);
  await c(p3);
  t.deepEqual(await pick(p3), ['full', 0, 2, 2]);
  await stopPool(p3);

  // poolboy's new_pool(0, 0) is a pool that serves nothing: here it is refused
  await t.throwsAsync(newPool(0, 0), { instanceOf: InvalidOptionError, message: /startPool: size must be at least 1, or maxOverflow at least 1/ });
});

test('waiters are demonitored: a waiter that got its worker and checked it in, or later died, leaves nothing behind', async (t) => {
  const pool = await newPool(1, 0);
  const c1 = await client(system, pool);
  const c2 = await client(system, pool);
  const w = await checkout(system, c1);
  const waiting = checkout(system, c2);
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  t.is(await monitors(pool), 2, 'the lease owner and the waiter');
  await checkin(system, c1, w);
  t.is(await waiting, w);
  t.is(await monitors(pool), 1, "the waiter's monitor is now its lease's");
  await checkin(system, c2, w);
  t.is(await monitors(pool), 0);
  await kill(system, c2);
  await stopped(system, c1);
  t.like(await pool.status(), { idle: 1, checkedOut: 0, waiting: 0, starting: 0 });
  t.true(system.isAlive(w), 'the dead clients held nothing: the worker was not dismissed');
  t.is(await monitors(pool), 0);
  await stopPool(pool);
});

test('cancelled checkouts are demonitored: timed out and aborted waiters leave no monitor', async (t) => {
  const pool = await newPool(1, 0);
  const c = await client(system, pool);
  const w = await checkout(system, c);
  const timedOut = system.call(c, { type: 'checkout', options: { timeoutMs: 1_000 } });
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  t.is(await monitors(pool), 2);
  t.deepEqual(await timedOut, { ok: false, code: 'checkout_timeout' });
  t.is(await monitors(pool), 1);
  t.like(await pool.status(), { waiting: 0, checkedOut: 1 });

  const ac = new AbortController();
  const aborted = pool.checkout({ signal: ac.signal, owner: c, timeoutMs: Infinity });
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  t.is(await monitors(pool), 2);
  ac.abort('enough');
  await t.throwsAsync(aborted, { instanceOf: CheckoutAbortedError });
  t.is(await monitors(pool), 1);
  t.like(await pool.status(), { waiting: 0, checkedOut: 1 });
  await checkin(system, c, w);
  t.like(await pool.status(), { idle: 1, checkedOut: 0 });
  t.is(await monitors(pool), 0);
  await stopPool(pool);
});

test('lifo is the default strategy: the worker checked in last is checked out first', async (t) => {
  const pool = await newPool(2, 0);
  const l1 = await pool.checkout();
  const w1 = l1.worker;
  l1.checkin();
  t.is((await pool.checkout()).worker, w1);
  await stopPool(pool);
});

test('lifo strategy', async (t) => {
  const pool = await newPool(2, 0, { strategy: 'lifo' });
  const l1 = await pool.checkout();
  const w1 = l1.worker;
  l1.checkin();
  t.is((await pool.checkout()).worker, w1);
  await stopPool(pool);
});

test('fifo strategy: the worker idle longest is checked out first', async (t) => {
  const pool = await newPool(2, 0, { strategy: 'fifo' });
  const l1 = await pool.checkout();
  const w1 = l1.worker;
  l1.checkin();
  const w2 = (await pool.checkout()).worker;
  t.not(w2, w1);
  t.is((await pool.checkout()).worker, w1);
  await stopPool(pool);
});

test("the waiter's owner monitor is reused when a worker exits and its replacement serves it", async (t) => {
  const pool = await newPool(1, 0);
  const c = await client(system, pool);
  const w = await checkout(system, c);
  const waiting = checkout(system, c); // the same owner waits for a second worker
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  t.is(await monitors(pool), 2);
  await kill(system, w);
  const got = await waiting;
  t.true(got !== w && system.isAlive(got));
  t.is(await monitors(pool), 1, 'the dead worker lease was demonitored; the waiter monitor became the new lease monitor');
  t.like(await pool.status(), { idle: 0, checkedOut: 1, waiting: 0 });
  await stopPool(pool);
});

test('transaction timeout: a transaction that gets no worker in time rejects, and the pool keeps its worker', async (t) => {
  const pool = await newPool(1, 0);
  const [w] = (await live(pool)) as [W];
  const c = await client(system, pool);
  t.is(await checkout(system, c), w);
  let ran = false;
  await t.throwsAsync(
    pool.transaction(() => (ran = true), { timeoutMs: 50 }),
    { instanceOf: CheckoutTimeoutError, message: /got no worker within 50 ms/ },
  );
  await t.throwsAsync(pool.transaction(() => (ran = true), { timeoutMs: 0 }), { instanceOf: CheckoutTimeoutError });
  t.false(ran);
  t.like(await pool.status(), { state: 'full', idle: 0, checkedOut: 1, waiting: 0 });
  await checkin(system, c, w);
  t.like(await pool.status(), { state: 'ready', idle: 1, checkedOut: 0, waiting: 0 });
  t.deepEqual(await live(pool), [w], 'the same worker');
  t.is(await pool.transaction((x) => call(x, { type: 'double', n: 4 }), { timeoutMs: 0 }), 8, 'timeoutMs 0 with an idle worker is served');
  await stopPool(pool);
});
