// CheckoutPool.start / CheckoutPool.of: a checkout pool in the system's default pools tree, like JobPool.start / JobPool.of.
import test from 'ava';
import { call, childSpec, createSystem, GenServer, InvalidOptionError, type ActorRef } from '@arbor/core';
import { CheckoutPool, PoolStartError, Pools } from '../../src/index.js';
import { Doubler, type DoublerProtocol } from '../support/workers.js';

class NeverStarts extends GenServer {
  override init(): void {
    throw new Error('cannot connect');
  }
}

const system = createSystem();
test.after.always(async () => {
  await Pools.of(system).stop();
  await system.shutdown();
});

test.serial('CheckoutPool.start starts the default pools tree and the pool; CheckoutPool.of reaches it by name', async (t) => {
  const pool = await CheckoutPool.start(system, { name: 'doublers', worker: childSpec(Doubler, undefined), size: 2 });
  t.is(pool.name, 'doublers');
  t.is(await pool.transaction((w) => call(w, { type: 'double', n: 21 })), 42);
  t.deepEqual(Pools.of(system).names(), ['doublers']);
  t.like(await pool.status(), { size: 2 });

  const same = CheckoutPool.of<ActorRef<DoublerProtocol>>(system, 'doublers');
  t.is(same.ref, pool.ref);
  t.is(await same.transaction((w) => call(w, { type: 'double', n: 4 })), 8);

  // A pool of that name that runs already is answered as is.
  const again = await CheckoutPool.start(system, { name: 'doublers', worker: childSpec(Doubler, undefined), size: 5 });
  t.is(again.ref, pool.ref);
  t.like(await again.status(), { size: 2 });
});

test.serial('CheckoutPool.start rejects with PoolStartError when its first workers fail, and leaves no pool', async (t) => {
  const e = await t.throwsAsync(CheckoutPool.start(system, { name: 'broken', worker: childSpec(NeverStarts, undefined), size: 1 }), { instanceOf: PoolStartError });
  t.regex(e!.message, /pool "broken" failed to start: .*cannot connect/);
  t.false(Pools.of(system).names().includes('broken'));
});

test('CheckoutPool.start and CheckoutPool.of check their system', async (t) => {
  await t.throwsAsync(CheckoutPool.start({} as never, { name: 'x', worker: childSpec(Doubler, undefined) }), { instanceOf: InvalidOptionError });
  t.throws(() => CheckoutPool.of({} as never, 'x'), { instanceOf: InvalidOptionError });
});

// Type tests: the handle is typed by the pool's worker.
async function compileOnly(): Promise<void> {
  const pool = await CheckoutPool.start(system, { name: 'doublers', worker: childSpec(Doubler, undefined) });
  const n: number = await pool.transaction((w) => call(w, { type: 'double', n: 1 }));
  void n;
  // @ts-expect-error Doubler has no 'triple' request
  await pool.transaction((w) => call(w, { type: 'triple', n: 1 }));
  // @ts-expect-error the options need a worker
  await CheckoutPool.start(system, { name: 'x' });
}
void compileOnly;
