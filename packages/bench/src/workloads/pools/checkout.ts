/**
 * `checkout_checkin`: checkouts/s through a checkout pool of 2 thread workers, each checkout
 * used for one round trip and checked in (pools.md §4.8: "checkout + one call + checkin").
 * `checkoutClients` clients run at once, each looping: check out, one request, check in,
 * until `checkoutN` operations are done in the block. At most 2 requests are in flight.
 *
 * - arbor: `@arbor/pool`'s `startPool({ worker: threadProfile(...), size: 2 })`; each loop is
 *   `pool.checkout()`, `lease.worker.request('inc', x)`, `lease.checkin()`.
 *   `transaction` (an extra) runs the same through `pool.transaction(...)`.
 * - limit: the bound W / raw RTT, W = 2 workers, RTT the median sequential round trip of
 *   the raw thread echo (one `postMessage` on a plain MessageChannel, as in `thread_rtt_us`).
 *   Each block of a contender is bracketed by a raw RTT block before and after; `limit` is
 *   the median of the bounds around Arbor's blocks.
 * - peer `generic-pool`: generic-pool 3.9.0 (`max: 2`) over 2 raw thread echoes; each loop
 *   acquires one, does one round trip, releases it (pools.md's `generic-pool+raw-thread`).
 * - `raw_w_loops` (an extra): 2 loops, each doing sequential round trips on its own raw
 *   echo, no pool: what 2 exclusive workers reach on this machine with nothing between.
 *
 * Every block runs after a full GC, its contender order rotated per round, and checks
 * every reply.
 */
import { Pools, type CheckoutPool } from '@arbor/pool';
import { threadProfile, type WorkerHandle } from '@arbor/worker-profiles';
import genericPool from 'generic-pool';
import type { TargetSpec, WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { collectGarbage, now, percentile, perSecond, sleep } from '../../util.js';
import { ARBOR_WORKER_MODULE, loadArborWorkers, workerRecord, workerSystem } from '../workers/arbor.js';
import { closeAll, median, round3 } from '../workers/measure.js';
import { fifoPool, threadEndpoints, type TaskRunner } from '../workers/rawTransports.js';
import type { handlers } from '../workers/modules/arborWorker.js';

const WORKERS = 2;
const THREAD_ECHO = new URL('../workers/modules/threadEcho.js', import.meta.url);

/** One client of a closed loop: an operation on `x` that answers `x + 1`. */
type Operation = (x: number) => Promise<number>;

/** A checkout contender: what each of its clients runs (given the client's index), and how to close it. */
export interface LoopContender {
  readonly label: string;
  client(index: number): Operation;
  close(): Promise<void>;
}

/**
 * Operations/s of `clients` loops sharing `n` operations `0..n-1`, each loop awaiting its
 * own operation before the next; throws unless every reply is `x + 1`.
 *
 * @example
 * const perSecond = await closedLoop(arbor, 20_000, 64);
 */
export async function closedLoop(contender: LoopContender, n: number, clients: number): Promise<number> {
  collectGarbage();
  await sleep(20);
  let next = 0;
  let wrong: string | undefined;
  const loop = async (op: Operation): Promise<void> => {
    while (next < n) {
      const x = next++;
      const v = await op(x);
      if (v !== x + 1) wrong ??= `${contender.label}: operation ${x} answered ${String(v)}, not ${x + 1}`;
    }
  };
  const ops = Array.from({ length: clients }, (_, i) => contender.client(i));
  const t0 = now();
  await Promise.all(ops.map(loop));
  const dt = now() - t0;
  if (wrong !== undefined) throw new Error(`checkout_checkin: ${wrong}`);
  return perSecond(n, dt);
}

/**
 * The median sequential round trip of `raw` in microseconds over `s` round trips (one in
 * flight at a time, round-robin over its workers).
 *
 * @example
 * const us = await rawRttUs(raw, 2_000);
 */
export async function rawRttUs(raw: TaskRunner, s: number): Promise<number> {
  const lat = new Array<number>(s);
  for (let i = 0; i < s; i++) {
    const t0 = now();
    const v = await raw.run(i);
    lat[i] = now() - t0;
    if (v !== i + 1) throw new Error(`checkout_checkin: the raw echo answered ${v}, not ${i + 1}`);
  }
  return percentile(lat.sort((a, b) => a - b), 0.5) * 1000;
}

/** W / RTT in operations per second, for an RTT in microseconds. */
function bound(rttUs: number): number {
  return Math.round((WORKERS * 1e6) / rttUs);
}

/** The Arbor pool contenders (checkout/checkin, and transaction) over one pool. */
function arborContenders(pool: CheckoutPool<WorkerHandle<typeof handlers>>): { checkin: LoopContender; transaction: LoopContender } {
  const viaCheckin: Operation = async (x) => {
    const lease = await pool.checkout();
    try {
      return await lease.worker.request('inc', x);
    } finally {
      lease.checkin();
    }
  };
  const viaTransaction: Operation = (x) => pool.transaction((w) => w.request('inc', x));
  return {
    checkin: { label: 'arbor', client: () => viaCheckin, close: async () => {} },
    transaction: { label: 'transaction', client: () => viaTransaction, close: async () => {} },
  };
}

/**
 * generic-pool 3.9.0 over `WORKERS` raw thread echoes: acquire, one round trip, release.
 *
 * @example
 * const gp = await genericPoolContender(); await closedLoop(gp, 1_000, 8);
 */
export async function genericPoolContender(): Promise<LoopContender> {
  const eps = await threadEndpoints(THREAD_ECHO, WORKERS);
  // One FIFO runner per endpoint: a lease holds one worker, so one round trip is in flight on it.
  const resources = eps.map((ep) => fifoPool([ep], { batch: false }));
  let k = 0;
  const pool = genericPool.createPool<TaskRunner>({ create: async () => resources[k++ % resources.length]!, destroy: async () => {} }, { min: WORKERS, max: WORKERS });
  const op: Operation = async (x) => {
    const r = await pool.acquire();
    try {
      return await r.run(x);
    } finally {
      void pool.release(r);
    }
  };
  return {
    label: 'generic-pool',
    client: () => op,
    close: async () => {
      await pool.drain();
      await pool.clear();
      await closeAll(resources);
    },
  };
}

/**
 * `WORKERS` loops, each on its own raw thread echo, no pool (more clients than workers share them round-robin).
 *
 * @example
 * const raw = await rawLoopsContender(); await closedLoop(raw, 1_000, 2);
 */
export async function rawLoopsContender(): Promise<LoopContender> {
  const runners = (await threadEndpoints(THREAD_ECHO, WORKERS)).map((ep) => fifoPool([ep], { batch: false }));
  return {
    label: 'raw_w_loops',
    client: (i) => {
      const r = runners[i % runners.length]!;
      return (x) => r.run(x);
    },
    close: () => closeAll(runners),
  };
}

/** Per contender: its ops/s per block, and the bound (W / raw RTT) around each block. */
interface Runs {
  readonly tput: Record<string, number[]>;
  readonly around: Record<string, number[]>;
  readonly rttUs: number[];
}

async function bracketedLoops(raw: TaskRunner, contenders: Readonly<Record<string, { c: LoopContender; clients: number }>>, sizes: Sizes): Promise<Runs> {
  const names = Object.keys(contenders);
  const tput: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const around: Record<string, number[]> = Object.fromEntries(names.map((n) => [n, []]));
  const rttUs: number[] = [];
  for (let r = 0; r < sizes.rounds; r++) {
    for (let k = 0; k < names.length; k++) {
      const name = names[(k + r) % names.length]!;
      const { c, clients } = contenders[name]!;
      collectGarbage();
      const before = await rawRttUs(raw, sizes.workerRttN);
      const v = await closedLoop(c, sizes.checkoutN, clients);
      const after = await rawRttUs(raw, sizes.workerRttN);
      rttUs.push(before, after);
      tput[name]!.push(v);
      around[name]!.push((bound(before) + bound(after)) / 2);
    }
  }
  return { tput, around, rttUs };
}

/**
 * `checkout_checkin` (see the file comment): checkouts/s; targets >= 0.6x the bound W / raw
 * RTT, >= 2x generic-pool.
 *
 * @example
 * const record = await checkoutCheckinWorkload(QUICK);
 */
export async function checkoutCheckinWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { system, shutdown } = await workerSystem();
  const started: Pick<TaskRunner, 'label' | 'close'>[] = [];
  let pools: Pools | undefined;
  try {
    const raw = fifoPool(await threadEndpoints(THREAD_ECHO, WORKERS), { batch: false });
    started.push(raw);
    const api = await loadArborWorkers();
    const clients = sizes.checkoutClients;
    const contenders: Record<string, { c: LoopContender; clients: number }> = {};
    if (typeof api !== 'string') {
      pools = await Pools.start(system, { name: 'bench.pools' });
      const pool = await startThreadPool(pools, 'bench-checkout');
      const arbor = arborContenders(pool);
      contenders['arbor'] = { c: arbor.checkin, clients };
      contenders['transaction'] = { c: arbor.transaction, clients };
    }
    const gp = await genericPoolContender();
    started.push(gp);
    contenders['generic-pool'] = { c: gp, clients };
    const loops = await rawLoopsContender();
    started.push(loops);
    contenders['raw_w_loops'] = { c: loops, clients: WORKERS };
    // Warm-up: JIT, the pools' queues, the workers.
    await rawRttUs(raw, 300);
    for (const { c, clients: n } of Object.values(contenders)) await closedLoop(c, 2_000, n);

    const runs = await bracketedLoops(raw, contenders, sizes);
    const has = (n: string): boolean => (runs.tput[n]?.length ?? 0) > 0;
    const m = (n: string): number => (has(n) ? median(runs.tput[n]!) : 0);
    const paired = (n: string): number | null => (has(n) ? round3(median(runs.tput[n]!.map((v, i) => v / runs.around[n]![i]!))) : null);
    const limit = median(has('arbor') ? runs.around['arbor']! : runs.around['generic-pool']!);
    const targets: TargetSpec[] = [
      { against: 'limit', op: '>=', value: 0.6 },
      { against: 'generic-pool', op: '>=', value: 2 },
    ];
    return workerRecord(typeof api === 'string' ? api : undefined, {
      arbor: m('arbor'),
      limit,
      peers: { 'generic-pool': m('generic-pool') },
      unit: 'checkouts/s',
      better: 'higher',
      targets,
      extra: {
        raw_rtt_us: Math.round(median(runs.rttUs) * 10) / 10,
        paired_ratio_arbor: paired('arbor'),
        transaction: has('transaction') ? m('transaction') : null,
        paired_ratio_transaction: paired('transaction'),
        paired_ratio_generic_pool: paired('generic-pool'),
        raw_w_loops: m('raw_w_loops'),
        paired_ratio_raw_w_loops: paired('raw_w_loops'),
        n: sizes.checkoutN,
        clients,
        workers: WORKERS,
        rounds: sizes.rounds,
      },
    });
  } finally {
    try {
      await pools?.stop();
      await closeAll(started);
    } finally {
      await shutdown();
    }
  }
}

/**
 * A checkout pool of `WORKERS` Arbor thread workers serving `inc`.
 *
 * @example
 * const pool = await startThreadPool(pools, 'bench-checkout');
 */
export async function startThreadPool(pools: Pools, name: string, extra: { readonly intensity?: number; readonly period?: number } = {}): Promise<CheckoutPool<WorkerHandle<typeof handlers>>> {
  const r = await pools.startPool({ name, worker: threadProfile<typeof handlers>({ module: ARBOR_WORKER_MODULE }), size: WORKERS, ...extra });
  if (r.status === 'error') throw r.reason;
  return r.pool;
}
