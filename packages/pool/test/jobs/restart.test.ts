// A job pool's manager killed: its queued and running jobs settle (JobKilledError
// pool_stopped, or the worker's own error), calls meanwhile reject with JobPoolStoppedError,
// and once `ready()` answers, jobs run again through the same handle and by name; a tenant's
// jobs in the restarted parent settle too, and a killed tenant cancels its jobs in the parent.
import test from 'ava';
import { Supervisor, type ActorRef, type ActorSystem } from '@arbor/core';
import { JobKilledError, JobPool, JobPoolStoppedError, JobRejectedError, JobWorkerExitError, Pools } from '../../src/index.js';
import { jobRig, noteFile, T, until } from '../support/jobs.js';

const rig = jobRig(test, 3);

/** The manager of the job pool `name` (Pools.whereis -> the pool supervisor's child 'manager'). */
async function managerOf(system: ActorSystem, name: string): Promise<ActorRef> {
  const sup = Pools.of(system).whereis(name);
  if (sup === undefined) throw new Error(`pool ${name} is not running`);
  const child = (await Supervisor.whichChildren(sup as never)).find((c) => c.id === 'manager');
  if (child === undefined || typeof child.ref !== 'object') throw new Error(`pool ${name} has no running manager`);
  return child.ref;
}

test.serial('the manager killed: queued and running jobs settle; the pool restarts; ready() then jobs run again by name', async (t) => {
  const notes = noteFile();
  const pool = await rig.pool('rs', { minWorkers: 2, maxWorkers: 2, queueTimeoutMs: Infinity, maxMemoryBytes: 100 });
  await until(() => pool.status().workers === 2, 'two workers');
  const named = pool.run(T.note, [notes.file, 'named', 10_000], { name: 'n', maxHeapBytes: 10 });
  const plain = pool.run(T.sleep, [10_000]);
  const queued = [pool.run(T.sleep, [10_000], { name: 'q' }), pool.run(T.add, [1, 2])];
  t.like(pool.status(), { running: 2, queued: 2, committedBytes: 10 });
  const manager = await managerOf(rig.system, pool.name);
  rig.system.exit(manager, 'kill');
  for (const p of [named, plain, ...queued]) {
    const e = await t.throwsAsync(p);
    t.true((e instanceof JobKilledError && e.reason === 'pool_stopped') || e instanceof JobWorkerExitError, `${e?.name}: ${e?.message}`);
  }
  // The unnamed run() job cannot be cancelled in its worker (no AbortController): the old
  // worker is only killed after its stopGraceMs (5 s by default), and the restart waits for it.
  await pool.ready({ timeoutMs: 15_000 });
  t.not(await managerOf(rig.system, pool.name), manager, 'a new manager');
  t.is(await pool.run(T.add, [2, 2]), 4);
  t.is(await JobPool.of(rig.system, pool.name).run(T.add, [3, 3]), 6);
  t.like(pool.status(), { running: 0, queued: 0, committedBytes: 0 });
  await until(() => pool.status().workers === 2, 'minWorkers again');
});

test.serial('a call while the pool restarts is rejected pool_stopped: run rejects with JobPoolStoppedError, async returns it', async (t) => {
  const pool = await rig.pool('rsc', { minWorkers: 1, maxWorkers: 1 });
  rig.system.exit(await managerOf(rig.system, pool.name), 'kill');
  await until(() => { try { pool.status(); return false; } catch { return true; } }, 'the core gone');
  await t.throwsAsync(pool.run(T.add, [1, 1]), { instanceOf: JobPoolStoppedError, code: 'pool_stopped' } as never);
  const r = pool.async(T.add, [1, 1]);
  t.true(r instanceof JobPoolStoppedError && r instanceof JobRejectedError, 'async returns the rejection');
  t.is(pool.kill('x'), 0);
  t.is(pool.flush(), 0);
  await pool.ready();
  t.is(await pool.run(T.add, [1, 1]), 2);
});

test.serial('pool.manager follows the restarts; status() and ready() reject with JobPoolStoppedError while none runs', async (t) => {
  const pool = await rig.pool('rsm', { minWorkers: 1, maxWorkers: 1 });
  const first = pool.manager;
  t.is(first, await managerOf(rig.system, pool.name), 'the manager the pool supervisor runs');
  rig.system.exit(first!, 'kill');
  await until(() => pool.manager !== first, 'the old manager gone from the handle');
  if (pool.manager === undefined) {
    t.throws(() => pool.status(), { instanceOf: JobPoolStoppedError, code: 'pool_stopped' } as never);
  }
  await pool.ready({ timeoutMs: 15_000 });
  const second = pool.manager;
  t.truthy(second);
  t.not(second, first);
  t.is(second, await managerOf(rig.system, pool.name));
  await rig.system.stop(Pools.of(rig.system).whereis(pool.name)!);
  t.is(pool.manager, undefined);
  t.throws(() => pool.status(), { instanceOf: JobPoolStoppedError, code: 'pool_stopped' } as never);
  await t.throwsAsync(pool.ready({ timeoutMs: 20 }), { instanceOf: JobPoolStoppedError, code: 'pool_stopped' } as never);
});

test.serial("the shared pool's manager killed: a tenant's jobs in it settle; then the tenant's jobs run in the restarted pool", async (t) => {
  const shared = await rig.pool('rsShared', { minWorkers: 1, maxWorkers: 2, capacityPerWorker: 2, threadCapacity: 2 });
  const tenant = await rig.tenant('rsTenant', { delegateTo: shared.name, maxWorkers: 2, maxMemoryBytes: 50 });
  const a = tenant.run(T.sleep, [10_000], { name: 'a', maxHeapBytes: 20 });
  const b = tenant.run(T.sleep, [10_000], { maxHeapBytes: 20 });
  t.like(tenant.status(), { running: 2, committedBytes: 40 });
  rig.system.exit(await managerOf(rig.system, shared.name), 'kill');
  for (const p of [a, b]) {
    const e = await t.throwsAsync(p);
    t.true((e instanceof JobKilledError && e.reason === 'pool_stopped') || e instanceof JobWorkerExitError, `${e?.name}: ${e?.message}`);
  }
  t.like(tenant.status(), { running: 0, committedBytes: 0 });
  await shared.ready();
  t.is(await tenant.run(T.add, [5, 5], { maxHeapBytes: 50 }), 10);
});

test.serial("a tenant's manager killed: its jobs in the shared pool are cancelled there (their tasks see it) and release it", async (t) => {
  const notes = noteFile();
  const shared = await rig.pool('rsShared2', { minWorkers: 1, maxWorkers: 1, capacityPerWorker: 2, threadCapacity: 2, maxMemoryBytes: 100 });
  const tenant = await rig.tenant('rsTenant2', { delegateTo: shared.name, maxWorkers: 2 });
  const jobs = [tenant.run(T.note, [notes.file, 'x', 10_000], { maxHeapBytes: 30 }), tenant.run(T.note, [notes.file, 'y', 10_000], { maxHeapBytes: 30 })];
  await until(() => notes.has('start x') && notes.has('start y'), 'both running in the shared pool');
  t.is(shared.status().committedBytes, 60);
  rig.system.exit(await managerOf(rig.system, tenant.name), 'kill');
  for (const p of jobs) t.like(await t.throwsAsync(p, { instanceOf: JobKilledError }), { reason: 'pool_stopped' });
  await until(() => notes.has('abort x') && notes.has('abort y'), 'cancelled in the shared pool');
  await until(() => shared.status().running === 0, 'the shared pool is free');
  t.is(shared.status().committedBytes, 0);
  await tenant.ready();
  t.is(await tenant.run(T.add, [1, 2]), 3);
});
