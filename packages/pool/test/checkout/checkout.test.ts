// The checkout semantics beyond poolboy's list: its open issues (#70, #30/#49, #122), maxWaiting,
// maxLeaseMs, leases (`await using`, double checkin), transaction's dismissOn, and option errors.
import test from 'ava';
import { call, CallTimeoutError, childSpec, InvalidOptionError, type ActorRef } from '@arbor/core';
import { CheckoutAbortedError, CheckoutTimeoutError, LeaseEndedError, PoolFullError, WorkerStartFailedError, type CheckoutPool, type CheckoutPoolOptions } from '../../src/index.js';
import { client, kill, liveWorkers, ownerMonitors, settled, started } from '../support/clients.js';
import { poolRig, type W } from '../support/rig.js';
import { Doubler, failing, Flaky, waitFor } from '../support/workers.js';

const TREE = 'checkout';
const rig = poolRig(test, TREE);
const { system, newPool } = rig;

const live = (pool: CheckoutPool<unknown>) => liveWorkers(system, TREE, pool.name);
const ids = async (pool: CheckoutPool<unknown>) => (await live(pool)).map((w) => w.id).sort();
const tick = () => new Promise<void>((r) => setImmediate(r));

test('poolboy #70: a checkout aborted in the same tick its worker is checked in never keeps the worker', async (t) => {
  const pool = await newPool(1, 0);
  const workers = await ids(pool);
  const rounds = 40;
  let aborted = 0;
  let served = 0;
  for (let i = 0; i < rounds; i++) {
    const holder = await pool.checkout();
    const ac = new AbortController();
    const p = pool.checkout({ signal: ac.signal, timeoutMs: Infinity });
    await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
    // Even rounds: the checkin reaches the manager first, so its reply (the worker) crosses the
    // cancel on the way; odd rounds: the cancel first.
    if (i % 2 === 0) {
      holder.checkin();
      ac.abort('gave up');
    } else {
      ac.abort('gave up');
      holder.checkin();
    }
    const r = await p.then((lease) => lease, (e: unknown) => e);
    if (r instanceof CheckoutAbortedError) aborted++;
    else served++;
    t.like(await pool.status(), { idle: 1, checkedOut: 0, waiting: 0 }, `round ${i}`);
  }
  t.is(aborted, rounds, 'an aborted checkout rejects, also when its worker was already on the way');
  t.is(served, 0);
  t.deepEqual(await ids(pool), workers, 'the worker was given back, not dismissed');
  t.is((await ownerMonitors(system, TREE, pool)).length, 0);
  await rig.pools.stopPool(pool.name);
});

test('poolboy #70: checkouts timing out while workers are checked in: every one settles, after quiescence idle == size', async (t) => {
  const pool = await newPool(2, 1);
  const holders = await Promise.all([pool.checkout(), pool.checkout(), pool.checkout()]);
  const outcomes: Promise<string>[] = [];
  for (let i = 0; i < 30; i++) {
    outcomes.push(pool.checkout({ timeoutMs: i % 5 }).then((lease) => (lease.checkin(), 'ok'), (e: { code: string }) => e.code));
    if (i % 10 === 9) holders.pop()?.checkin();
    await tick();
  }
  const codes = await Promise.all(outcomes);
  t.true(codes.every((c) => c === 'ok' || c === 'checkout_timeout'), codes.join());
  t.true(codes.includes('checkout_timeout'));
  for (const h of holders) h.checkin();
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 2, overflow: 0, checkedOut: 0, waiting: 0 });
  await rig.pools.stopPool(pool.name);
});

test('overflow workers linger overflowIdleMs after their checkin, then stop (poolboy #30, #49)', async (t) => {
  const pool = await newPool(1, 1, { overflowIdleMs: 1_000 });
  const l1 = await pool.checkout();
  const l2 = await pool.checkout();
  const both = [l1.worker, l2.worker];
  t.like(await pool.status(), { overflow: 1, checkedOut: 2 });
  l1.checkin();
  l2.checkin();
  t.like(await pool.status(), { state: 'ready', idle: 2, overflow: 1, checkedOut: 0 }, 'the surplus worker lingers, idle');
  t.true(both.every((w) => system.isAlive(w)));
  const again = await pool.checkout(); // lifo: the one checked in last, no start
  t.is(again.worker, both[1]!);
  t.like(await pool.status(), { idle: 1, checkedOut: 1, starting: 0 });
  again.checkin();
  await waitFor(async () => (await live(pool)).length === 1, 'the surplus worker to stop');
  t.like(await pool.status(), { idle: 1, overflow: 0, checkedOut: 0, starting: 0 });
  t.is(both.filter((w) => system.isAlive(w)).length, 1, 'one stopped (the one idle longest), size stay');

  const fast = await newPool(1, 1); // overflowIdleMs 0 (poolboy's): the checked-in surplus worker stops at once
  const f1 = await fast.checkout();
  const f2 = await fast.checkout();
  const f2w = f2.worker;
  f2.checkin();
  t.like(await fast.status(), { idle: 0, overflow: 0, checkedOut: 1 });
  await waitFor(() => !system.isAlive(f2w), 'the surplus worker to stop');
  f1.checkin();
  await rig.pools.stopPool(pool.name);
  await rig.pools.stopPool(fast.name);
});

test('maxWaiting: a blocking checkout past it rejects with PoolFullError, a non-blocking one answers full', async (t) => {
  const pool = await newPool(1, 0, { maxWaiting: 1 });
  const held = await pool.checkout();
  const hw = held.worker;
  const waiting = pool.checkout({ timeoutMs: Infinity });
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  const e = await t.throwsAsync(pool.checkout(), { instanceOf: PoolFullError });
  t.is(e?.code, 'pool_full');
  t.regex(e!.message, /has 1 checkouts waiting already \(maxWaiting\); retry later, or raise \{ maxWaiting \}/);
  t.is(await pool.checkout({ block: false }), 'full');
  held.checkin();
  const got = await waiting;
  t.is(got.worker, hw, 'the waiter got the worker checked in');
  t.like(await pool.status(), { checkedOut: 1, waiting: 0 });
  await rig.pools.stopPool(pool.name);
});

test('maxLeaseMs: a lease held too long is revoked, its worker killed and replaced', async (t) => {
  const pool = await newPool(1, 0, { maxLeaseMs: 100 });
  const lease = await pool.checkout();
  const w = lease.worker;
  await waitFor(() => !system.isAlive(w), 'the revoked worker to be killed');
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 1, checkedOut: 0 });
  const [replacement] = await live(pool);
  t.not(replacement, w);
  await t.throwsAsync(call(w, { type: 'double', n: 1 }), { code: 'noproc' } as never);
  lease.checkin(); // too late: a no-op at the pool
  t.like(await pool.status(), { idle: 1, checkedOut: 0 });
  t.true(system.isAlive(replacement!));
  await rig.pools.stopPool(pool.name);
});

test.serial('a worker that fails to start fails that checkout, the pool stays up, starts back off, and it recovers (poolboy #122, generic-pool #175)', async (t) => {
  failing.on = false;
  const pool = await started(rig.pools.startPool({ name: 'flaky', worker: childSpec(Flaky, undefined), size: 1, maxOverflow: 1, startBackoff: { initialMs: 20, maxMs: 100 } }));
  const manager = pool.manager!;
  const held = await pool.checkout();
  failing.on = true;
  const e = await t.throwsAsync(pool.checkout({ timeoutMs: 5_000 }), { instanceOf: WorkerStartFailedError });
  t.is(e?.code, 'start_failed');
  t.regex(e!.message, /could not start a worker \(1 failed start in a row\)/);
  t.true(system.isAlive(manager), 'the pool stayed up');
  t.like(await pool.status(), { checkedOut: 1, waiting: 0 });

  // The size worker dies: the pool keeps trying to replace it, backing off (20 ms doubling to 100 ms).
  await kill(system, held.worker as ActorRef);
  const from = failing.starts;
  const t0 = Date.now();
  await new Promise((r) => setTimeout(r, 1_000));
  const starts = failing.starts - from;
  const window = Date.now() - t0;
  t.true(starts >= 3, `it retried (${starts} starts in ${window} ms)`);
  t.true(starts <= Math.ceil(window / 20) + 1, `bounded by the back-off, not spinning (${starts} starts in ${window} ms)`);
  t.is(await pool.checkout({ block: false }), 'full', 'backing off: nothing is coming');
  const waiting = await t.throwsAsync(pool.checkout({ timeoutMs: 5_000 }), { instanceOf: WorkerStartFailedError }, 'a waiter is rejected by the next failed start, not left hanging');
  t.true(waiting!.failures > 1);
  t.true(system.isAlive(manager));

  failing.on = false;
  await waitFor(async () => (await pool.status()).idle === 1, 'the pool to recover', 10_000);
  t.is(await pool.transaction((w) => call(w as W, { type: 'double', n: 21 })), 42);
  t.is(pool.manager, manager, 'the same manager all along: no restart');
  await rig.pools.stopPool(pool.name);
});

test('`await using lease = await pool.checkout()` checks the worker in at the end of the block', async (t) => {
  const pool = await newPool(1, 0);
  let inside: W | undefined;
  {
    await using lease = await pool.checkout();
    inside = lease.worker;
    t.like(await pool.status(), { idle: 0, checkedOut: 1 });
  }
  t.like(await pool.status(), { idle: 1, checkedOut: 0 });
  t.true(system.isAlive(inside));
  {
    using lease = await pool.checkout();
    t.is(lease.worker, inside);
  }
  t.like(await pool.status(), { idle: 1, checkedOut: 0 });
  await rig.pools.stopPool(pool.name);
});

test("a lease's second checkin is a no-op, and lease.worker then throws LeaseEndedError", async (t) => {
  const pool = await newPool(2, 0);
  const lease = await pool.checkout();
  t.true(lease.active);
  t.true(lease.checkin());
  t.false(lease.checkin());
  t.false(lease.dismiss('late'));
  t.false(lease.active);
  const e = t.throws(() => lease.worker, { instanceOf: LeaseEndedError });
  t.is(e?.code, 'lease_ended');
  t.like(await pool.status(), { idle: 2, checkedOut: 0, starting: 0 }, 'checked in once, not dismissed');
  const [a, b] = await Promise.all([pool.checkout(), pool.checkout()]);
  t.not(a.worker, b.worker, 'no worker is handed out twice');
  t.is(await pool.checkout({ block: false }), 'full');
  await rig.pools.stopPool(pool.name);
});

test("transaction dismisses the worker when fn's error is a worker timeout, and checks it in after an ordinary error", async (t) => {
  const pool = await newPool(1, 0);
  const [w] = await live(pool);
  await t.throwsAsync(pool.transaction((x) => call(x, { type: 'sleep', ms: 5_000 }, { timeout: 20 })), { instanceOf: CallTimeoutError });
  await waitFor(() => !system.isAlive(w!), 'the timed-out worker to be dismissed');
  await settled(system, TREE, pool);
  const [replacement] = await live(pool);
  t.not(replacement, w);
  await t.throwsAsync(pool.transaction(() => Promise.reject(new Error('bad input'))), { message: 'bad input' });
  t.like(await pool.status(), { idle: 1, checkedOut: 0, starting: 0 });
  t.deepEqual(await live(pool), [replacement], 'an ordinary error checks the worker in');
  await t.throwsAsync(pool.transaction(() => Promise.reject(new Error('broken')), { dismissOn: () => true }));
  await waitFor(() => !system.isAlive(replacement!), 'dismissOn: () => true dismisses');
  await rig.pools.stopPool(pool.name);
});

test('an owner that dies while its checkout waits: the waiter leaves the queue and the checkout settles', async (t) => {
  const pool = await newPool(1, 0);
  const held = await pool.checkout();
  const owner = await client(system, pool);
  const p = pool.checkout({ owner, timeoutMs: Infinity });
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  await kill(system, owner);
  await t.throwsAsync(p, { instanceOf: CheckoutAbortedError });
  t.like(await pool.status(), { waiting: 0, checkedOut: 1 });
  held.checkin();
  t.like(await pool.status(), { idle: 1, checkedOut: 0 });
  await rig.pools.stopPool(pool.name);
});

test('bad options are InvalidOptionError naming the option and the fix', async (t) => {
  const w = childSpec(Doubler, undefined);
  const bad = (o: unknown) => rig.pools.startPool(o as CheckoutPoolOptions);
  await t.throwsAsync(bad({ name: 'x', worker: w, size: -1 }), { instanceOf: InvalidOptionError, message: /^startPool: size must be an integer from 0 to 100000, got: -1 \(number\)$/ });
  await t.throwsAsync(bad({ name: 'x', worker: w, strategy: 'random' }), { instanceOf: InvalidOptionError, message: /^startPool: strategy must be 'lifo' or 'fifo', got: .*random/ });
  await t.throwsAsync(bad({ name: 'x', worker: 5 }), { instanceOf: InvalidOptionError, message: /^startPool: worker must be a worker profile .*childSpec\(Behaviour, arg\).*got: 5 \(number\)$/ });
  await t.throwsAsync(bad({ name: 'x', worker: w, maxOverflw: 2 }), { instanceOf: InvalidOptionError, message: /startPool: option "maxOverflw" must be one of .*\(did you mean maxOverflow\?\)/ });
  await t.throwsAsync(bad({ name: 'has space', worker: w }), { instanceOf: InvalidOptionError, message: /startPool: name/ });
  await t.throwsAsync(bad({ name: 'x', worker: w, checkoutTimeoutMs: -5 }), { instanceOf: InvalidOptionError, message: /startPool: checkoutTimeoutMs/ });
  const pool = await newPool(1, 0);
  await t.throwsAsync(pool.checkout({ timeoutMs: -1 }), { instanceOf: InvalidOptionError, message: /checkout: timeoutMs must be an integer number of milliseconds/ });
  await t.throwsAsync(pool.checkout({ blok: false } as never), { instanceOf: InvalidOptionError, message: /did you mean block\?/ });
  // Durations follow core's one timeout rule, and a non-ref owner core's one ref message.
  await t.throwsAsync(bad({ name: 'x', worker: w, overflowIdleMs: 2 ** 31 }), { instanceOf: InvalidOptionError, message: /^startPool: overflowIdleMs must be an integer number of milliseconds from 0 to 2147483647, got: 2147483648/ });
  await t.throwsAsync(bad({ name: 'x', worker: w, maxLeaseMs: 0.5 }), { instanceOf: InvalidOptionError, message: /^startPool: maxLeaseMs must be an integer number of milliseconds from 1 to 2147483647, or Infinity to wait forever, got: 0\.5/ });
  await t.throwsAsync(pool.checkout({ owner: { id: 'x' } } as never), { instanceOf: InvalidOptionError, message: /^checkout: owner must be an ActorRef returned by spawn, or null for none, got: an object/ });
  t.false(rig.pools.names().includes('x'), 'no bad definition started anything');
  await rig.pools.stopPool(pool.name);
});

test('a checkout that times out rejects with CheckoutTimeoutError naming the pool and the fix', async (t) => {
  const pool = await newPool(1, 0, { checkoutTimeoutMs: 30 });
  const held = await pool.checkout();
  const e = await t.throwsAsync(pool.checkout(), { instanceOf: CheckoutTimeoutError });
  t.is(e?.code, 'checkout_timeout');
  t.regex(e!.message, new RegExp(`pool "${pool.name}" got no worker within 30 ms; raise \\{ timeoutMs \\}`));
  held.checkin();
  t.like(await pool.status(), { idle: 1, waiting: 0 });
  await rig.pools.stopPool(pool.name);
});

test('stopping a pool rejects its waiting checkouts with PoolStoppedError; its leases end with it', async (t) => {
  const pool = await newPool(1, 0);
  const held = await pool.checkout();
  const w = held.worker;
  const waiting = pool.checkout({ timeoutMs: Infinity });
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  t.is(await rig.pools.stopPool(pool.name), 'ok');
  await t.throwsAsync(waiting, { code: 'pool_stopped' } as never);
  t.false(system.isAlive(w));
  t.true(held.checkin(), 'a checkin after the stop is harmless');
  await t.throwsAsync(pool.checkout(), { code: 'pool_stopped', message: /is not running; start it with pools.startPool/ } as never);
});

test('an idle worker that dies is replaced; an idle surplus worker that dies is not', async (t) => {
  const pool = await newPool(2, 1, { overflowIdleMs: 60_000 });
  const [a] = await live(pool);
  await kill(system, a!);
  await settled(system, TREE, pool);
  t.like(await pool.status(), { idle: 2, overflow: 0 });
  t.false((await live(pool)).includes(a!));
  const leases = await Promise.all([pool.checkout(), pool.checkout(), pool.checkout()]);
  const surplus = leases[2]!.worker;
  for (const l of leases) l.checkin();
  t.like(await pool.status(), { idle: 3, overflow: 1 }, 'the surplus worker lingers');
  await kill(system, surplus);
  t.like(await pool.status(), { idle: 2, overflow: 0, starting: 0 });
  t.is((await live(pool)).length, 2);
  await rig.pools.stopPool(pool.name);
});

test("onOwnerDown 'checkin': the dead owner's worker goes to the first waiter", async (t) => {
  const pool = await newPool(1, 0, { onOwnerDown: 'checkin' });
  const owner = await client(system, pool);
  const r = await system.call(owner, { type: 'checkout' });
  const w = r !== 'full' && r.ok ? r.worker : undefined;
  const waiting = pool.checkout({ timeoutMs: Infinity });
  await waitFor(async () => (await pool.status()).waiting === 1, 'the checkout to wait');
  await kill(system, owner);
  const lease = await waiting;
  t.truthy(w);
  t.is(lease.worker as unknown, w);
  t.like(await pool.status(), { idle: 0, checkedOut: 1, waiting: 0 });
  lease.checkin();
  await rig.pools.stopPool(pool.name);
});

test.serial('a pool with size 0 whose starts fail rejects each waiter with WorkerStartFailedError, never hangs', async (t) => {
  failing.on = false;
  const pool = await started(rig.pools.startPool({ name: 'flaky0', worker: childSpec(Flaky, undefined), size: 0, maxOverflow: 2, startBackoff: { initialMs: 10, maxMs: 40 } }));
  failing.on = true;
  const results = await Promise.allSettled([pool.checkout(), pool.checkout(), pool.checkout()]);
  t.true(results.every((r) => r.status === 'rejected' && r.reason instanceof WorkerStartFailedError), results.map((r) => r.status).join());
  t.like(await pool.status(), { idle: 0, checkedOut: 0, waiting: 0 });
  failing.on = false;
  const lease = await pool.checkout({ timeoutMs: 5_000 });
  t.is(await call(lease.worker as W, { type: 'double', n: 2 }), 4);
  lease.checkin();
  await rig.pools.stopPool(pool.name);
});

test.serial('a pool whose first workers fail to start answers error with PoolStartError, and leaves nothing running', async (t) => {
  failing.on = true;
  const before = failing.starts;
  const r = await rig.pools.startPool({ name: 'flaky-start', worker: childSpec(Flaky, undefined), size: 2 });
  failing.on = false;
  t.is(r.status, 'error');
  if (r.status !== 'error') return;
  t.is(r.reason.code, 'pool_start_failed');
  t.regex(r.reason.message, /pool "flaky-start" failed to start: .*cannot connect/);
  t.is(failing.starts - before, 2, 'the two starts, no retry loop');
  t.is(rig.pools.whereis('flaky-start'), undefined);
  t.false(rig.pools.names().includes('flaky-start'));
  t.is((await rig.pools.startPool({ name: 'flaky-start', worker: childSpec(Flaky, undefined), size: 2 })).status, 'started', 'the name is free again');
  await rig.pools.stopPool('flaky-start');
});

test('maxWaiting bounds checkouts waiting for a checkin, not those a worker is starting for (maxWaiting: 0 with overflow room)', async (t) => {
  const pool = await newPool(1, 2, { maxWaiting: 0 });
  const a = await pool.checkout();
  const b = await pool.checkout(); // an overflow worker starts for it
  const c = await pool.checkout({ block: false });
  t.not(c, 'full', 'non-blocking: a worker may start, so it is no "full"');
  t.like(await pool.status(), { state: 'full', idle: 0, overflow: 2, checkedOut: 3, waiting: 0 });
  await t.throwsAsync(pool.checkout(), { instanceOf: PoolFullError }, 'none may start now: waiting is refused');
  t.is(await pool.checkout({ block: false }), 'full');
  for (const l of [a, b, c]) if (l !== 'full') l.checkin();
  t.like(await pool.status(), { idle: 1, overflow: 0, checkedOut: 0 });
  await rig.pools.stopPool(pool.name);
});
