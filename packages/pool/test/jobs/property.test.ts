/**
 * A property test of job pools with tenants: one shared pool of real task-worker threads
 * (maxWorkers 3, capacityPerWorker 2, a 100-byte budget, a bounded queue with a timeout) and
 * 1..3 random tenant pools delegating to it (random maxWorkers, budgets, queues, queue
 * timeouts, onFull), driven by random commands: jobs of random heap sizes and durations
 * submitted through run or async to a tenant or to the shared pool directly (sometimes named,
 * with a deadline, or with an AbortSignal), jobs that exit their worker, kill(name), killRef,
 * flush, aborts and waits.
 * After every command, and sampled every millisecond meanwhile, the limits hold at every level
 * (committed <= maxMemoryBytes, tenants' running <= maxWorkers, the shared pool's running <=
 * its workers' capacity and workers <= maxWorkers). At quiescence every job settled exactly
 * once with an allowed outcome, and every pool is back to 0 running, 0 queued, 0 committed.
 *
 * It runs twice: over a profile that cannot cap (maxHeapBytes is only committed), and over a
 * capping one, where sized jobs run alone on workers of their heap class (20, 40 or 60 units of 16 MiB).
 *
 * Runs: JOBS_PROP_RUNS (default 30); replay with JOBS_PROP_SEED and JOBS_PROP_PATH.
 */
import test from 'ava';
import fc from 'fast-check';
import { RequestAbortedError } from '@arbor/worker-profiles';
import { JobKilledError, JobRejectedError, JobTimeoutError, JobWorkerExitError, Pools, type JobPool, type JobRef } from '../../src/index.js';
import { delay, jobRig, T, until } from '../support/jobs.js';

const rig = jobRig(test, 1);

const tenantArb = fc.record({
  maxWorkers: fc.integer({ min: 1, max: 3 }),
  maxMemoryBytes: fc.integer({ min: 10, max: 120 }),
  maxQueue: fc.integer({ min: 0, max: 4 }),
  queueTimeoutMs: fc.constantFrom(20, 100, Infinity),
  onFull: fc.constantFrom<'queue' | 'reject'>('queue', 'queue', 'reject'),
});
const NAMES = ['a', 'b', 'c'] as const;
const cmdArb = fc.oneof(
  { weight: 6, arbitrary: fc.record({ kind: fc.constant('submit' as const), target: fc.integer({ min: -1, max: 2 }), heap: fc.oneof(fc.constant(0), fc.integer({ min: 1, max: 60 })), ms: fc.integer({ min: 0, max: 40 }), name: fc.option(fc.constantFrom(...NAMES), { nil: undefined }), via: fc.constantFrom<'run' | 'async'>('run', 'async'), timeoutMs: fc.option(fc.integer({ min: 5, max: 150 }), { nil: undefined }), signal: fc.boolean() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('kill' as const), target: fc.integer({ min: -1, max: 2 }), name: fc.constantFrom(...NAMES) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('killRef' as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('abort' as const), i: fc.nat() }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('flush' as const), target: fc.integer({ min: -1, max: 2 }) }) },
  { weight: 2, arbitrary: fc.record({ kind: fc.constant('wait' as const), ms: fc.integer({ min: 0, max: 30 }) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('crash' as const), target: fc.integer({ min: -1, max: 2 }) }) },
);

let run = 0;

for (const capped of [false, true]) {
test(`job pools with random tenants${capped ? ', heap classes (a capping profile, sizes in 16 MiB units)' : ''}: limits hold at every level at every step; every job settles once; all back to 0 at quiescence`, async (t) => {
  const seen = new Map<string, number>();
  const unit = capped ? 16 * 2 ** 20 : 1;
  const SHARED = { maxWorkers: 3, capacityPerWorker: 2, maxMemoryBytes: 100 * unit };
  const shared = await rig.pool('propShared', { minWorkers: 1, ...SHARED, threadCapacity: 2, maxQueue: 6, queueTimeoutMs: 200, capped });
  const runs = Number(process.env.JOBS_PROP_RUNS ?? 30);
  const seed = process.env.JOBS_PROP_SEED === undefined ? undefined : Number(process.env.JOBS_PROP_SEED);
  const path = process.env.JOBS_PROP_PATH;
  await fc.assert(
    fc.asyncProperty(fc.array(tenantArb, { minLength: 1, maxLength: 3 }), fc.array(cmdArb, { minLength: 1, maxLength: 25 }), async (tenantDefs, cmds) => {
      run++;
      const tenants: { pool: JobPool; def: (typeof tenantDefs)[number] }[] = [];
      for (const [i, d] of tenantDefs.entries()) {
        const def = { ...d, maxMemoryBytes: d.maxMemoryBytes * unit };
        tenants.push({ pool: await rig.tenant(`propT${run}_${i}_`, { delegateTo: shared.name, ...def }), def });
      }
      const violations: string[] = [];
      const check = (when: string): void => {
        const s = shared.status();
        if (s.committedBytes > SHARED.maxMemoryBytes || s.committedBytes < 0) violations.push(`${when}: shared committed ${s.committedBytes}`);
        if (s.workers + s.starting > SHARED.maxWorkers) violations.push(`${when}: shared workers ${s.workers}+${s.starting}`);
        if (s.running > s.workers * SHARED.capacityPerWorker) violations.push(`${when}: shared running ${s.running} on ${s.workers} workers`);
        for (const [i, { pool, def }] of tenants.entries()) {
          const ts = pool.status();
          if (ts.committedBytes > def.maxMemoryBytes || ts.committedBytes < 0) violations.push(`${when}: tenant ${i} committed ${ts.committedBytes} of ${def.maxMemoryBytes}`);
          if (ts.running > def.maxWorkers) violations.push(`${when}: tenant ${i} running ${ts.running} of ${def.maxWorkers}`);
          if (ts.queued > def.maxQueue) violations.push(`${when}: tenant ${i} queued ${ts.queued} of ${def.maxQueue}`);
        }
      };
      const sampler = setInterval(() => check('sampled'), 1);
      const settles = new Map<number, number>();
      const outcomes: unknown[] = [];
      const pending: Promise<void>[] = [];
      const refs: { pool: JobPool; ref: JobRef<number> }[] = [];
      const controllers: AbortController[] = [];
      let submitted = 0;
      const track = (id: number, p: Promise<unknown>): void => {
        settles.set(id, 0);
        pending.push(
          p.then(
            (v) => void (settles.set(id, settles.get(id)! + 1), outcomes.push(v)),
            (e: unknown) => void (settles.set(id, settles.get(id)! + 1), outcomes.push(e)),
          ),
        );
      };
      const poolOf = (target: number): JobPool => (target === -1 || tenants.length === 0 ? shared : tenants[target % tenants.length]!.pool);
      try {
        for (const [step, c] of cmds.entries()) {
          switch (c.kind) {
            case 'submit': {
              const pool = poolOf(c.target);
              const ac = c.signal ? new AbortController() : undefined;
              if (ac !== undefined) controllers.push(ac);
              const options = { ...(c.name !== undefined ? { name: c.name } : {}), ...(c.heap > 0 ? { maxHeapBytes: capped ? Math.ceil(c.heap / 20) * 20 * unit : c.heap } : {}), ...(c.timeoutMs !== undefined ? { timeoutMs: c.timeoutMs } : {}), ...(ac !== undefined ? { signal: ac.signal } : {}) };
              const id = submitted++;
              if (c.via === 'run') track(id, pool.run(T.sleep, [c.ms], options));
              else {
                const ref = pool.async(T.sleep, [c.ms], options);
                if (ref instanceof JobRejectedError) track(id, Promise.reject(ref));
                else {
                  refs.push({ pool, ref });
                  track(id, pool.await(ref));
                }
              }
              break;
            }
            case 'kill':
              poolOf(c.target).kill(c.name);
              break;
            case 'killRef':
              if (refs.length > 0) {
                const { pool, ref } = refs[c.i % refs.length]!;
                pool.killRef(ref);
              }
              break;
            case 'abort':
              if (controllers.length > 0) controllers[c.i % controllers.length]!.abort();
              break;
            case 'flush':
              poolOf(c.target).flush();
              break;
            case 'wait':
              await delay(c.ms);
              break;
            case 'crash':
              track(submitted++, poolOf(c.target).run(T.exit, [3]));
              break;
          }
          check(`after step ${step} (${c.kind})`);
        }
        const allSettled = Promise.all(pending).then(() => true);
        if (!(await Promise.race([allSettled, delay(15_000).then(() => false)]))) {
          const open = [...settles.entries()].filter(([, n]) => n === 0).map(([id]) => id);
          throw new Error(`jobs ${open.join(',')} never settled; shared ${JSON.stringify(shared.status())}; tenants ${tenants.map((x) => JSON.stringify(x.pool.status())).join(' ')}; commands ${JSON.stringify(cmds)}`);
        }
        const all = [shared, ...tenants.map((x) => x.pool)];
        await until(() => all.every((p) => p.status().running === 0 && p.status().queued === 0 && p.status().committedBytes === 0), 'quiescence');
        check('at quiescence');
      } finally {
        clearInterval(sampler);
        for (const { pool } of tenants) await Pools.of(rig.system).stopPool(pool.name);
      }
      const twice = [...settles.entries()].filter(([, n]) => n !== 1);
      const bad = outcomes.filter((o) => typeof o !== 'number' && !(o instanceof JobRejectedError || o instanceof JobKilledError || o instanceof JobTimeoutError || o instanceof RequestAbortedError || o instanceof JobWorkerExitError));
      if (violations.length > 0 || twice.length > 0 || bad.length > 0 || settles.size !== submitted) {
        throw new Error(`violations: ${violations.slice(0, 5).join('; ')} | settled not once: ${twice.length} | bad outcomes: ${bad.map(String).slice(0, 3).join('; ')} | ${settles.size} of ${submitted}`);
      }
      for (const o of outcomes) {
        const k = typeof o === 'number' ? 'ok' : ((o as { code?: string }).code ?? 'other');
        seen.set(k, (seen.get(k) ?? 0) + 1);
      }
    }),
    { numRuns: runs, ...(seed !== undefined ? { seed } : {}), ...(path !== undefined ? { path } : {}), endOnFailure: true },
  );
  t.log(Object.fromEntries(seen));
  for (const code of ['ok', 'killed', 'insufficient_memory']) t.true((seen.get(code) ?? 0) > 0, `some job ended ${code}`);
});
}
