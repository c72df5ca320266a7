// Routing: the least-loaded worker with room, ties to the most recently used (seen through
// the threadId tasks); with capacityPerWorker > 1, killing one job on a worker does not fail
// its neighbours (piscina #934) when the task honours its signal.
import test from 'ava';
import { JobKilledError, JobRejectedError, JobWorkerExitError } from '../../src/index.js';
import { jobRig, noteFile, T, until } from '../support/jobs.js';

const rig = jobRig(test, 4);

test('least-loaded with ties to the most recently used: sequential jobs stay on one warm worker; concurrent ones spread', async (t) => {
  const pool = await rig.pool('route', { minWorkers: 3, maxWorkers: 3 });
  await until(() => pool.status().workers === 3, 'three workers');
  const seq: number[] = [];
  for (let i = 0; i < 5; i++) seq.push(await pool.run(T.threadId, []));
  t.is(new Set(seq).size, 1, `one worker: ${seq.join(',')}`);
  const warm = seq[0]!;
  const [a, b, c] = await Promise.all([pool.run(T.threadIdAfter, [30]), pool.run(T.threadIdAfter, [30]), pool.run(T.threadIdAfter, [30])]);
  t.is(new Set([a, b, c]).size, 3, 'three at once: three workers');
  t.is(a, warm, 'the first goes to the most recently used');
  // the last one started (c) is now the most recently used of three idle workers
  t.is(await pool.run(T.threadId, []), c);
});

test('capacityPerWorker 2: the least-loaded worker gets the job (load 0 before load 1), then the workers fill up to 2 each', async (t) => {
  const pool = await rig.pool('cap', { minWorkers: 2, maxWorkers: 2, capacityPerWorker: 2, threadCapacity: 2, queueTimeoutMs: Infinity });
  await until(() => pool.status().workers === 2, 'two workers');
  const tids = await Promise.all([0, 1, 2, 3].map(() => pool.run(T.threadIdAfter, [50])));
  const counts = new Map<number, number>();
  for (const id of tids) counts.set(id, (counts.get(id) ?? 0) + 1);
  t.deepEqual([...counts.values()], [2, 2]);
  t.is(tids[0] === tids[1], false, 'the second job went to the empty worker');
});

test('piscina #934: killing (aborting) one job on a capacity-4 worker does not fail its neighbours', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('nb', { minWorkers: 1, maxWorkers: 1, capacityPerWorker: 4, threadCapacity: 4 });
  const victim = pool.async(T.note, [notes.file, 'victim', 10_000]);
  const ac = new AbortController();
  const aborted = pool.run(T.note, [notes.file, 'aborted', 10_000], { signal: ac.signal });
  const neighbours = [pool.run(T.note, [notes.file, 'n1', 400]), pool.run(T.note, [notes.file, 'n2', 400])];
  if (victim instanceof JobRejectedError) return t.fail();
  await until(() => ['victim', 'aborted', 'n1', 'n2'].every((x) => notes.has(`start ${x}`)), 'all four running on the one worker');
  t.true(pool.killRef(victim));
  ac.abort();
  await t.throwsAsync(pool.await(victim), { instanceOf: JobKilledError });
  await t.throwsAsync(aborted);
  t.deepEqual(await Promise.all(neighbours), ['n1', 'n2']);
  t.true(notes.has('abort victim') && notes.has('abort aborted'));
});

test('a killed job that ignores its signal: past cancelGraceMs its worker is replaced, and its neighbours on that worker fail with it (documented, not avoided)', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('nbs', { minWorkers: 1, maxWorkers: 1, capacityPerWorker: 2, threadCapacity: 2, worker: { cancelGraceMs: 50 } });
  const victim = pool.async(T.stubborn, [2_000]);
  const neighbour = pool.run(T.note, [notes.file, 'n', 1_000]);
  if (victim instanceof JobRejectedError) return t.fail();
  await until(() => notes.has('start n'), 'the neighbour runs');
  t.true(pool.killRef(victim));
  await t.throwsAsync(pool.await(victim), { instanceOf: JobKilledError });
  const e = await t.throwsAsync(neighbour);
  t.true(e instanceof JobWorkerExitError, `the neighbour got ${e?.name}: ${e?.message}`);
});
