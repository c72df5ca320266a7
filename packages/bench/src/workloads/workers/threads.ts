/**
 * The thread workloads, 2 workers each, task `x => x + 1`:
 *
 * - `thread_tasks`: tasks/s with `workerTasksN` (100k) and `workerTasksSmallN` (10k) in
 *   flight. Limit: the raw per-message transport (one `postMessage` per task on a plain
 *   MessageChannel, one promise per task, replies matched FIFO per worker). Peers: the raw
 *   batched transport, piscina, tinypool, poolifier, workerpool. Arbor: 2 `startWorker`
 *   thread workers of capacity {@link ARBOR_THREAD_CAPACITY}, requests round-robin. Every
 *   block is bracketed by a limit block before and after; `arbor` and the peers are medians
 *   over the rounds and `limit` the median of the blocks around Arbor's.
 * - `thread_rtt_us`: sequential round trips, blocks of 100 interleaved across all of them.
 */
import type { TargetSpec, WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { ARBOR_THREAD_CAPACITY, ARBOR_WORKER_MODULE, arborRunner, loadArborWorkers, workerRecord, workerSystem } from './arbor.js';
import { bracketedThroughput, closeAll, figures, interleavedRtt, median, pairedRatios, round3, warmUp } from './measure.js';
import { threadPeers } from './peers.js';
import { fifoPool, threadEndpoints, type TaskRunner } from './rawTransports.js';

const WORKERS = 2;
const THREAD_ECHO = new URL('./modules/threadEcho.js', import.meta.url);

interface ThreadContenders {
  readonly limit: TaskRunner;
  /** Arbor (when present), the raw batched transport and the peers, by name. */
  readonly others: Record<string, TaskRunner>;
  readonly arborMissing: string | undefined;
  close(): Promise<void>;
}

async function startThreadContenders(): Promise<ThreadContenders> {
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
      const profile = api.threadProfile({ module: ARBOR_WORKER_MODULE, capacity: ARBOR_THREAD_CAPACITY });
      others['arbor'] = keep(await arborRunner(api, system, WORKERS, (i) => ({ profile, name: `bench-thread-${i}` })));
    }
    others['raw_batched'] = keep(fifoPool(await threadEndpoints(THREAD_ECHO, WORKERS), { batch: true }));
    for (const [name, make] of Object.entries(threadPeers)) others[name] = keep(await make(WORKERS));
    await warmUp(limit);
    for (const r of Object.values(others)) await warmUp(r);
    return { limit, others, arborMissing: typeof api === 'string' ? api : undefined, close };
  } catch (e) {
    await close();
    throw e;
  }
}

/**
 * `thread_tasks`: see the file comment. Targets: >= 1.0x the raw per-message limit, >= 5x
 * piscina, and the 100k figure >= 0.9x the 10k one (`ratio_100k_to_10k`).
 *
 * @example
 * const record = await threadTasksWorkload(QUICK);
 */
export async function threadTasksWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const c = await startThreadContenders();
  try {
    const names = Object.keys(c.others);
    const peers = names.filter((n) => n !== 'arbor');
    const big = await bracketedThroughput(c.limit, c.others, sizes.workerTasksN, sizes.rounds);
    const small = await bracketedThroughput(c.limit, c.others, sizes.workerTasksSmallN, sizes.rounds);
    const atBig = figures(big, peers);
    const atSmall = figures(small, peers);
    const targets: TargetSpec[] = [
      { against: 'limit', op: '>=', value: 1.0 },
      { against: 'piscina', op: '>=', value: 5 },
      { against: 'absolute', of: 'ratio_100k_to_10k', op: '>=', value: 0.9 },
    ];
    return workerRecord(c.arborMissing, {
      arbor: atBig.arbor,
      limit: atBig.limit,
      peers: atBig.peers,
      unit: 'tasks/s',
      better: 'higher',
      targets,
      extra: {
        n: sizes.workerTasksN,
        n_small: sizes.workerTasksSmallN,
        workers: WORKERS,
        rounds: sizes.rounds,
        ...pairedRatios(big, names),
        ratio_100k_to_10k: atBig.arbor > 0 && atSmall.arbor > 0 ? round3(atBig.arbor / atSmall.arbor) : null,
        arbor_small: atSmall.arbor,
        limit_small: atSmall.limit,
        ...pairedRatios(small, names, '_small'),
        ...Object.fromEntries(peers.map((p) => [`${p}_small`, atSmall.peers[p]])),
        arbor_capacity: ARBOR_THREAD_CAPACITY,
      },
    });
  } finally {
    await c.close();
  }
}

/**
 * `thread_rtt_us`: median sequential round trip in µs; target <= 1.5x the raw per-message limit.
 *
 * @example
 * const record = await threadRttWorkload(QUICK);
 */
export async function threadRttWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const c = await startThreadContenders();
  try {
    const runs = await interleavedRtt({ limit: c.limit, ...c.others }, sizes.workerRttN, sizes.rounds);
    const peers = Object.keys(c.others).filter((n) => n !== 'arbor');
    const hasArbor = 'arbor' in c.others;
    return workerRecord(c.arborMissing, {
      arbor: hasArbor ? median(runs.median['arbor']!) : 0,
      limit: median(runs.median['limit']!),
      peers: Object.fromEntries(peers.map((p) => [p, median(runs.median[p]!)])),
      unit: 'us',
      better: 'lower',
      targets: [{ against: 'limit', op: '<=', value: 1.5 }],
      extra: {
        p99: hasArbor ? median(runs.p99['arbor']!) : null,
        limit_p99: median(runs.p99['limit']!),
        n: sizes.workerRttN,
        workers: WORKERS,
        rounds: sizes.rounds,
      },
    });
  } finally {
    await c.close();
  }
}
