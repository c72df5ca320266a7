/**
 * `jobpool_python_tasks`: tasks/s of a Python job pool (`@arbor/pool` `JobPool` over
 * `pythonProfile({ script: PYTHON_TASKS_PATH })`, 2 workers of capacity 1, each sent
 * {@link JOB_PYTHON_PIPELINE} more jobs ahead through `capacityPerWorker`), task
 * `inc` of python/job_tasks.py by `defineTask`, `workerTasksN` (100k) in flight. Limit: the
 * raw batched framed-stdio echo of `python_tasks`. Peer `worker`: Arbor's `startWorker`
 * Python workers of `python_tasks` (python/arbor_inc.py, the same pipeline), no job layer.
 * Bracketed blocks. Target >= 0.7x the limit.
 */
import { fileURLToPath } from 'node:url';
import { defineTask } from '@arbor/pool';
import { PYTHON_TASKS_PATH, pythonProfile } from '@arbor/worker-profiles';
import type { WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { ARBOR_PYTHON_PIPELINE, arborRunner, loadArborWorkers, workerRecord, workerSystem } from '../workers/arbor.js';
import { trackPid } from '../workers/children.js';
import { bracketedThroughput, closeAll, median, pairedRatio, warmUp } from '../workers/measure.js';
import { PYTHON_ARBOR_SCRIPT, PYTHON_ECHO, pythonPath } from '../workers/python.js';
import { fifoPool, stdioEndpoints, type TaskRunner } from '../workers/rawTransports.js';
import { jobPoolRunner } from './jobRunner.js';

const WORKERS = 2;
/** Jobs sent beyond each capacity-1 Python worker's one (as `python_tasks`'s pipeline). */
export const JOB_PYTHON_PIPELINE = ARBOR_PYTHON_PIPELINE;
/** The bench's Python task file. */
export const PYTHON_JOB_TASKS = fileURLToPath(new URL('../../../../python/job_tasks.py', import.meta.url));

/**
 * `jobpool_python_tasks` (see the file comment).
 *
 * @example
 * const record = await jobPoolPythonTasksWorkload(QUICK);
 */
export async function jobPoolPythonTasksWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { system, shutdown } = await workerSystem();
  const started: TaskRunner[] = [];
  try {
    const python = pythonPath();
    const limit = fifoPool(await stdioEndpoints(python, [PYTHON_ECHO], WORKERS), { batch: 'each' });
    started.push(limit);
    const others: Record<string, TaskRunner> = {};
    const api = await loadArborWorkers();
    if (typeof api !== 'string') {
      const profile = pythonProfile({ script: PYTHON_TASKS_PATH, python });
      const inc = defineTask<[number], number>(PYTHON_JOB_TASKS, 'inc');
      const arbor = await jobPoolRunner(
        system,
        { name: 'bench-python-jobs', profile, minWorkers: WORKERS, maxWorkers: WORKERS, capacityPerWorker: 1 + JOB_PYTHON_PIPELINE, maxQueue: Infinity, queueTimeoutMs: Infinity },
        inc,
      );
      started.push(arbor);
      // the workers' pids (one job on each: the router puts concurrent jobs on the least loaded), for the leftover check
      const pidTask = defineTask<[], number>(PYTHON_JOB_TASKS, 'pid');
      for (const p of await Promise.all([arbor.pool.run(pidTask, []), arbor.pool.run(pidTask, [])])) trackPid(p);
      others['arbor'] = arbor;
      const direct = api.pythonProfile({ script: PYTHON_ARBOR_SCRIPT, python });
      others['worker'] = await arborRunner(api, system, WORKERS, (i) => ({ profile: direct, name: `bench-python-direct-${i}`, pipeline: ARBOR_PYTHON_PIPELINE }));
      started.push(others['worker']);
    }
    for (const r of started) await warmUp(r);
    const runs = await bracketedThroughput(limit, others, sizes.workerTasksN, sizes.rounds);
    const hasArbor = 'arbor' in others;
    return workerRecord(typeof api === 'string' ? api : undefined, {
      arbor: hasArbor ? median(runs.tput['arbor']!) : 0,
      limit: median(hasArbor ? runs.reference['arbor']! : runs.tput['limit']!),
      peers: hasArbor ? { worker: median(runs.tput['worker']!) } : {},
      unit: 'tasks/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.7 }],
      extra: {
        n: sizes.workerTasksN,
        workers: WORKERS,
        rounds: sizes.rounds,
        ...(hasArbor ? { paired_ratio_arbor: pairedRatio(runs, 'arbor'), paired_ratio_worker: pairedRatio(runs, 'worker') } : {}),
        capacity_per_worker: 1 + JOB_PYTHON_PIPELINE,
        python,
      },
    });
  } finally {
    try {
      await closeAll(started);
    } finally {
      await shutdown();
    }
  }
}
