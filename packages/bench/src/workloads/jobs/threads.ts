/**
 * The job pool workloads on threads (`@arbor/pool` `JobPool`, 2 thread workers over the
 * task worker, task `inc: x => x + 1` from this package's jobTasks module by `defineTask`):
 *
 * - `jobpool_thread_tasks`: tasks/s with `workerTasksN` (100k) and `workerTasksSmallN` (10k)
 *   jobs in flight. Limit: the raw per-message transport (as `thread_tasks`). Peers: the raw
 *   batched transport, piscina, tinypool, poolifier, workerpool, and `worker` (Arbor's
 *   `startWorker` threads of `thread_tasks` with no job layer: what the pool adds). The
 *   pool's workers take {@link JOB_CAPACITY} jobs each (thread capacity and
 *   `capacityPerWorker`, as `thread_tasks`'s arbor_capacity); the rest wait in the pool's
 *   queue (`maxQueue` and `queueTimeoutMs` Infinity). Bracketed blocks, as `thread_tasks`.
 * - `jobpool_rtt_us`: sequential jobs in interleaved blocks of 100; target <= 1.5x the raw RTT.
 */
import { TASK_WORKER_URL } from '@arbor/pool';
import type { TargetSpec, WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { ARBOR_THREAD_CAPACITY, ARBOR_WORKER_MODULE, arborRunner, loadArborWorkers, workerRecord, workerSystem } from '../workers/arbor.js';
import { bracketedThroughput, closeAll, figures, interleavedRtt, median, pairedRatios, round3, warmUp } from '../workers/measure.js';
import { threadPeers } from '../workers/peers.js';
import { fifoPool, threadEndpoints, type TaskRunner } from '../workers/rawTransports.js';
import { jobPoolRunner } from './jobRunner.js';

const WORKERS = 2;
const THREAD_ECHO = new URL('../workers/modules/threadEcho.js', import.meta.url);
/** Jobs each pool worker runs at once (its thread capacity and the pool's capacityPerWorker). */
export const JOB_CAPACITY = ARBOR_THREAD_CAPACITY;
/** The pool peers the `best_peer` figure is the best of. */
const POOL_PEERS = Object.keys(threadPeers);

interface Contenders {
  readonly limit: TaskRunner;
  readonly others: Record<string, TaskRunner>;
  readonly arborMissing: string | undefined;
  close(): Promise<void>;
}

async function startContenders(withPeers: boolean): Promise<Contenders> {
  const { system, shutdown } = await workerSystem();
  const started: TaskRunner[] = [];
  const keep = <T extends TaskRunner>(r: T): T => {
    started.push(r);
    return r;
  };
  const close = async (): Promise<void> => {
    try {
      await closeAll(started);
    } finally {
      await shutdown();
    }
  };
  try {
    const limit = keep(fifoPool(await threadEndpoints(THREAD_ECHO, WORKERS), { batch: false }));
    const others: Record<string, TaskRunner> = {};
    const api = await loadArborWorkers();
    if (typeof api !== 'string') {
      const profile = api.threadProfile({ module: TASK_WORKER_URL, capacity: JOB_CAPACITY });
      others['arbor'] = keep(
        await jobPoolRunner(system, { name: 'bench-jobs', profile: profile as never, minWorkers: WORKERS, maxWorkers: WORKERS, capacityPerWorker: JOB_CAPACITY, maxQueue: Infinity, queueTimeoutMs: Infinity }),
      );
      const direct = api.threadProfile({ module: ARBOR_WORKER_MODULE, capacity: ARBOR_THREAD_CAPACITY });
      others['worker'] = keep(await arborRunner(api, system, WORKERS, (i) => ({ profile: direct, name: `bench-jobs-direct-${i}` })));
    }
    others['raw_batched'] = keep(fifoPool(await threadEndpoints(THREAD_ECHO, WORKERS), { batch: true }));
    if (withPeers) for (const [name, make] of Object.entries(threadPeers)) others[name] = keep(await make(WORKERS));
    await warmUp(limit);
    for (const r of Object.values(others)) await warmUp(r);
    return { limit, others, arborMissing: typeof api === 'string' ? api : undefined, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/** The best of the pool peers (their highest throughput or lowest latency) and its name. */
function bestPeer(peers: Readonly<Record<string, number>>, better: 'higher' | 'lower'): { value: number; name: string } {
  let name = '';
  let value = better === 'higher' ? 0 : Infinity;
  for (const p of POOL_PEERS) {
    const v = peers[p];
    if (v === undefined || v <= 0) continue;
    if (better === 'higher' ? v > value : v < value) {
      value = v;
      name = p;
    }
  }
  return { value: value === Infinity ? 0 : value, name };
}

/**
 * `jobpool_thread_tasks`: see the file comment. Targets: >= 1.0x the raw per-message limit,
 * >= 5x the best pool peer (`best_peer`), and the 100k figure >= 0.9x the 10k one.
 *
 * @example
 * const record = await jobPoolThreadTasksWorkload(QUICK);
 */
export async function jobPoolThreadTasksWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const c = await startContenders(true);
  try {
    const names = Object.keys(c.others);
    const peers = names.filter((n) => n !== 'arbor');
    const big = await bracketedThroughput(c.limit, c.others, sizes.workerTasksN, sizes.rounds);
    const small = await bracketedThroughput(c.limit, c.others, sizes.workerTasksSmallN, sizes.rounds);
    const atBig = figures(big, peers);
    const atSmall = figures(small, peers);
    const best = bestPeer(atBig.peers, 'higher');
    const targets: TargetSpec[] = [
      { against: 'limit', op: '>=', value: 1.0 },
      { against: 'best_peer', op: '>=', value: 5 },
      { against: 'absolute', of: 'ratio_100k_to_10k', op: '>=', value: 0.9 },
    ];
    return workerRecord(c.arborMissing, {
      arbor: atBig.arbor,
      limit: atBig.limit,
      peers: { ...atBig.peers, best_peer: best.value },
      unit: 'tasks/s',
      better: 'higher',
      targets,
      extra: {
        n: sizes.workerTasksN,
        n_small: sizes.workerTasksSmallN,
        workers: WORKERS,
        rounds: sizes.rounds,
        best_peer_name: best.name,
        ...pairedRatios(big, names),
        ratio_100k_to_10k: atBig.arbor > 0 && atSmall.arbor > 0 ? round3(atBig.arbor / atSmall.arbor) : null,
        arbor_small: atSmall.arbor,
        limit_small: atSmall.limit,
        ratio_small_limit: atSmall.arbor > 0 && atSmall.limit > 0 ? round3(atSmall.arbor / atSmall.limit) : null,
        ...pairedRatios(small, names, '_small'),
        ...Object.fromEntries(peers.map((p) => [`${p}_small`, atSmall.peers[p]])),
        capacity_per_worker: JOB_CAPACITY,
      },
    });
  } finally {
    await c.close();
  }
}

/**
 * `jobpool_rtt_us`: median sequential job round trip in µs; target <= 1.5x the raw RTT.
 *
 * @example
 * const record = await jobPoolRttWorkload(QUICK);
 */
export async function jobPoolRttWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const c = await startContenders(true);
  try {
    const runs = await interleavedRtt({ limit: c.limit, ...c.others }, sizes.workerRttN, sizes.rounds);
    const peers = Object.keys(c.others).filter((n) => n !== 'arbor');
    const hasArbor = 'arbor' in c.others;
    const peerFigures = Object.fromEntries(peers.map((p) => [p, median(runs.median[p]!)]));
    const best = bestPeer(peerFigures, 'lower');
    return workerRecord(c.arborMissing, {
      arbor: hasArbor ? median(runs.median['arbor']!) : 0,
      limit: median(runs.median['limit']!),
      peers: { ...peerFigures, best_peer: best.value },
      unit: 'us',
      better: 'lower',
      targets: [{ against: 'limit', op: '<=', value: 1.5 }],
      extra: {
        p99: hasArbor ? median(runs.p99['arbor']!) : null,
        limit_p99: median(runs.p99['limit']!),
        worker_p99: hasArbor ? median(runs.p99['worker']!) : null,
        best_peer_name: best.name,
        n: sizes.workerRttN,
        workers: WORKERS,
        rounds: sizes.rounds,
      },
    });
  } finally {
    await c.close();
  }
}
