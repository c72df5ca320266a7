import test from 'ava';
import { createSystem } from '@arbor/core';
import { threadProfile } from '@arbor/worker-profiles';
import { defineTask, JobPool, JobRejectedError, TASK_WORKER_URL, taskFromSource } from '../../src/index.js';

const system = createSystem();
test.after.always(() => system.shutdown());
const tasks = new URL('../fixtures/tasks.js', import.meta.url);
const add = defineTask<[number, number], number>(tasks, 'add');
const sleep = defineTask<[number], number>(tasks, 'sleep');

test('a thread job pool runs module tasks and source tasks, kills by name', async (t) => {
  const pool = await JobPool.start(system, { name: 'smoke', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 2, maxWorkers: 2, capacityPerWorker: 4 });
  t.is(await pool.run(add, [1, 2]), 3);
  const many = await Promise.all(Array.from({ length: 1000 }, (_, i) => pool.run(add, [i, 1])));
  t.is(many[999], 1000);
  t.is(await pool.run(taskFromSource((n: number) => n * n), [7]), 49);
  const slow = pool.run(sleep, [10_000], { name: 'slow' });
  await new Promise((r) => setTimeout(r, 50));
  t.is(pool.kill('slow'), 1);
  await t.throwsAsync(slow, { code: 'killed' } as never);
  const ref = pool.async(sleep, [10]);
  if (ref instanceof JobRejectedError) return t.fail();
  t.is(await pool.await(ref), 10);
  t.like(pool.status(), { workers: 2, running: 0, queued: 0 });
});

test.serial('a second kill of a job being killed counts nothing and keeps the first kill\'s error', async (t) => {
  const pool = await JobPool.start(system, { name: 'smoke-kill', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 1, maxWorkers: 1, capacityPerWorker: 2 });
  const a = pool.run(sleep, [10_000], { name: 'job' });
  const b = pool.run(sleep, [10_000], { name: 'job' });
  t.is(pool.status().running, 2);
  t.is(pool.kill('job'), 2);
  t.is(pool.kill('job'), 0);
  t.is(pool.flush(new Error('later')), 0);
  for (const job of [a, b]) await t.throwsAsync(job, { code: 'killed', message: /user_killed/ } as never);
  t.like(pool.status(), { running: 0, killed: 2 });
});

test.serial('a tenant job with its own maxHeapBytes runs on a worker capped there in the pool it is delegated to', async (t) => {
  const MiB = 2 ** 20;
  const heapLimit = defineTask<[], number>(tasks, 'heapLimit');
  const shared = await JobPool.start(system, { name: 'smoke-shared', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 1, maxWorkers: 2 });
  const tenant = await JobPool.start(system, { name: 'smoke-tenant', delegateTo: 'smoke-shared', maxMemoryBytes: 64 * MiB });
  const uncapped = await shared.run(heapLimit, []);
  const capped = await tenant.run(heapLimit, [], { maxHeapBytes: 32 * MiB });
  t.true(capped < 128 * MiB, `the tenant job's worker has a heap limit of ${capped} bytes`);
  t.true(capped < uncapped / 4, `capped ${capped}, default ${uncapped}`);
  t.like(tenant.status(), { committedBytes: 0, completed: 1 });
  t.like(shared.status(), { committedBytes: 0, completed: 2 });
});

test('two JobPool.start calls at once on a fresh system share one pools tree', async (t) => {
  const fresh = createSystem();
  const [a, b] = await Promise.all([
    JobPool.start(fresh, { name: 'twin-a', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 1, maxWorkers: 1 }),
    JobPool.start(fresh, { name: 'twin-b', profile: threadProfile({ module: TASK_WORKER_URL }), minWorkers: 1, maxWorkers: 1 }),
  ]);
  t.is(await a.run(add, [1, 1]), 2);
  t.is(await b.run(add, [2, 2]), 4);
  await fresh.shutdown();
});
