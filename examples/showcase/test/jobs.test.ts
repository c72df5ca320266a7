import { existsSync } from 'node:fs';
import test from 'ava';
import { runJobs, type JobsSummary } from '../src/jobs/jobs.js';

const lines: string[] = [];
let summary: JobsSummary;

test.before(async () => {
  summary = await runJobs((line) => lines.push(line), { logLevel: 'silent' });
});

test('0. two job pools start in the application\'s pools tree: shared (threads) and tenant-a (delegating)', (t) => {
  t.deepEqual(summary.rootChildren, ['process-registry', 'arbor.pools']);
  t.deepEqual(summary.started, { shared: 'started', tenant: 'started' });
});

test('1. jobs run through both pools: run, async + await', (t) => {
  t.deepEqual(summary.firstRuns, { tenantAdd: 5, sharedAdd: 42, awaited: 3 });
});

test('2. budgets hold: tenant-a rejects a second 64 MiB job (insufficient_memory) while shared runs others; the job counts at both levels', (t) => {
  t.deepEqual(summary.budget.rejected, { errorClass: 'InsufficientMemoryError', code: 'insufficient_memory', pool: 'tenant-a', never: false });
  t.deepEqual(summary.budget.workersMeanwhile, ['64 MiB', 'default', 'default'], 'the tenant job runs alone on a worker capped at its own maxHeapBytes');
  t.is(summary.budget.tenantCommittedMiB, 64);
  t.is(summary.budget.sharedCommittedMiB, 64);
  t.deepEqual(summary.budget.sharedRunsMeanwhile, [2, 4, 6, 8, 10]);
  t.is(summary.budget.tenantJob, 300);
  t.deepEqual(summary.budget.tenantRejected, { insufficient_memory: 1 });
});

test('3. a job past its own heap cap is rejected oom; its neighbours finish on the same default threads', (t) => {
  t.like(summary.oom, { errorClass: 'JobWorkerExitError', code: 'oom', exitReason: 'oom', workersBefore: 2, committedAfter: 0, afterwards: 42 });
  t.deepEqual(summary.oom.neighbours, [400, 450]);
  t.is(summary.oom.defaultThreadsBefore.length, 2);
  t.deepEqual(summary.oom.defaultThreadsAfter, summary.oom.defaultThreadsBefore);
});

test('4. a kill by name at the tenant reaches the jobs in the shared pool and the one queued in the tenant; killRef kills one', (t) => {
  const k = summary.kill;
  t.is(k.sharedRunningBefore, 2);
  t.is(k.tenantQueuedBefore, 1);
  t.is(k.killed, 3);
  t.is(k.killedAgain, 0);
  t.deepEqual(k.outcomes, Array(3).fill('JobKilledError (killed, user_killed)'));
  t.deepEqual(k.after, { tenantCommitted: 0, sharedCommitted: 0, sharedRunning: 0, tenantRunning: 0 });
  t.deepEqual(k.killRef, [true, false]);
  t.is(k.refOutcome, 'JobKilledError (killed, user_killed)');
});

test('5. the crash barrier: a Python worker crashes under an idempotent job, its slot is tainted, the job runs again on the other worker', (t) => {
  const c = summary.crashBarrier;
  t.is(c.pyPidsBefore.length, 2, 'two Python workers');
  t.true(c.pyPidsBefore.includes(c.retried.crashed_pid), 'the first run crashed one of them');
  t.true(c.pyPidsBefore.includes(c.retried.pid), 'the retry ran on the other');
  t.not(c.retried.pid, c.retried.crashed_pid);
  t.is(c.taints, 1);
  t.is(c.retries, 1);
  t.is(c.notIdempotent, 'JobWorkerExitError (worker_exit)');
  t.deepEqual(c.pyPidsLeft, [], 'no Python worker is left after the application stopped');
});

test('6. status and the dump; the application stops and no worker thread is left', (t) => {
  t.like(summary.statuses.shared, { running: 0, queued: 0, committedBytes: 0, failed: 1 });
  t.like(summary.statuses.tenant, { running: 0, queued: 0, committedBytes: 0, killed: 3, rejected: { insufficient_memory: 1 } });
  t.is(summary.managerDumpLines.length, 3);
  t.regex(summary.managerDumpLines[0]!, /JobPoolManager .*pool=shared kind=thread workers=2 running=0 queued=0 committedBytes=0/);
  t.regex(summary.managerDumpLines[1]!, /JobPoolManager .*pool=tenant-a kind=delegates workers=0 running=0/);
  t.is(summary.stopResult, 'stopped');
  t.true(summary.osThreads.length >= 2);
  t.deepEqual(summary.threadsLeft, []);
  for (const tid of summary.osThreads) t.false(existsSync(`/proc/self/task/${tid}`), `OS thread ${tid} is gone`);
  t.true(lines.some((l) => l.includes('Part nine')));
});
