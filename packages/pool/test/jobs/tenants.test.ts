// Tenant pools (delegateTo, no profile): a tenant admits against its own budget and maxWorkers,
// then the shared pool admits with the same deadline; both release at the end; kills at the
// tenant reach the job in the parent; a delegateTo function routes by job name.
import test from 'ava';
import { InsufficientMemoryError, JobKilledError, JobRejectedError, JobPoolStoppedError, JobTimeoutError, QueueFullError } from '../../src/index.js';
import { delay, jobRig, noteFile, T, until } from '../support/jobs.js';

const rig = jobRig(test, 2);

test('a tenant admits against its own budget and maxWorkers, then the shared pool against its; both release at the end', async (t) => {
  const shared = await rig.pool('shared', { minWorkers: 2, maxWorkers: 2, capacityPerWorker: 2, threadCapacity: 2, maxMemoryBytes: 100, queueTimeoutMs: Infinity });
  const tenant = await rig.tenant('tenant', { delegateTo: shared.name, maxWorkers: 1, maxMemoryBytes: 60, maxQueue: 1, queueTimeoutMs: Infinity });
  const own = await t.throwsAsync(tenant.run(T.add, [1, 1], { maxHeapBytes: 61 }), { instanceOf: InsufficientMemoryError });
  t.like(own, { pool: tenant.name, never: true });
  const a = tenant.run(T.sleep, [10_000], { name: 'a', maxHeapBytes: 50 });
  t.like(tenant.status(), { running: 1, committedBytes: 50 });
  t.like(shared.status(), { running: 1, committedBytes: 50 });
  await t.throwsAsync(tenant.run(T.add, [1, 1], { maxHeapBytes: 20 }), { instanceOf: InsufficientMemoryError, message: new RegExp(tenant.name) });
  const b = tenant.run(T.add, [2, 3], { maxHeapBytes: 10 }); // the tenant's one slot is taken: it queues at the tenant
  t.like(tenant.status(), { running: 1, queued: 1, committedBytes: 60 });
  t.like(shared.status(), { running: 1, queued: 0, committedBytes: 50 });
  await t.throwsAsync(tenant.run(T.add, [1, 1]), { instanceOf: QueueFullError, message: new RegExp(tenant.name) });
  // the shared pool's own budget: another tenant's job that fits its tenant but not the shared pool
  const big = await rig.tenant('big', { delegateTo: shared.name, maxMemoryBytes: 1_000 });
  const parentSays = await t.throwsAsync(big.run(T.add, [1, 1], { maxHeapBytes: 70 }), { instanceOf: InsufficientMemoryError });
  t.like(parentSays, { pool: shared.name, never: false });
  t.is(big.status().committedBytes, 0, 'the tenant released what the parent refused');
  t.is(tenant.kill('a'), 1);
  await t.throwsAsync(a, { instanceOf: JobKilledError });
  t.is(await b, 5);
  for (const p of [tenant, big, shared]) t.like(p.status(), { running: 0, queued: 0, committedBytes: 0 });
});

test('the shared pool admits with the same deadline: a job queued at its tenant for most of its timeoutMs gets only the rest', async (t) => {
  const notes = noteFile();
  const shared = await rig.pool('sharedDl', { minWorkers: 1, maxWorkers: 2, queueTimeoutMs: Infinity });
  const tenant = await rig.tenant('tenantDl', { delegateTo: shared.name, maxWorkers: 1, queueTimeoutMs: Infinity });
  const hold = tenant.run(T.sleep, [10_000], { name: 'hold' });
  // 2000 ms in all; 1000 of them queued at the tenant; the run needs 1800: only ~1000 are left for it.
  const x = tenant.run(T.note, [notes.file, 'x', 1_800], { timeoutMs: 2_000 });
  await delay(1_000);
  tenant.kill('hold');
  await t.throwsAsync(hold, { instanceOf: JobKilledError });
  await t.throwsAsync(x, { instanceOf: JobTimeoutError });
  t.true(notes.has('start x'), 'it ran in the shared pool');
  await until(() => notes.has('abort x'), 'cancelled there');
  for (const p of [tenant, shared]) await until(() => p.status().running === 0 && p.status().committedBytes === 0, `${p.name} released`);
});

test('kill by name, killRef and flush at the tenant reach the job running in the parent (its task is cancelled); kill by name at the parent too', async (t) => {
  const notes = noteFile();
  const shared = await rig.pool('sharedK', { minWorkers: 2, maxWorkers: 2, capacityPerWorker: 2, threadCapacity: 2, queueTimeoutMs: Infinity });
  const tenant = await rig.tenant('tenantK', { delegateTo: shared.name, maxWorkers: 4, queueTimeoutMs: Infinity });
  const named = tenant.run(T.note, [notes.file, 'named', 10_000], { name: 'n' });
  const ref = tenant.async(T.note, [notes.file, 'ref', 10_000]);
  const flushed = tenant.run(T.note, [notes.file, 'flushed', 10_000], { name: 'f' });
  if (ref instanceof JobRejectedError) return t.fail();
  await until(() => ['named', 'ref', 'flushed'].every((x) => notes.has(`start ${x}`)), 'all running in the shared pool');
  t.is(tenant.kill('n'), 1);
  t.is(tenant.kill('n'), 0, 'killed once');
  t.like(await t.throwsAsync(named, { instanceOf: JobKilledError }), { reason: 'user_killed' });
  t.true(tenant.killRef(ref));
  await t.throwsAsync(tenant.await(ref), { instanceOf: JobKilledError });
  t.is(tenant.flush(), 1);
  await t.throwsAsync(flushed, { instanceOf: JobKilledError });
  await until(() => ['named', 'ref', 'flushed'].every((x) => notes.has(`abort ${x}`)), 'each cancelled in its worker');
  await until(() => shared.status().running === 0, 'the shared pool is free');
  t.like(tenant.status(), { running: 0, committedBytes: 0 });
  // the parent's job carries the tenant job's name: kill(name) at the parent reaches it too
  const viaParent = tenant.run(T.note, [notes.file, 'p', 10_000], { name: 'p' });
  await until(() => notes.has('start p'), 'p running');
  t.is(shared.kill('p'), 1);
  t.is(tenant.kill('p'), 0, 'killed in the parent already: the tenant kills nothing more');
  t.like(await t.throwsAsync(viaParent, { instanceOf: JobKilledError }), { pool: shared.name });
  await until(() => tenant.status().running === 0 && shared.status().running === 0, 'both free');
});

test('a delegateTo function routes by job name; a target that is not running rejects with JobPoolStoppedError (pool_stopped)', async (t) => {
  const sa = await rig.pool('sa', { minWorkers: 1, maxWorkers: 1 });
  const sb = await rig.pool('sb', { minWorkers: 1, maxWorkers: 1 });
  const router = await rig.tenant('router', { delegateTo: (job) => (job.name?.startsWith('a') ? sa.name : job.name?.startsWith('b') ? sb.name : 'nowhere'), maxWorkers: 4 });
  t.is(await router.run(T.add, [1, 1], { name: 'a1' }), 2);
  t.is(await router.run(T.add, [1, 2], { name: 'a2' }), 3);
  t.is(await router.run(T.add, [1, 3], { name: 'b1' }), 4);
  t.is(sa.status().completed, 2);
  t.is(sb.status().completed, 1);
  await t.throwsAsync(router.run(T.add, [1, 1], { name: 'c' }), { instanceOf: JobPoolStoppedError, code: 'pool_stopped' } as never);
  t.like(router.status(), { running: 0, committedBytes: 0 });
});
