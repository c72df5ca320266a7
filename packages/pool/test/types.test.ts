// What a pool hands out is typed by its worker: the compiler (tsc over test/) is the check here;
// each @ts-expect-error fails the build if the line compiles. The runtime parts run for real.
import test from 'ava';
import { call, childSpec, createSystem, type ActorRef } from '@arbor/core';
import type { WorkerHandle } from '@arbor/worker-profiles';
import { Pools, type CheckoutPool, type Lease, type WorkerOf } from '../src/index.js';
import type { Api } from './fixtures/poolWorker.js';
import { started } from './support/clients.js';
import { allThreadsExited, trackedThreadProfile } from './support/threads.js';
import { Doubler, type DoublerProtocol } from './support/workers.js';

type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
const assertType = <T extends true>(_ok: T): void => undefined;

const system = createSystem();
let pools: Pools;
test.before(async () => {
  pools = await Pools.start(system, { name: 'types' });
});
test.after.always(async (t) => {
  await pools.stop();
  await system.shutdown();
  t.true(await allThreadsExited(), 'every worker thread exited');
});

test('a pool of threadProfile<Api> hands out WorkerHandle<Api>: requests are typed by the API', async (t) => {
  const r = await pools.startPool({ name: 'typed-threads', worker: trackedThreadProfile(), size: 1 });
  if (r.status === 'error') return t.fail(r.reason.message);
  assertType<Equal<typeof r.pool, CheckoutPool<WorkerHandle<Api>>>>(true);
  const lease = await r.pool.checkout();
  assertType<Equal<typeof lease, Lease<WorkerHandle<Api>>>>(true);
  const sum = await lease.worker.request('add', { a: 1, b: 2 });
  assertType<Equal<typeof sum, number>>(true);
  t.is(sum, 3);
  // @ts-expect-error: 'nope' is not a method of Api
  await t.throwsAsync(lease.worker.request('nope', 1));
  // @ts-expect-error: add takes { a, b }, not a string
  await t.notThrowsAsync(lease.worker.request('add', 'one').catch(() => undefined));
  lease.checkin();
  const maybe = await r.pool.checkout({ block: false });
  assertType<Equal<typeof maybe, Lease<WorkerHandle<Api>> | 'full'>>(true);
  if (maybe !== 'full') maybe.checkin();
  await pools.stopPool('typed-threads');
});

test('a pool of childSpec(Doubler) hands out ActorRef<DoublerProtocol>; transaction infers its result', async (t) => {
  const pool = await started(pools.startPool({ name: 'typed-actors', worker: childSpec(Doubler, undefined), size: 1 }));
  assertType<Equal<typeof pool, CheckoutPool<ActorRef<DoublerProtocol>>>>(true);
  assertType<Equal<WorkerOf<ReturnType<typeof childSpec<Doubler>>>, ActorRef<DoublerProtocol>>>(true);
  const doubled = await pool.transaction((w) => call(w, { type: 'double', n: 21 }));
  assertType<Equal<typeof doubled, number>>(true);
  t.is(doubled, 42);
  const label = await pool.transaction(async (w, lease) => `${lease.pool}:${w.id.length > 0}`);
  assertType<Equal<typeof label, string>>(true);
  t.is(label, 'typed-actors:true');
  // @ts-expect-error: 'triple' is not a call of DoublerProtocol
  const tripled: unknown = await pool.transaction((w) => call(w, { type: 'triple', n: 1 }));
  t.is(tripled, 2, 'Doubler doubles anything it is sent: only the compiler refuses the call');
  // @ts-expect-error: double takes { n: number }
  const wrong: unknown = await pool.transaction((w) => call(w, { type: 'double', m: 1 }));
  t.true(Number.isNaN(wrong));
  await pools.stopPool('typed-actors');
});
