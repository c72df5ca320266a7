/** How much work each workload does. */
export interface Sizes {
  /** Casts per round (Arbor and the ring-buffer limit). */
  readonly castN: number;
  /** Events per round sent to the xstate machine (it runs ~50x slower, so fewer). */
  readonly castPeerN: number;
  /** Sequential call round trips per round (Arbor and the promise limit). */
  readonly callN: number;
  /** Actors started per round, Arbor and xstate alike. */
  readonly spawnN: number;
  /** Idle actors held while measuring heap bytes per actor. */
  readonly bytesN: number;
  /** Casts queued before measuring event-loop delay while they drain. */
  readonly lagN: number;
  /** Crash/restart cycles per round (Arbor, the limit and the unsupervised respawn alike). */
  readonly restartN: number;
  /** Children started and stopped under one DynamicSupervisor (and a tenth of it, for the scaling ratio). */
  readonly dynsupN: number;
  /** Lookups per round in the 10k-key registry (and on the Map limit). */
  readonly lookupN: number;
  /** Named actors that come and go (batches of 5,000) in `registry_churn`. */
  readonly churnN: number;
  /** Messages a slow-handler actor drains in `loop_lag_slow_handler` (~1 ms each). */
  readonly slowLagN: number;
  /** Reserve + activate pairs per round through the process registry (and lmdb puts for the limit). */
  readonly reserveActivateN: number;
  /** Stale entries (dead owners, dead pids) the start-up orphan cleanup removes per round. */
  readonly orphanScanN: number;
  /** Events per round into the machine actor (@arbor/xstate) and into the bare xstate actor. */
  readonly machineCastN: number;
  /** Keys in the table workloads' tables (set get, inserts). */
  readonly tableKeys: number;
  /** Keys in the big ordered_set (range queries, and the insert-cost growth). */
  readonly tableBigKeys: number;
  /** Range queries per round in `table_range`. */
  readonly rangeN: number;
  /** Tasks in flight per block in `thread_tasks`, `process_tasks` and `python_tasks` (2 workers). */
  readonly workerTasksN: number;
  /** The smaller in-flight count of `thread_tasks` (its 100k-over-10k scaling). */
  readonly workerTasksSmallN: number;
  /** Sequential round trips per contender per round in `thread_rtt_us` and `python_rtt_us`. */
  readonly workerRttN: number;
  /** Worker starts per contender in `worker_start_ms` (the median counts). */
  readonly workerStarts: number;
  /** Checkout + one request + checkin operations per block in `checkout_checkin`. */
  readonly checkoutN: number;
  /** Concurrent clients looping in `checkout_checkin` (the pool has 2 workers, so most wait). */
  readonly checkoutClients: number;
  /** Counters in the supervised tree of `observer_cast`. */
  readonly observerActors: number;
  /** How long each `observer_cast` round casts, in ms (the observer samples a few times a second meanwhile). */
  readonly observerRoundMs: number;
  /** Manager kills (and reference starts) per pool in `pool_restart_ms` (median and p95 over them). */
  readonly poolKills: number;
  /** Rounds of every fault in `fault_settle_ms` (the worst counts). */
  readonly faultRounds: number;
  /** Sequential round trips per contender in `remote_call_us` (Arbor, raw TCP, bare NATS), pooled over interleaved blocks. */
  readonly clusterRttN: number;
  /** Calls per round with 256 in flight in `remote_call_pipelined` (Arbor and bare NATS). */
  readonly clusterPipelinedN: number;
  /** 64-byte casts per round to the remote counter in `remote_cast`. */
  readonly clusterCastN: number;
  /** One-way 64-byte messages per round of `remote_cast`'s raw TCP limit. */
  readonly clusterTcpOneWayN: number;
  /** `registry.whereis` lookups (and `Map.get`s) per round in `cluster_whereis`. */
  readonly clusterWhereisN: number;
  /** Names registered on one node and awaited on the other in `name_visible_ms` (the median counts). */
  readonly clusterNames: number;
  /** kill -9 rounds (each a fresh child node) per detector variant in `nodedown_ms`; the median counts. */
  readonly nodedownRounds: number;
  /** Timed rounds per contender; the best one counts. */
  readonly rounds: number;
}

/** The full run (`npm run bench`). */
export const FULL: Sizes = {
  castN: 5_000_000,
  observerActors: 1_000,
  observerRoundMs: 3_000,
  castPeerN: 300_000,
  callN: 500_000,
  spawnN: 100_000,
  bytesN: 100_000,
  lagN: 5_000_000,
  restartN: 2_000,
  dynsupN: 100_000,
  lookupN: 20_000_000,
  churnN: 1_000_000,
  slowLagN: 2_000,
  reserveActivateN: 20_000,
  orphanScanN: 10_000,
  machineCastN: 300_000,
  tableKeys: 100_000,
  tableBigKeys: 1_000_000,
  rangeN: 200_000,
  workerTasksN: 100_000,
  workerTasksSmallN: 10_000,
  workerRttN: 2_000,
  workerStarts: 10,
  checkoutN: 30_000,
  checkoutClients: 64,
  poolKills: 40,
  faultRounds: 5,
  clusterRttN: 10_000,
  clusterPipelinedN: 100_000,
  clusterCastN: 500_000,
  clusterTcpOneWayN: 2_000_000,
  clusterWhereisN: 2_000_000,
  clusterNames: 200,
  nodedownRounds: 5,
  rounds: 3,
};

/**
 * A smoke run (`--quick`): every code path, a couple of seconds in all. Its figures are not
 * comparable. `lagN` stays large enough for the drain to outlast a few 1 ms histogram samples.
 */
export const QUICK: Sizes = {
  castN: 100_000,
  observerActors: 200,
  observerRoundMs: 300,
  castPeerN: 10_000,
  callN: 20_000,
  spawnN: 2_000,
  bytesN: 5_000,
  lagN: 1_000_000,
  restartN: 200,
  dynsupN: 2_000,
  lookupN: 200_000,
  churnN: 20_000,
  slowLagN: 300,
  reserveActivateN: 1_000,
  orphanScanN: 1_000,
  machineCastN: 10_000,
  tableKeys: 10_000,
  tableBigKeys: 100_000,
  rangeN: 2_000,
  workerTasksN: 2_000,
  workerTasksSmallN: 500,
  workerRttN: 200,
  workerStarts: 2,
  checkoutN: 500,
  checkoutClients: 8,
  poolKills: 3,
  faultRounds: 1,
  clusterRttN: 300,
  clusterPipelinedN: 2_000,
  clusterCastN: 5_000,
  clusterTcpOneWayN: 50_000,
  clusterWhereisN: 20_000,
  clusterNames: 10,
  nodedownRounds: 1,
  rounds: 1,
};
