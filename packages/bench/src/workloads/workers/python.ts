/**
 * The Python workloads, 2 Python workers over framed stdio (u32 LE length + JSON), capacity 1:
 *
 * - `python_tasks`: tasks/s with `workerTasksN` (100k) in flight. Limit: the raw batched
 *   echo as pools.md measured it (python/echo.py; each microtask's tasks to a worker in one
 *   write, one framed message per task; the replies to one read in one write), one promise
 *   per task, FIFO per worker. Peers: the same echo with one write per task
 *   (`raw_per_message`), and with each microtask's tasks as one array message answered by
 *   one array (`raw_array_batched`: the transport alone, no per-task JSON frame on either
 *   side; far above what any per-request protocol reaches). Arbor: `startWorker` over `pythonProfile`
 *   (python/arbor_inc.py) with `pipeline` {@link ARBOR_PYTHON_PIPELINE}, so the pipe is kept
 *   full and requests are batched. Bracketed blocks. Target >= 0.7x the limit.
 * - `python_rtt_us`: sequential round trips in interleaved blocks of 100. Target <= 1.3x raw.
 *
 * Both run the interpreter's real path (resolved once: a pyenv shim costs ~75 ms a start).
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { ARBOR_PYTHON_PIPELINE, arborRunner, loadArborWorkers, workerRecord, workerSystem } from './arbor.js';
import { bracketedThroughput, closeAll, interleavedRtt, median, pairedRatio, warmUp } from './measure.js';
import { fifoPool, stdioEndpoints, type TaskRunner } from './rawTransports.js';

const WORKERS = 2;
/** The raw framed echo. */
export const PYTHON_ECHO = fileURLToPath(new URL('../../../../python/echo.py', import.meta.url));
/** Arbor's Python worker script (serves `inc`). */
export const PYTHON_ARBOR_SCRIPT = fileURLToPath(new URL('../../../../python/arbor_inc.py', import.meta.url));

let resolved: string | undefined;

/**
 * The real path of `python3` (past any pyenv shim), resolved once per run.
 *
 * @example
 * spawn(pythonPath(), [PYTHON_ECHO]);
 */
export function pythonPath(): string {
  resolved ??= execFileSync('python3', ['-c', 'import sys; print(sys.executable)'], { encoding: 'utf8' }).trim();
  return resolved;
}

interface PythonContenders {
  readonly limit: TaskRunner;
  readonly perMessage: TaskRunner;
  readonly arrayBatched: TaskRunner;
  readonly arbor: TaskRunner | undefined;
  readonly arborMissing: string | undefined;
  close(): Promise<void>;
}

async function startPythonContenders(): Promise<PythonContenders> {
  const { system, shutdown } = await workerSystem();
  const started: TaskRunner[] = [];
  const close = async (): Promise<void> => {
    try {
      await closeAll(started);
    } finally {
      await shutdown();
    }
  };
  try {
    const python = pythonPath();
    const limit = fifoPool(await stdioEndpoints(python, [PYTHON_ECHO], WORKERS), { batch: 'each' });
    started.push(limit);
    const perMessage = fifoPool(await stdioEndpoints(python, [PYTHON_ECHO], WORKERS), { batch: false });
    started.push(perMessage);
    const arrayBatched = fifoPool(await stdioEndpoints(python, [PYTHON_ECHO], WORKERS), { batch: true });
    started.push(arrayBatched);
    const api = await loadArborWorkers();
    let arbor: TaskRunner | undefined;
    if (typeof api !== 'string') {
      const profile = api.pythonProfile({ script: PYTHON_ARBOR_SCRIPT, python });
      arbor = await arborRunner(api, system, WORKERS, (i) => ({ profile, name: `bench-python-${i}`, pipeline: ARBOR_PYTHON_PIPELINE }));
      started.push(arbor);
    }
    for (const r of started) await warmUp(r);
    return { limit, perMessage, arrayBatched, arbor, arborMissing: typeof api === 'string' ? api : undefined, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * `python_tasks` (see the file comment): Arbor's pythonProfile against the raw batched framed echo.
 *
 * @example
 * const record = await pythonTasksWorkload(QUICK);
 */
export async function pythonTasksWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const c = await startPythonContenders();
  try {
    const others: Record<string, TaskRunner> = { raw_per_message: c.perMessage, raw_array_batched: c.arrayBatched };
    if (c.arbor !== undefined) others['arbor'] = c.arbor;
    const runs = await bracketedThroughput(c.limit, others, sizes.workerTasksN, sizes.rounds);
    const hasArbor = c.arbor !== undefined;
    return workerRecord(c.arborMissing, {
      arbor: hasArbor ? median(runs.tput['arbor']!) : 0,
      limit: median(hasArbor ? runs.reference['arbor']! : runs.tput['limit']!),
      peers: { raw_per_message: median(runs.tput['raw_per_message']!), raw_array_batched: median(runs.tput['raw_array_batched']!) },
      unit: 'tasks/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.7 }],
      extra: {
        n: sizes.workerTasksN,
        workers: WORKERS,
        rounds: sizes.rounds,
        ...(hasArbor ? { paired_ratio_arbor: pairedRatio(runs, 'arbor') } : {}),
        paired_ratio_raw_per_message: pairedRatio(runs, 'raw_per_message'),
        paired_ratio_raw_array_batched: pairedRatio(runs, 'raw_array_batched'),
        arbor_pipeline: ARBOR_PYTHON_PIPELINE,
        python: pythonPath(),
      },
    });
  } finally {
    await c.close();
  }
}

/**
 * `python_rtt_us` (see the file comment): sequential round trips against the raw framed echo.
 *
 * @example
 * const record = await pythonRttWorkload(QUICK);
 */
export async function pythonRttWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const c = await startPythonContenders();
  try {
    const contenders: Record<string, TaskRunner> = { limit: c.perMessage };
    if (c.arbor !== undefined) contenders['arbor'] = c.arbor;
    const runs = await interleavedRtt(contenders, sizes.workerRttN, sizes.rounds);
    const hasArbor = c.arbor !== undefined;
    return workerRecord(c.arborMissing, {
      arbor: hasArbor ? median(runs.median['arbor']!) : 0,
      limit: median(runs.median['limit']!),
      peers: {},
      unit: 'us',
      better: 'lower',
      targets: [{ against: 'limit', op: '<=', value: 1.3 }],
      extra: {
        p99: hasArbor ? median(runs.p99['arbor']!) : null,
        limit_p99: median(runs.p99['limit']!),
        n: sizes.workerRttN,
        workers: WORKERS,
        rounds: sizes.rounds,
        python: pythonPath(),
      },
    });
  } finally {
    await c.close();
  }
}
