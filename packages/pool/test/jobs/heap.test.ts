// Heap classes (a profile that caps: threadProfile.withHeapLimit): a job with its own
// maxHeapBytes runs alone on a worker of that class, started on demand within maxWorkers; an
// out-of-memory job fails as `oom` without harming the jobs of other workers.
import test from 'ava';
import { JobWorkerExitError } from '../../src/index.js';
import { jobRig, MiB, T, until } from '../support/jobs.js';

const rig = jobRig(test, 3);

test('a job with its own maxHeapBytes runs alone on a worker of that class, started on demand within maxWorkers', async (t) => {
  const pool = await rig.pool('heap', { minWorkers: 1, maxWorkers: 2, capacityPerWorker: 4, threadCapacity: 4, capped: true, queueTimeoutMs: Infinity });
  const dflt = await pool.run(T.threadId, []);
  const capped = [pool.run(T.threadIdAfter, [50], { maxHeapBytes: 64 * MiB }), pool.run(T.threadIdAfter, [50], { maxHeapBytes: 64 * MiB })];
  const plain = pool.run(T.threadIdAfter, [50]);
  t.true(pool.status().workers + pool.status().starting <= 2);
  const [c1, c2] = await Promise.all(capped);
  t.is(await plain, dflt, 'an uncapped job runs on the default worker');
  t.is(c1, c2, 'one worker of the class (maxWorkers 2): the second capped job waited for it, not shared it');
  t.not(c1, dflt);
  t.like(pool.status(), { running: 0, queued: 0, committedBytes: 0 });
});

test('a job of a new class when maxWorkers are taken: an idle worker of another class makes room', async (t) => {
  const pool = await rig.pool('heapRoom', { minWorkers: 1, maxWorkers: 1, capped: true, queueTimeoutMs: Infinity });
  const dflt = await pool.run(T.threadId, []);
  const c = await pool.run(T.threadId, [], { maxHeapBytes: 48 * MiB });
  t.not(c, dflt);
  t.is(await pool.run(T.add, [1, 2]), 3, 'and a default job gets a default worker back');
  await until(() => pool.status().workers <= 1 && pool.status().starting === 0, 'within maxWorkers');
});

test('an out-of-memory job fails as oom (JobWorkerExitError); a job on the default worker is untouched; the class worker is replaced on demand', async (t) => {
  const pool = await rig.pool('oom', { minWorkers: 1, maxWorkers: 2, capped: true });
  const neighbour = pool.run(T.threadIdAfter, [300]);
  const e = await t.throwsAsync(pool.run(T.hog, [], { maxHeapBytes: 32 * MiB }), { instanceOf: JobWorkerExitError });
  t.is(e?.code, 'oom');
  t.is(typeof (await neighbour), 'number');
  t.is(await pool.run(T.add, [2, 2], { maxHeapBytes: 32 * MiB }), 4);
  t.like(pool.status(), { running: 0, committedBytes: 0 });
});

test("a tenant's job with its own maxHeapBytes is capped in the shared pool too (it runs on a worker of that class there)", async (t) => {
  const shared = await rig.pool('heapShared', { minWorkers: 1, maxWorkers: 2, capped: true });
  const tenant = await rig.tenant('heapTenant', { delegateTo: shared.name, maxMemoryBytes: 256 * MiB });
  const dflt = await shared.run(T.threadId, []);
  t.is(await tenant.run(T.threadId, []), dflt, 'an uncapped tenant job: the default worker');
  const capped = await tenant.run(T.threadId, [], { maxHeapBytes: 48 * MiB });
  t.not(capped, dflt, 'a capped tenant job: a worker of its class');
  t.is(await shared.run(T.threadId, [], { maxHeapBytes: 48 * MiB }), capped, "the same class as the shared pool's own 48 MiB jobs");
});
