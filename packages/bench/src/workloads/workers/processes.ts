/**
 * `process_tasks`: tasks/s of `x => x + 1` on 2 Node child processes with `workerTasksN`
 * (100k) in flight. Limit: raw fork IPC, serialization json, one message per task, one
 * promise per task, replies matched FIFO per child. Peer: raw fork IPC, serialization
 * advanced, batched (the fastest Node IPC measured). Arbor: 2 `startWorker` workers over
 * `nodeProcessProfile` (capacity 1, `pipeline` {@link ARBOR_PROCESS_PIPELINE} so requests
 * are batched), round-robin. Every block is bracketed by limit blocks before and after.
 * Targets: >= 1.0x the limit, >= 0.3x the advanced batched transport.
 */
import type { WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { ARBOR_WORKER_MODULE, arborRunner, loadArborWorkers, workerRecord, workerSystem } from './arbor.js';
import { bracketedThroughput, closeAll, median, pairedRatio, warmUp } from './measure.js';
import { fifoPool, ipcEndpoints, type TaskRunner } from './rawTransports.js';

const WORKERS = 2;
const IPC_ECHO = new URL('./modules/ipcEcho.js', import.meta.url);

/** Requests sent beyond capacity to each capacity-1 Node process worker (keeps the channel full, batched). */
export const ARBOR_PROCESS_PIPELINE = 1024;

/**
 * `process_tasks` (see the file comment): Arbor's nodeProcessProfile against raw fork IPC json.
 *
 * @example
 * const record = await processTasksWorkload(QUICK);
 */
export async function processTasksWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { system, shutdown } = await workerSystem();
  const started: TaskRunner[] = [];
  try {
    const limit = fifoPool(await ipcEndpoints(IPC_ECHO, WORKERS, 'json'), { batch: false });
    started.push(limit);
    const others: Record<string, TaskRunner> = {};
    const api = await loadArborWorkers();
    if (typeof api !== 'string') {
      const profile = api.nodeProcessProfile({ module: ARBOR_WORKER_MODULE });
      others['arbor'] = await arborRunner(api, system, WORKERS, (i) => ({ profile, name: `bench-process-${i}`, pipeline: ARBOR_PROCESS_PIPELINE }));
      started.push(others['arbor']);
    }
    others['raw_advanced_batched'] = fifoPool(await ipcEndpoints(IPC_ECHO, WORKERS, 'advanced'), { batch: true });
    started.push(others['raw_advanced_batched']);
    for (const r of started) await warmUp(r);

    const runs = await bracketedThroughput(limit, others, sizes.workerTasksN, sizes.rounds);
    const hasArbor = 'arbor' in others;
    return workerRecord(typeof api === 'string' ? api : undefined, {
      arbor: hasArbor ? median(runs.tput['arbor']!) : 0,
      limit: median(hasArbor ? runs.reference['arbor']! : runs.tput['limit']!),
      peers: { raw_advanced_batched: median(runs.tput['raw_advanced_batched']!) },
      unit: 'tasks/s',
      better: 'higher',
      targets: [
        { against: 'limit', op: '>=', value: 1.0 },
        { against: 'raw_advanced_batched', op: '>=', value: 0.3 },
      ],
      extra: {
        n: sizes.workerTasksN,
        workers: WORKERS,
        rounds: sizes.rounds,
        ...(hasArbor ? { paired_ratio_arbor: pairedRatio(runs, 'arbor') } : {}),
        paired_ratio_raw_advanced_batched: pairedRatio(runs, 'raw_advanced_batched'),
        arbor_pipeline: ARBOR_PROCESS_PIPELINE,
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
