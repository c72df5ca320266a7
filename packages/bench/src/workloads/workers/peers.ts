/**
 * The peer pools in the thread workloads, each with 2 workers running `x => x + 1`, their
 * defaults otherwise (what a user gets): piscina 5, tinypool 2, poolifier 5
 * (`FixedThreadPool`), workerpool 10 (`workerType: 'thread'`).
 */
import { Piscina } from 'piscina';
import { FixedThreadPool } from 'poolifier';
import Tinypool from 'tinypool';
import workerpool from 'workerpool';
import type { TaskRunner } from './rawTransports.js';

const PEER_TASK = new URL('./modules/peerTask.js', import.meta.url);
const POOLIFIER_WORKER = new URL('./modules/poolifierWorker.js', import.meta.url);
const WORKERPOOL_WORKER = new URL('./modules/workerpoolWorker.js', import.meta.url);

/**
 * Factories of the peer pools by name, each over `workers` threads.
 *
 * @example
 * const piscina = await threadPeers['piscina']!(2);
 * await piscina.run(1); // 2
 */
export const threadPeers: Readonly<Record<string, (workers: number) => Promise<TaskRunner>>> = {
  piscina: async (workers) => {
    const pool = new Piscina<number, number>({ filename: PEER_TASK.href, minThreads: workers, maxThreads: workers });
    return { label: 'piscina', run: (x) => pool.run(x), close: () => pool.destroy() };
  },
  tinypool: async (workers) => {
    const pool = new Tinypool({ filename: PEER_TASK.href, minThreads: workers, maxThreads: workers });
    return { label: 'tinypool', run: (x) => pool.run(x) as Promise<number>, close: () => pool.destroy() };
  },
  poolifier: async (workers) => {
    const pool = new FixedThreadPool<number, number>(workers, POOLIFIER_WORKER.pathname, { errorHandler: () => {} });
    if (pool.info.ready !== true) await new Promise<void>((resolve) => pool.emitter?.once('ready', () => resolve()));
    return { label: 'poolifier', run: (x) => pool.execute(x, 'inc'), close: () => pool.destroy() };
  },
  workerpool: async (workers) => {
    const pool = workerpool.pool(WORKERPOOL_WORKER.pathname, { minWorkers: workers, maxWorkers: workers, workerType: 'thread' });
    return {
      label: 'workerpool',
      run: (x) => pool.exec('inc', [x]) as unknown as Promise<number>,
      close: async () => {
        await pool.terminate();
      },
    };
  },
};
