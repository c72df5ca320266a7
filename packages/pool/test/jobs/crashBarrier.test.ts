// The crash barrier of job pools (pools.md §4.6) with real Node child processes: a worker that
// dies of SIGSEGV taints its slot (in the pools tree's table), routing avoids the slot, an
// idempotent job runs again on another worker, a non-idempotent one never runs twice.
import test from 'ava';
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createSystem, dump, InvalidOptionError, type ActorRef, type DumpNode } from '@arbor/core';
import { Ets, type SetTable } from '@arbor/ets';
import { ProcessRegistry } from '@arbor/process-registry';
import { nodeProcessProfile, threadProfile } from '@arbor/worker-profiles';
import { defineTask, JobPool, Pools, TASK_WORKER_URL, type JobPoolOptions } from '../../src/index.js';
import { resolveJobPoolOptions } from '../../src/jobs/JobPoolOptions.js';
import type { Taint } from '../../src/index.js';

const system = createSystem({ name: 'crash-barrier' });
const dir = mkdtempSync(join(tmpdir(), 'arbor-barrier-'));
const tasks = new URL('../fixtures/crashTasks.js', import.meta.url);
const pid = defineTask<[number], number>(tasks, 'pid');
const recordAndCrash = defineTask<[string], never>(tasks, 'recordAndCrash');
const crashOnce = defineTask<[string], number>(tasks, 'crashOnce');
const recordAndExit = defineTask<[string, number], never>(tasks, 'recordAndExit');
const profile = nodeProcessProfile({ module: TASK_WORKER_URL });
let files = 0;
const file = (): string => join(dir, `f${++files}`);
const lines = (f: string): string[] => readFileSync(f, 'utf8').split('\n').filter((l) => l !== '');

/** Live (non-zombie) child processes of this test process, from /proc. */
function children(): number[] {
  const out: number[] = [];
  for (const e of readdirSync('/proc')) {
    if (!/^\d+$/.test(e)) continue;
    try {
      const stat = readFileSync(`/proc/${e}/stat`, 'utf8');
      const rest = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(rest[1]) === process.pid && rest[0] !== 'Z' && rest[0] !== 'X') out.push(Number(e));
    } catch {
      // gone
    }
  }
  return out;
}

async function eventually(check: () => boolean, what: string, ms = 15_000): Promise<void> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 20));
  }
}

async function start(name: string, extra: Partial<JobPoolOptions> = {}): Promise<JobPool> {
  const pool = await JobPool.start(system, { name, profile, minWorkers: 2, maxWorkers: 2, ...extra });
  await eventually(() => pool.status().workers === 2, `${name}: two workers`);
  return pool;
}

test.before(async () => {
  await ProcessRegistry.start(system, { path: join(dir, 'registry.mdb'), name: 'process-registry', shutdownGraceMs: 300 });
});

test.after.always(async () => {
  await system.shutdown();
  rmSync(dir, { recursive: true, force: true });
  const deadline = Date.now() + 5_000;
  while (children().length > 0 && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
  const left = children();
  for (const p of left) process.kill(p, 'SIGKILL');
  if (left.length > 0) throw new Error(`child processes survived the test file: ${left.join(', ')}`);
});

test('the option is checked field by field; on by default for processes, off for threads', (t) => {
  const bad = (crashBarrier: unknown, field: string): void => {
    const e = t.throws(() => resolveJobPoolOptions('startJobPool', { name: 'x', profile, crashBarrier }), { instanceOf: InvalidOptionError });
    t.true(e!.message.includes(field), e!.message);
  };
  bad({ taintMs: 0 }, 'crashBarrier.taintMs');
  bad({ markOn: ['segfault'] }, 'crashBarrier.markOn');
  bad({ retry: 'always' }, 'crashBarrier.retry');
  bad({ maxRetries: -1 }, 'crashBarrier.maxRetries');
  bad({ backoffMs: [] }, 'crashBarrier.backoffMs');
  bad({ backoffMs: [1.5] }, 'crashBarrier.backoffMs');
  bad({ nope: 1 }, 'crashBarrier.nope');
  bad(true, 'crashBarrier');
  t.throws(() => resolveJobPoolOptions('startJobPool', { name: 'x', delegateTo: 'y', crashBarrier: {} }), { message: /crashBarrier/ });
  const on = resolveJobPoolOptions('startJobPool', { name: 'x', profile }).crashBarrier;
  t.deepEqual(on && { ...on, markOn: [...on.markOn] }, { markOn: ['crash', 'oom'], taintMs: 60_000, retry: 'idempotent', maxRetries: 1, backoffMs: [50, 100, 200] });
  t.is(resolveJobPoolOptions('startJobPool', { name: 'x', profile, crashBarrier: false }).crashBarrier, undefined);
  const threads = threadProfile({ module: TASK_WORKER_URL });
  t.is(resolveJobPoolOptions('startJobPool', { name: 'x', profile: threads }).crashBarrier, undefined);
  t.truthy(resolveJobPoolOptions('startJobPool', { name: 'x', profile: threads, crashBarrier: {} }).crashBarrier);
});

test.serial('a SIGSEGV taints the slot; the idempotent job runs again on the other worker; routing avoids the slot', async (t) => {
  const pool = await start('cb-retry', { capacityPerWorker: 2 });
  const marker = file();
  const answer = await pool.run(crashOnce, [marker], { idempotent: true });
  const crashed = Number(lines(marker)[0]);
  t.not(answer, crashed, 'ran again on another worker');
  t.like(pool.status(), { taints: 1, retries: 1, completed: 1, failed: 0 });
  await eventually(() => pool.status().workers === 2, 'the replacement');
  // two jobs at once: both go to the untainted worker while it has room, a third to the tainted slot
  const [a, b] = await Promise.all([pool.run(pid, [200]), pool.run(pid, [200])]);
  t.is(a, answer);
  t.is(b, answer);
  const three = await Promise.all([pool.run(pid, [200]), pool.run(pid, [200]), pool.run(pid, [200])]);
  t.is(new Set(three).size, 2, 'the tainted slot is used rather than queueing (no starvation)');
  t.false(three.includes(crashed), 'the replacement of the crashed worker, a new process');
  // the taint is in the tree's table, keyed pool:slotId
  const table = Ets.whereis(system, 'arbor.pools.worker_taints', 'set') as SetTable<string, Taint> | undefined;
  const entries = table!.match((k) => k.startsWith('cb-retry:'));
  t.is(entries.length, 1);
  t.is(entries[0]![1].reason, 'crash');
});

test.serial('a non-idempotent job is never run twice: JobWorkerExitError with attempts 1', async (t) => {
  const pool = await start('cb-once');
  const runs = file();
  const e = await t.throwsAsync(pool.run(recordAndCrash, [runs]), { code: 'worker_exit' } as never);
  t.like(e, { attempts: 1 });
  t.is((e as unknown as { exit: { reason: string; signal?: string } }).exit.signal, 'SIGSEGV');
  t.is(lines(runs).length, 1);
  t.like(pool.status(), { taints: 1, retries: 0, failed: 1 });
  // an idempotent job that always crashes: run twice (maxRetries 1), on two workers, then rejected
  const twice = file();
  const e2 = await t.throwsAsync(pool.run(recordAndCrash, [twice], { idempotent: true }), { code: 'worker_exit' } as never);
  t.like(e2, { attempts: 2 });
  const pids = lines(twice);
  t.is(pids.length, 2);
  t.not(pids[0], pids[1]);
  t.like(pool.status(), { taints: 2, retries: 1 });
});

test.serial('markOn: a clean exit taints only when listed; retry only within the deadline; a kill during the back-off answers at once', async (t) => {
  const plain = await start('cb-exit-plain');
  const f1 = file();
  await t.throwsAsync(plain.run(recordAndExit, [f1, 3], { idempotent: true }), { code: 'worker_exit' } as never);
  t.like(plain.status(), { taints: 0, retries: 0 }, "'exit' is not in the default markOn: no taint, no retry");
  t.is(lines(f1).length, 1);

  const listed = await start('cb-exit-listed', { crashBarrier: { markOn: ['exit'], backoffMs: [60_000] } });
  // the back-off (60 s) is past the job's deadline (20 s): no retry
  const f2 = file();
  const e = await t.throwsAsync(listed.run(recordAndExit, [f2, 3], { idempotent: true, timeoutMs: 20_000 }), { code: 'worker_exit' } as never);
  t.like(e, { attempts: 1 });
  t.like(listed.status(), { taints: 1, retries: 0 });
  // a retry waiting out its back-off is killed by name
  const f3 = file();
  const job = listed.run(recordAndExit, [f3, 3], { idempotent: true, name: 'victim' });
  await eventually(() => listed.status().retries === 1, 'the retry to be scheduled');
  t.is(listed.kill('victim'), 1);
  await t.throwsAsync(job, { code: 'killed' } as never);
  t.is(lines(f3).length, 1);
});

test.serial('a taint expires after taintMs: both workers are used again', async (t) => {
  const pool = await start('cb-expiry', { capacityPerWorker: 2, crashBarrier: { taintMs: 300 } });
  const marker = file();
  await pool.run(crashOnce, [marker], { idempotent: true });
  t.is(pool.status().taints, 1);
  await eventually(() => pool.status().taints === 0, 'the taint to expire');
  await eventually(() => pool.status().workers === 2, 'the replacement');
  const both = await Promise.all([pool.run(pid, [200]), pool.run(pid, [200])]);
  t.is(new Set(both).size, 2, 'least-loaded again: one job per worker');
});

test.serial('the taint survives a restart of the pool manager (the table owner keeps the table), and the dump shows it', async (t) => {
  const pool = await start('cb-restart', { capacityPerWorker: 2 });
  await pool.run(crashOnce, [file()], { idempotent: true });
  t.is(pool.status().taints, 1);
  const before = registryWhereis('cb-restart/manager');
  system.exit(before!, 'kill');
  await eventually(() => {
    const now = registryWhereis('cb-restart/manager');
    return now !== undefined && now !== before && system.isAlive(now);
  }, 'a new manager');
  await pool.ready();
  await eventually(() => {
    try {
      return pool.status().workers === 2;
    } catch {
      return false;
    }
  }, 'the restarted pool');
  t.is(pool.status().taints, 1, 'the new manager reads the taint from the table');
  t.is(pool.status().retries, 0, 'counters are the new manager\'s');
  // the tainted slot is avoided by the new manager's routing too
  const [a, b] = await Promise.all([pool.run(pid, [200]), pool.run(pid, [200])]);
  t.is(a, b);
  const node = find(dump(system).roots, (n) => n.behaviour === 'JobPoolManager' && n.details?.pool === 'cb-restart');
  t.like(node?.details, { pool: 'cb-restart', taints: 1, retries: 0, workers: 2 });
});

function registryWhereis(key: string): ActorRef | undefined {
  return Pools.of(system).whereis(key);
}

function find(nodes: readonly DumpNode[], pred: (n: DumpNode) => boolean): DumpNode | undefined {
  const stack = [...nodes];
  while (stack.length > 0) {
    const n = stack.pop()!;
    if (pred(n)) return n;
    stack.push(...n.children);
  }
  return undefined;
}
