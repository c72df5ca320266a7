// Job deadlines and kills: one deadline covers queue + run; a run timeout cancels the task;
// kill(name) / killRef(ref) / flush() answer counts and reject callers with JobKilledError
// (or the error passed); a killed job's worker serves the next job; an AbortSignal kills.
import test from 'ava';
import { RequestAbortedError } from '@arbor/worker-profiles';
import { JobKilledError, JobRejectedError, JobTimeoutError } from '../../src/index.js';
import { delay, jobRig, noteFile, T, until } from '../support/jobs.js';

const rig = jobRig(test, 4);

test('one deadline covers queue + run: a job queued for most of its timeoutMs gets only the rest to run (JobTimeoutError), and its task is cancelled', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('dl', { minWorkers: 1, maxWorkers: 1, queueTimeoutMs: Infinity });
  const hold = pool.run(T.sleep, [10_000], { name: 'hold' });
  // 2000 ms in all; 1000 of them queued; the run needs 1800: only ~1000 are left for it.
  const x = pool.run(T.note, [notes.file, 'x', 1_800], { timeoutMs: 2_000 });
  await delay(1_000);
  pool.kill('hold');
  await t.throwsAsync(hold, { instanceOf: JobKilledError });
  const e = await t.throwsAsync(x, { instanceOf: JobTimeoutError });
  t.like(e, { code: 'timeout', timeoutMs: 2_000, pool: pool.name });
  t.true(notes.has('start x'), 'it did start (the deadline hit while it ran)');
  await until(() => notes.has('abort x'), 'the task saw its signal');
  t.false(notes.has('end x'));
  t.like(pool.status(), { running: 0, queued: 0, committedBytes: 0 });
});

test('a run timeout cancels the task (its ctx.signal fires); the worker serves the next job', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('rto', { minWorkers: 1, maxWorkers: 1 });
  const before = await pool.run(T.threadId, []);
  await t.throwsAsync(pool.run(T.note, [notes.file, 'y', 10_000], { timeoutMs: 50 }), { instanceOf: JobTimeoutError });
  await until(() => notes.has('abort y'), 'the task saw its signal');
  t.is(await pool.run(T.threadId, []), before, 'the same worker, not a replacement');
});

test('kill(name) kills running and queued jobs of that name, answers how many; others run on', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('kn', { minWorkers: 1, maxWorkers: 1, queueTimeoutMs: Infinity });
  const tid = await pool.run(T.threadId, []);
  const named = [pool.run(T.note, [notes.file, 't1', 10_000], { name: 't' }), pool.run(T.note, [notes.file, 't2', 10_000], { name: 't' }), pool.run(T.note, [notes.file, 't3', 10_000], { name: 't' })];
  const other = pool.run(T.note, [notes.file, 'u', 0], { name: 'u' });
  await until(() => notes.has('start t1'), 't1 running');
  t.like(pool.status(), { running: 1, queued: 3 });
  t.is(pool.kill('nobody'), 0);
  t.is(pool.kill('t'), 3);
  for (const p of named) {
    const e = await t.throwsAsync(p, { instanceOf: JobKilledError });
    t.like(e, { code: 'killed', reason: 'user_killed', pool: pool.name });
  }
  t.is(await other, 'u');
  t.is(pool.kill('t'), 0, 'nothing left by that name');
  await until(() => notes.has('abort t1'), 'the running one was cancelled in its worker');
  t.false(notes.has('start t2') || notes.has('start t3'), 'queued ones were dropped before running');
  t.is(await pool.run(T.threadId, []), tid, "the killed job's worker serves the next job");
  t.like(pool.status(), { running: 0, queued: 0, killed: 3 });
});

test('kill(name, error): the callers reject with the error passed', async (t) => {
  const pool = await rig.pool('ke', { minWorkers: 1, maxWorkers: 1, queueTimeoutMs: Infinity });
  const mine = new Error('tenant over quota');
  const a = pool.run(T.sleep, [10_000], { name: 'q' });
  const b = pool.run(T.sleep, [10_000], { name: 'q' });
  await until(() => pool.status().running === 1, 'a running');
  t.is(pool.kill('q', mine), 2);
  t.is(await t.throwsAsync(a), mine);
  t.is(await t.throwsAsync(b), mine);
});

test('killRef(ref): true while the job is live, false after; await rejects with JobKilledError; a ref of a queued job too', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('kr', { minWorkers: 1, maxWorkers: 1, queueTimeoutMs: Infinity });
  const running = pool.async(T.note, [notes.file, 'r', 10_000]);
  const queued = pool.async(T.note, [notes.file, 'q', 10_000]);
  if (running instanceof JobRejectedError || queued instanceof JobRejectedError) return t.fail();
  await until(() => notes.has('start r'), 'r running');
  t.true(pool.killRef(queued));
  t.true(pool.killRef(running));
  t.false(pool.killRef(running), 'killed once: its cancel is under way');
  t.like(await t.throwsAsync(pool.await(running), { instanceOf: JobKilledError }), { reason: 'user_killed' });
  t.like(await t.throwsAsync(pool.await(queued), { instanceOf: JobKilledError }), { reason: 'user_killed' });
  await until(() => notes.has('abort r'), 'cancelled in its worker');
  t.false(notes.has('start q'));
  const done = pool.async(T.add, [1, 1]);
  if (done instanceof JobRejectedError) return t.fail();
  t.is(await pool.await(done), 2);
  t.false(pool.killRef(done), 'a settled job is not live');
});

test('flush() kills every live job (running and queued, named or not) and answers how many; a second flush or kill counts none', async (t) => {
  const pool = await rig.pool('fl', { minWorkers: 2, maxWorkers: 2, queueTimeoutMs: Infinity });
  const jobs = [pool.run(T.sleep, [10_000], { name: 'm' }), pool.run(T.sleep, [10_000], { name: 'n' }), pool.run(T.sleep, [10_000]), pool.run(T.sleep, [10_000], { name: 'n' })];
  await until(() => pool.status().running === 2, 'two running');
  t.is(pool.flush(), 4);
  t.is(pool.flush(), 0, 'the running ones are being cancelled: not killed twice');
  t.is(pool.kill('n'), 0);
  for (const p of jobs) t.like(await t.throwsAsync(p, { instanceOf: JobKilledError }), { code: 'killed', reason: 'user_killed' });
  t.is(pool.flush(), 0);
  await until(() => pool.status().running === 0, 'the workers are free');
  t.is(await pool.run(T.add, [2, 2]), 4);
  t.like(pool.status(), { running: 0, queued: 0, committedBytes: 0 });
});

test("a job's AbortSignal kills it: running (the task sees it), queued (dropped, never runs), already aborted (never runs)", async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('sig', { minWorkers: 1, maxWorkers: 1, queueTimeoutMs: Infinity });
  const ac = new AbortController();
  const qc = new AbortController();
  const running = pool.run(T.note, [notes.file, 'a', 10_000], { signal: ac.signal });
  const queued = pool.run(T.note, [notes.file, 'b', 0], { signal: qc.signal });
  await until(() => notes.has('start a'), 'a running');
  qc.abort(new Error('no longer needed'));
  await t.throwsAsync(queued, { instanceOf: RequestAbortedError });
  ac.abort();
  await t.throwsAsync(running, { instanceOf: RequestAbortedError });
  await until(() => notes.has('abort a'), 'the task saw the abort');
  await t.throwsAsync(pool.run(T.note, [notes.file, 'c', 0], { signal: AbortSignal.abort() }), { instanceOf: RequestAbortedError });
  t.is(await pool.run(T.note, [notes.file, 'd', 0]), 'd');
  t.false(notes.has('start b') || notes.has('start c'), notes.lines().join(', '));
  t.like(pool.status(), { running: 0, queued: 0 });
});

test('an unnamed run() job (no name, no signal) killed by flush: its caller is answered at once; its worker finishes it (it is not cancellable)', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('flu', { minWorkers: 1, maxWorkers: 1 });
  const p = pool.run(T.note, [notes.file, 'plain', 300]);
  await until(() => notes.has('start plain'), 'running');
  t.is(pool.flush(), 1);
  await t.throwsAsync(p, { instanceOf: JobKilledError });
  t.is(pool.status().running, 1, 'the worker still runs it');
  await until(() => pool.status().running === 0, 'it ended');
  t.true(notes.has('end plain'));
  t.false(notes.has('abort plain'));
});

test('one long-lived AbortSignal shared by many jobs: no abort listener is left behind once they settled; aborting it later kills nothing', async (t) => {
  const events = (await import('node:events')) as unknown as { getEventListeners(target: EventTarget, type: string): unknown[] };
  const getEventListeners = events.getEventListeners;
  const pool = await rig.pool('sigl', { minWorkers: 1, maxWorkers: 1, capacityPerWorker: 8, threadCapacity: 8 });
  const ac = new AbortController();
  const results = await Promise.all(Array.from({ length: 200 }, (_, i) => pool.run(T.add, [i, 1], { signal: ac.signal })));
  t.is(results[199], 200);
  t.is(getEventListeners(ac.signal, 'abort').length, 0);
  const live = pool.run(T.sleep, [10_000], { signal: ac.signal });
  t.is(getEventListeners(ac.signal, 'abort').length, 1, 'a live job listens');
  ac.abort();
  await t.throwsAsync(live, { instanceOf: RequestAbortedError });
  t.is(pool.status().killed + pool.status().failed, 1);
});

test('a job whose signal is aborted already is never admitted: it rejects with RequestAbortedError, commits nothing, never reaches a worker', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('presig', { minWorkers: 1, maxWorkers: 1, capacityPerWorker: 4, threadCapacity: 4, maxMemoryBytes: 100 });
  await pool.run(T.add, [0, 0]);
  const jobs = Array.from({ length: 20 }, (_, i) => pool.run(T.note, [notes.file, `p${i}`, 0], { signal: AbortSignal.abort(), maxHeapBytes: 10 }));
  t.like(pool.status(), { running: 0, queued: 0, committedBytes: 0 });
  for (const p of jobs) await t.throwsAsync(p, { instanceOf: RequestAbortedError });
  t.is(await pool.run(T.note, [notes.file, 'after', 0]), 'after');
  t.deepEqual(notes.lines(), ['start after', 'end after']);
});
