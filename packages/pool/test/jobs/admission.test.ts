// Job pool admission, in order: the memory budget, worker capacity, the bounded queue, the
// queue timeout; onFull 'reject'; `async` returns a rejection; committed memory returns to 0.
// Real task-worker threads (test/fixtures/tasks.ts).
import test from 'ava';
import { InsufficientMemoryError, JobKilledError, JobRejectedError, NoWorkersError, QueueFullError, QueueTimeoutError } from '../../src/index.js';
import { jobRig, noteFile, T, until } from '../support/jobs.js';

const rig = jobRig(test, 4);

test('the memory budget: committed + maxHeapBytes <= maxMemoryBytes; larger than the whole budget is refused at once (never)', async (t) => {
  const pool = await rig.pool('mem', { minWorkers: 2, maxWorkers: 2, capacityPerWorker: 4, threadCapacity: 4, maxMemoryBytes: 100 });
  const never = await t.throwsAsync(pool.run(T.add, [1, 2], { maxHeapBytes: 101 }), { instanceOf: InsufficientMemoryError });
  t.is(never?.code, 'insufficient_memory');
  t.true(never?.never);
  t.like(never, { maxHeapBytes: 101, committedBytes: 0, maxMemoryBytes: 100 });
  const a = pool.run(T.sleep, [10_000], { name: 'hold', maxHeapBytes: 60 });
  t.is(pool.status().committedBytes, 60);
  const now = await t.throwsAsync(pool.run(T.add, [1, 2], { maxHeapBytes: 41 }), { instanceOf: InsufficientMemoryError });
  t.false(now?.never, 'it would fit an empty pool');
  t.like(now, { committedBytes: 60, maxMemoryBytes: 100 });
  const b = pool.run(T.sleep, [10_000], { name: 'hold', maxHeapBytes: 40 }); // exactly the budget
  t.is(pool.status().committedBytes, 100);
  t.is(await pool.run(T.add, [2, 3]), 5, 'a job declaring no heap commits 0 and still runs');
  t.is(pool.kill('hold'), 2);
  await t.throwsAsync(a, { instanceOf: JobKilledError });
  await t.throwsAsync(b, { instanceOf: JobKilledError });
  t.like(pool.status(), { committedBytes: 0, running: 0, queued: 0 });
  t.is(pool.status().rejected.insufficient_memory, 2);
  t.is(await pool.run(T.add, [1, 1], { maxHeapBytes: 100 }), 2);
  t.is(pool.status().committedBytes, 0);
});

test('defaultMaxHeapBytes is committed for a job that declares none; a failed or timed-out job releases it too', async (t) => {
  const pool = await rig.pool('dflt', { minWorkers: 1, maxWorkers: 1, maxMemoryBytes: 100, defaultMaxHeapBytes: 30, queueTimeoutMs: Infinity });
  const a = pool.run(T.sleep, [10_000], { name: 'a' });
  const b = pool.run(T.sleep, [10_000], { name: 'b' }); // queued: committed at admission
  t.like(pool.status(), { committedBytes: 60, running: 1, queued: 1 });
  await t.throwsAsync(pool.run(T.add, [1, 1], { maxHeapBytes: 41 }), { instanceOf: InsufficientMemoryError });
  pool.kill('a');
  await t.throwsAsync(a, { instanceOf: JobKilledError });
  await until(() => pool.status().running === 1 && pool.status().queued === 0, 'b running');
  t.is(pool.status().committedBytes, 30);
  pool.kill('b');
  await t.throwsAsync(b, { instanceOf: JobKilledError });
  await t.throwsAsync(pool.run(T.fail, ['boom']), { code: 'task_failed' } as never);
  await t.throwsAsync(pool.run(T.sleep, [10_000], { timeoutMs: 20 }), { code: 'timeout' } as never);
  t.like(pool.status(), { committedBytes: 0, running: 0, queued: 0 });
});

test('the memory budget comes before capacity and the queue; capacity before the queue (maxQueue 0 still runs a job a worker has room for)', async (t) => {
  const pool = await rig.pool('order', { minWorkers: 1, maxWorkers: 1, maxQueue: 0, maxMemoryBytes: 10 });
  t.is(await pool.run(T.add, [1, 2]), 3, 'a free worker takes it: the empty queue is not asked');
  const hold = pool.run(T.sleep, [10_000], { name: 'hold' });
  await t.throwsAsync(pool.run(T.add, [1, 2], { maxHeapBytes: 11 }), { instanceOf: InsufficientMemoryError }, 'budget first, though the queue is full too');
  await t.throwsAsync(pool.run(T.add, [1, 2]), { instanceOf: QueueFullError });
  pool.kill('hold');
  await t.throwsAsync(hold, { instanceOf: JobKilledError });
});

test('capacity, then the bounded queue: past maxQueue QueueFullError; queued jobs run in order once a worker frees', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('queue', { minWorkers: 1, maxWorkers: 1, maxQueue: 2, queueTimeoutMs: Infinity });
  const hold = pool.run(T.sleep, [10_000], { name: 'hold' });
  const q1 = pool.run(T.note, [notes.file, 'q1', 0]);
  const q2 = pool.run(T.note, [notes.file, 'q2', 0]);
  t.like(pool.status(), { running: 1, queued: 2 });
  const full = await t.throwsAsync(pool.run(T.add, [1, 2]), { instanceOf: QueueFullError });
  t.like(full, { code: 'queue_full', maxQueue: 2, pool: pool.name });
  t.regex(full!.message, /maxQueue/);
  t.is(pool.kill('hold'), 1);
  await t.throwsAsync(hold, { instanceOf: JobKilledError });
  t.deepEqual(await Promise.all([q1, q2]), ['q1', 'q2']);
  t.deepEqual(notes.lines(), ['start q1', 'end q1', 'start q2', 'end q2']);
  t.is(pool.status().rejected.queue_full, 1);
});

test('the queue timeout: QueueTimeoutError, and a job that timed out in the queue never runs later', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('qto', { minWorkers: 1, maxWorkers: 1, queueTimeoutMs: 30 });
  const hold = pool.run(T.note, [notes.file, 'hold', 10_000], { name: 'hold' });
  const late = pool.run(T.note, [notes.file, 'late', 0]);
  const e = await t.throwsAsync(late, { instanceOf: QueueTimeoutError });
  t.is(e?.code, 'queue_timeout');
  t.true(e instanceof JobRejectedError);
  t.like(pool.status(), { queued: 0, running: 1 });
  pool.kill('hold');
  await t.throwsAsync(hold, { instanceOf: JobKilledError });
  t.is(await pool.run(T.note, [notes.file, 'after', 0]), 'after');
  t.is(await pool.run(T.note, [notes.file, 'after2', 0]), 'after2');
  t.false(notes.lines().includes('start late'), notes.lines().join(', '));
  t.is(pool.status().rejected.queue_timeout, 1);
});

test("onFull 'reject': NoWorkersError at once when every worker is busy; a job a starting worker will take is queued", async (t) => {
  const pool = await rig.pool('rej', { minWorkers: 0, maxWorkers: 1, onFull: 'reject' });
  t.is(await pool.run(T.add, [2, 2]), 4, 'the first job waits for the worker the pool starts for it');
  const hold = pool.run(T.sleep, [10_000], { name: 'hold' });
  const e = await t.throwsAsync(pool.run(T.add, [1, 2]), { instanceOf: NoWorkersError });
  t.like(e, { code: 'no_workers', maxWorkers: 1 });
  t.is(pool.status().queued, 0);
  pool.kill('hold');
  await t.throwsAsync(hold, { instanceOf: JobKilledError });
  t.is(await pool.run(T.add, [1, 2]), 3);
});

test('async returns the rejection (not thrown, not a rejected promise); a ref awaits the result', async (t) => {
  const pool = await rig.pool('async', { minWorkers: 1, maxWorkers: 1, maxQueue: 0, maxMemoryBytes: 10 });
  const ref = pool.async(T.sleep, [10_000], { name: 'hold' });
  t.false(ref instanceof JobRejectedError);
  const mem = pool.async(T.add, [1, 2], { maxHeapBytes: 11 });
  t.true(mem instanceof InsufficientMemoryError);
  const full = pool.async(T.add, [1, 2]);
  t.true(full instanceof QueueFullError);
  t.is(pool.kill('hold'), 1);
  if (ref instanceof JobRejectedError) return;
  await t.throwsAsync(pool.await(ref), { instanceOf: JobKilledError });
  const ok = pool.async(T.add, [4, 5]);
  if (ok instanceof JobRejectedError) return t.fail(ok.message);
  t.is(await pool.await(ok), 9);
  t.is(pool.status().committedBytes, 0);
});
