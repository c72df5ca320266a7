// Job pool bugs the chaos run (chaos.test.ts) found, each as the smallest real case.
import test from 'ava';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createLogger, createSystem } from '@arbor/core';
import { ProcessRegistry } from '@arbor/process-registry';
import { nodeProcessProfile, threadProfile } from '@arbor/worker-profiles';
import { defineTask, JobPool, JobWorkerExitError, TASK_WORKER_URL } from '../../src/index.js';
import { eventually, isAlive, killLeft, tracked, type TrackedConn } from '../support/tracked.js';

const system = createSystem({ logger: createLogger('silent') });
const conns: TrackedConn[] = [];
const dir = mkdtempSync(join(tmpdir(), 'arbor-jreg-'));
test.before(() => ProcessRegistry.start(system, { path: join(dir, 'r.mdb'), name: 'process-registry', shutdownGraceMs: 300 }));
test.after.always(async () => {
  await system.shutdown();
  const pids = conns.flatMap((c) => (c.pid === undefined ? [] : [c.pid]));
  const gone = await eventually(() => conns.every((c) => c.exit !== undefined) && !pids.some(isAlive), 5_000);
  const left = killLeft(pids);
  rmSync(dir, { recursive: true, force: true });
  if (!gone || left.length > 0) throw new Error(`workers of this file were left: ${left.join(', ') || 'a thread'}`);
});
const add = defineTask<[number, number], number>(new URL('../fixtures/tasks.js', import.meta.url), 'add');

test.serial('a queued job failed by its heap class\'s failed worker start leaves the queue count at 0', async (t) => {
  const pool = await JobPool.start(system, { name: 'start-failed', profile: tracked(threadProfile({ module: TASK_WORKER_URL }), conns) });
  // A 1 MiB thread cannot even start (its heap is past the cap at start-up): the job fails with that start.
  await t.throwsAsync(pool.run(add, [1, 2], { maxHeapBytes: 2 ** 20 }), { instanceOf: JobWorkerExitError });
  t.like(pool.status(), { queued: 0, running: 0, committedBytes: 0 });
  t.is(await pool.run(add, [1, 2]), 3);
});

test.serial('a job whose Node-process worker dies at start-up rejects with a one-line message (the worker\'s output stays on error.exit)', async (t) => {
  const pool = await JobPool.start(system, { name: 'start-died', profile: tracked(nodeProcessProfile({ module: TASK_WORKER_URL }), conns) });
  // --max-old-space-size=1: the child dies in V8's start-up (SIGTRAP) and prints a multi-line OOM report
  const error = await t.throwsAsync(pool.run(add, [1, 2], { maxHeapBytes: 2 ** 20 }), { instanceOf: JobWorkerExitError });
  t.false(error!.message.includes('\n'), error!.message);
  t.is(await pool.run(add, [1, 2]), 3);
});

test.serial('workers that keep dying under their jobs are replaced with back-off, not in a loop (a crash storm)', async (t) => {
  const exit = defineTask<[number], never>(new URL('../fixtures/tasks.js', import.meta.url), 'exit');
  const before = conns.length;
  const pool = await JobPool.start(system, { name: 'storm', profile: tracked(threadProfile({ module: TASK_WORKER_URL }), conns), minWorkers: 1, maxWorkers: 1, period: 2_000, intensity: 1 });
  const end = Date.now() + 1_500;
  let failed = 0;
  while (Date.now() < end) {
    await pool.run(exit, [3], { timeoutMs: 3_000 }).catch(() => failed++);
  }
  const starts = conns.length - before;
  // A thread starts in ~40 ms: without back-off 1.5 s of jobs that each kill their worker start ~30 workers.
  t.true(failed >= 2, `the jobs killed their workers (${failed})`);
  t.true(starts < 16, `replacements backed off (${starts} workers started in 1.5 s)`);
  t.is(await pool.run(add, [1, 2], { timeoutMs: 10_000 }), 3, 'the pool serves once the storm is over');
});
