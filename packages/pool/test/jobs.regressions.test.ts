// Job pool bugs the chaos run (jobs.chaos.test.ts) found, each as the smallest real case.
import test from 'ava';
import { createSystem } from '@arbor/core';
import { threadProfile } from '@arbor/worker-profiles';
import { defineTask, JobPool, JobWorkerExitError, TASK_WORKER_URL } from '../src/index.js';
import { tracked, type TrackedConn } from './support/tracked.js';

const system = createSystem();
const conns: TrackedConn[] = [];
test.after.always(async () => {
  await system.shutdown();
  if (conns.some((c) => c.exit === undefined)) throw new Error('a worker thread of this file did not exit');
});
const add = defineTask<[number, number], number>(new URL('./fixtures/tasks.js', import.meta.url), 'add');

test('a queued job failed by its heap class\'s failed worker start leaves the queue count at 0', async (t) => {
  const pool = await JobPool.start(system, { name: 'start-failed', profile: tracked(threadProfile({ module: TASK_WORKER_URL }), conns) });
  // A 1 MiB thread cannot even start (its heap is past the cap at start-up): the job fails with that start.
  await t.throwsAsync(pool.run(add, [1, 2], { maxHeapBytes: 2 ** 20 }), { instanceOf: JobWorkerExitError });
  t.like(pool.status(), { queued: 0, running: 0, committedBytes: 0 });
  t.is(await pool.run(add, [1, 2]), 3);
});
