import test from 'ava';
import { call, childSpec, createSystem, GenServer, type ActorRef } from '@arbor/core';
import { Pools, PoolStoppedError } from '../../src/index.js';
import { Doubler, failing, Flaky, waitFor, type DoublerProtocol } from '../support/workers.js';

const system = createSystem();
test.after.always(() => system.shutdown());

const double = (w: ActorRef<DoublerProtocol>, n: number) => call(w, { type: 'double', n });

test.serial('a restarted pool whose workers cannot start stays up and backs off; the other pools are untouched', async (t) => {
  const pools = await Pools.start(system, { name: 'restart.a' });
  failing.on = false;
  const healthy = await pools.startPool({ name: 'healthy', worker: childSpec(Doubler, undefined), size: 2 });
  const flaky = await pools.startPool({ name: 'flaky', worker: childSpec(Flaky, undefined), size: 2, startBackoff: { initialMs: 20, maxMs: 200 } });
  if (healthy.status !== 'started' || flaky.status !== 'started') return t.fail('both pools start');
  failing.on = true;
  // Kill the flaky pool's manager more often than any intensity allows: each restart's worker starts fail.
  for (let i = 0; i < 12; i++) {
    await waitFor(() => flaky.pool.manager !== undefined, 'the flaky manager');
    system.exit(flaky.pool.manager!, 'kill');
    await new Promise((r) => setTimeout(r, 20));
  }
  const status = await flaky.pool.ready({ timeoutMs: 5_000 });
  t.is(status.idle, 0, 'no worker could start');
  t.is(status.state, 'full', 'backing off: nothing may start now');
  t.deepEqual(pools.names(), ['flaky', 'healthy'], 'no pool was lost');
  t.is(await healthy.pool.transaction((w) => double(w, 4)), 8);
  const nb = await flaky.pool.checkout({ block: false });
  t.is(nb, 'full');
  failing.on = false;
  await waitFor(async () => (await flaky.pool.status()).idle === 2, 'the flaky pool recovers once starts succeed');
  t.is(await flaky.pool.transaction((w) => double(w, 5)), 10);
  await pools.stop();
});

test.serial('a new pool whose first workers fail is not started: startPool answers error and leaves nothing running', async (t) => {
  const pools = await Pools.start(system, { name: 'restart.b' });
  failing.on = true;
  const r = await pools.startPool({ name: 'never', worker: childSpec(Flaky, undefined), size: 2 });
  failing.on = false;
  t.is(r.status, 'error');
  if (r.status === 'error') t.regex(r.reason.message, /pool "never" failed to start: .*cannot connect/);
  t.is(pools.whereis('never'), undefined);
  t.deepEqual(pools.names(), []);
  await pools.stop();
});

/** A worker that exits on its own a moment after each start (a bad deploy). */
const storm = { starts: 0 };
class DiesSoon extends GenServer<DoublerProtocol, undefined, undefined> {
  override init(): void {
    storm.starts++;
    setTimeout(() => this.stop(new Error('exits right after its start')), 2);
  }
}

test.serial('workers that keep dying on their own are replaced with back-off, not in a loop', async (t) => {
  const pools = await Pools.start(system, { name: 'restart.c' });
  const r = await pools.startPool({ name: 'storm', worker: childSpec(DiesSoon, undefined), size: 2, period: 1_000, startBackoff: { initialMs: 50, maxMs: 400 } });
  if (r.status !== 'started') return t.fail('the pool starts');
  const from = storm.starts;
  await new Promise((res) => setTimeout(res, 1_500));
  const starts = storm.starts - from;
  // Without back-off a 2 ms life would give hundreds of starts in 1.5 s; with it a handful per back-off step.
  t.true(starts > 2, `replacements keep being tried (${starts})`);
  t.true(starts < 60, `replacements back off (${starts} starts in 1.5 s)`);
  t.truthy(await r.pool.ready(), 'the pool itself stays up');
  await pools.stop();
});

test('ready() rejects with PoolStoppedError for a pool that does not come back', async (t) => {
  const pools = await Pools.start(system, { name: 'restart.d' });
  await t.throwsAsync(pools.pool('absent').ready({ timeoutMs: 50 }), { instanceOf: PoolStoppedError, message: /ready: pool "absent" is not running/ });
  await pools.stop();
});
