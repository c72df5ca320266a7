// Job failures: the task's own error (WorkerTaskError with its stack), a worker that exits
// mid-job (JobWorkerExitError worker_exit, exit.reason 'exit'), the worker replaced
// (minWorkers holds) and later jobs run.
import test from 'ava';
import { WorkerTaskError } from '@arbor/worker-profiles';
import { JobWorkerExitError } from '../../src/index.js';
import { jobRig, T, until } from '../support/jobs.js';
import { taskThreads } from '../support/taskThreads.js';

const rig = jobRig(test, 3);

test("the task's own error rejects the job as WorkerTaskError with the task's stack; the worker serves on", async (t) => {
  const pool = await rig.pool('err', { minWorkers: 1, maxWorkers: 1 });
  const tid = await pool.run(T.threadId, []);
  const e = await t.throwsAsync(pool.run(T.fail, ['bad input']), { instanceOf: WorkerTaskError });
  t.is(e?.code, 'task_failed');
  t.regex(e!.message, /RangeError: bad input/);
  t.regex(e!.stack!, /in the worker[\s\S]*at fail \(.*fixtures\/tasks\.(js|ts)/);
  t.is(await pool.run(T.threadId, []), tid);
  t.like(pool.status(), { failed: 1, running: 0, committedBytes: 0 });
});

test('a worker that exits mid-job: JobWorkerExitError (worker_exit, exit.reason exit); it is replaced, minWorkers holds, later jobs run', async (t) => {
  const pool = await rig.pool('exit', { minWorkers: 2, maxWorkers: 2 });
  await until(() => pool.status().workers === 2, 'two workers');
  const tid = await pool.run(T.threadId, []);
  const e = await t.throwsAsync(pool.run(T.exit, [7], { maxHeapBytes: 10 }), { instanceOf: JobWorkerExitError });
  t.is(e?.code, 'worker_exit');
  t.is(e?.exit.reason, 'exit');
  t.is(e?.attempts, 1);
  t.like(pool.status(), { committedBytes: 0, running: 0 });
  const dead = taskThreads.find((r) => r.conn.threadId === tid);
  t.truthy(dead?.exit, 'the thread that ran it exited');
  await until(() => pool.status().workers === 2, 'the replacement');
  const tids = await Promise.all([pool.run(T.threadIdAfter, [50]), pool.run(T.threadIdAfter, [50])]);
  t.is(new Set(tids).size, 2, 'two workers run in parallel again');
  t.false(tids.includes(tid), 'the dead thread is not among them');
});

test('neighbours of an exiting job on a capacity-4 worker get JobWorkerExitError too; the replacement runs jobs', async (t) => {
  const pool = await rig.pool('exitn', { minWorkers: 1, maxWorkers: 1, capacityPerWorker: 4, threadCapacity: 4 });
  const n1 = pool.run(T.sleep, [10_000], { name: 'n' });
  const n2 = pool.run(T.sleep, [10_000], { name: 'n' });
  await t.throwsAsync(pool.run(T.exit, [1]), { instanceOf: JobWorkerExitError });
  t.like(await t.throwsAsync(n1, { instanceOf: JobWorkerExitError }), { code: 'worker_exit' });
  t.like(await t.throwsAsync(n2, { instanceOf: JobWorkerExitError }), { code: 'worker_exit' });
  await until(() => pool.status().workers === 1, 'the replacement');
  t.is(await pool.run(T.add, [1, 2]), 3);
});
