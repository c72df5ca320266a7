import test from 'ava';
import { leftoverPids, startedPids } from '../src/workloads/workers/children.js';
import { makeRecord, type WorkloadRecord } from '../src/record.js';
import { renderJson, renderTable } from '../src/report.js';
import { QUICK } from '../src/sizes.js';
import { natsMissingRecord } from '../src/workloads/cluster/natsMissing.js';
import { runWorkloads, workloads } from '../src/workloads/index.js';

// Smoke test: every workload runs at --quick sizes and reports the documented shape.
// It never asserts a timing figure: those depend on the machine.

const results: Record<string, WorkloadRecord> = {};

function isPositiveNumber(v: unknown): boolean {
  return typeof v === 'number' && Number.isFinite(v) && v > 0;
}

test.serial('each workload reports arbor, limit, peers and unit', async (t) => {
  Object.assign(results, await runWorkloads(QUICK));
  t.deepEqual(Object.keys(results), ['cast', 'call', 'spawn', 'actor_bytes', 'loop_lag_ms', 'loop_lag_slow_handler', 'restart_us', 'dynsup_100k', 'registry_lookup', 'registry_churn', 'registry_reserve_activate', 'orphan_scan', 'machine_cast', 'observer_cast', 'table_set_get', 'table_set_insert', 'table_ordered_insert', 'table_range', 'thread_tasks', 'thread_rtt_us', 'process_tasks', 'python_tasks', 'python_rtt_us', 'worker_start_ms', 'checkout_checkin', 'pool_restart_ms', 'jobpool_thread_tasks', 'jobpool_rtt_us', 'jobpool_python_tasks', 'fault_settle_ms', 'remote_call_us', 'remote_call_pipelined', 'remote_cast', 'nodedown_ms', 'cluster_whereis', 'name_visible_ms']);
  for (const [name, r] of Object.entries(results)) {
    // A worker workload run before Arbor's workers exist reports arbor 0 and says why.
    if (typeof r['arbor_missing'] === 'string') t.is(r.arbor, 0, `${name}.arbor`);
    // A cluster workload run without nats-server reports no figure and says why.
    else if (typeof r['nats_missing'] === 'string') t.is(r.arbor, null, `${name}.arbor`);
    else t.true(isPositiveNumber(r.arbor), `${name}.arbor`);
    t.true(r.limit === null || isPositiveNumber(r.limit), `${name}.limit`);
    t.is(typeof r.unit, 'string', `${name}.unit`);
    t.true(r.unit.length > 0, `${name}.unit`);
    t.true(r.better === 'higher' || r.better === 'lower', `${name}.better`);
    for (const [peer, v] of Object.entries(r.peers)) t.true(isPositiveNumber(v), `${name}.peers.${peer}`);
    for (const [ref, v] of Object.entries(r.ratios)) t.true(isPositiveNumber(v), `${name}.ratios.${ref}`);
    t.true(r.targets.length > 0, `${name}.targets`);
    for (const target of r.targets) t.is(typeof target.met, 'boolean', `${name}.targets.met`);
  }
});

test.serial('limits and peers are where the workloads define them', (t) => {
  t.true(isPositiveNumber(results['cast']?.limit));
  t.true(isPositiveNumber(results['cast']?.peers['xstate']));
  t.true(isPositiveNumber(results['call']?.limit));
  t.deepEqual(results['call']?.peers, {});
  t.is(results['spawn']?.limit, null);
  t.true(isPositiveNumber(results['spawn']?.peers['xstate']));
  t.is(results['actor_bytes']?.limit, null);
  t.true(isPositiveNumber(results['actor_bytes']?.peers['xstate']));
  t.is(results['actor_bytes']?.better, 'lower');
  t.true(isPositiveNumber(results['loop_lag_ms']?.limit));
  t.deepEqual(results['loop_lag_ms']?.peers, {});
  t.true(isPositiveNumber(results['loop_lag_ms']?.['max']));
  t.true(isPositiveNumber(results['loop_lag_ms']?.['samples']));
  t.is(results['loop_lag_ms']?.better, 'lower');
});

test.serial('the supervision workloads report their documented fields', (t) => {
  const restart = results['restart_us']!;
  t.is(restart.unit, 'us');
  t.is(restart.better, 'lower');
  t.true(isPositiveNumber(restart.limit));
  t.deepEqual(restart.peers, {}, 'xstate has no supervisor: no peer');
  t.is(typeof restart['peer'], 'string');
  t.is(restart['median'], restart.arbor);
  for (const key of ['p99', 'limit_p99', 'respawn_median', 'respawn_p99']) t.true(isPositiveNumber(restart[key]), `restart_us.${key}`);
  t.true((restart['p99'] as number) >= (restart['median'] as number), 'p99 is not below the median');
  t.is(restart['cycles'], QUICK.restartN * QUICK.rounds);
  t.deepEqual(restart.targets.map((x) => x.of ?? 'arbor'), ['arbor', 'p99']);

  const dynsup = results['dynsup_100k']!;
  t.is(dynsup.unit, 'ms');
  t.is(dynsup.better, 'lower');
  t.true(isPositiveNumber(dynsup.limit));
  t.deepEqual(dynsup.peers, {});
  t.is(dynsup['ms'], dynsup.arbor);
  for (const key of ['ratio_10k_to_100k', 'ms_10k', 'start_ms', 'stop_ms', 'limit_ratio_10k_to_100k', 'plain_ms', 'plain_ratio_10k_to_100k']) {
    t.true(isPositiveNumber(dynsup[key]), `dynsup_100k.${key}`);
  }
  t.is(dynsup['n'], QUICK.dynsupN);
  const [target] = dynsup.targets;
  t.is(target?.of, 'ratio_10k_to_100k');
  t.is(target?.actual, dynsup['ratio_10k_to_100k'] as number);
});

test('an absolute target can bound an extra figure instead of arbor', (t) => {
  const r = makeRecord({
    arbor: 5,
    limit: null,
    peers: {},
    unit: 'ms',
    better: 'lower',
    targets: [
      { against: 'absolute', op: '<=', value: 10 },
      { against: 'absolute', of: 'ratio', op: '<=', value: 12 },
      { against: 'absolute', of: 'missing', op: '<=', value: 1 },
    ],
    extra: { ratio: 13 },
  });
  t.deepEqual(
    r.targets.map((x) => [x.actual, x.met]),
    [
      [5, true],
      [13, false],
      [null, false],
    ],
  );
  const table = renderTable({ w: r });
  t.true(table.includes('ratio <= 12.00'));
  t.true(table.includes('NOT MET (13.00, 8% over)'));
});

test.serial('--json output is one JSON object with one key per workload', (t) => {
  const parsed = JSON.parse(renderJson(results)) as Record<string, Record<string, unknown>>;
  t.deepEqual(Object.keys(parsed), workloads.map((w) => w.name));
  for (const r of Object.values(parsed)) {
    t.true('arbor' in r && 'limit' in r && 'peers' in r && 'unit' in r);
  }
});

test.serial('the table names every workload and counts the targets', (t) => {
  const table = renderTable(results);
  for (const w of workloads) t.true(table.includes(w.name), w.name);
  const total = Object.values(results).reduce((n, r) => n + r.targets.length, 0);
  t.regex(table, new RegExp(`targets met: \\d+ of ${total}`));
  t.true(table.includes('lower is better'));
});

test.serial('registry_lookup reports lookups/s against the Map.get limit on 10k keys', (t) => {
  const r = results['registry_lookup']!;
  t.is(r.unit, 'lookups/s');
  t.is(r.better, 'higher');
  t.true(isPositiveNumber(r.limit));
  t.deepEqual(r.peers, {});
  t.is(r['keys'], 10_000);
  t.is(r['n'], QUICK.lookupN);
  t.deepEqual(r.targets.map((x) => [x.against, x.op, x.value]), [['limit', '>=', 0.5]]);
});

test.serial('registry_churn reports the peak live heap against the unnamed churn, and the registries stay caught up', (t) => {
  const r = results['registry_churn']!;
  t.is(r.unit, 'MB (peak live heap)');
  t.is(r.better, 'lower');
  t.true(isPositiveNumber(r.limit));
  t.deepEqual(r.peers, {});
  t.is(r['n'], QUICK.churnN);
  t.is(r['batch'], 5_000);
  for (const key of ['peak_heap_nogc_mb', 'churn_ms', 'actors_per_s', 'limit_churn_ms']) t.true(isPositiveNumber(r[key]), `registry_churn.${key}`);
  t.is(typeof r['retained_bytes_per_actor'], 'number');
  // Not a timing figure: the registries clean up inside each exit, so no DOWN ever queues.
  t.is(r['peak_mailbox'], 0);
  t.deepEqual(r.targets.map((x) => [x.of, x.op, x.value]), [
    ['peak_mailbox', '<=', 16],
    ['retained_bytes_per_actor', '<=', 2],
  ]);
});

test.serial('loop_lag_slow_handler reports the p99 lag against a ring that yields after every slow message', (t) => {
  const r = results['loop_lag_slow_handler']!;
  t.is(r.unit, 'ms (p99)');
  t.is(r.better, 'lower');
  t.true(isPositiveNumber(r.limit));
  t.deepEqual(r.peers, {});
  t.is(r['n'], QUICK.slowLagN);
  t.is(r['handler_ms'], 1);
  for (const key of ['max', 'samples', 'drain_ms', 'limit_max', 'limit_drain_ms', 'idle_p99']) t.true(isPositiveNumber(r[key]), `loop_lag_slow_handler.${key}`);
  t.deepEqual(r.targets.map((x) => [x.against, x.op, x.value]), [['absolute', '<=', 5]]);
});

test.serial('registry_reserve_activate reports pairs/s against the raw lmdb batched put rate', (t) => {
  const r = results['registry_reserve_activate']!;
  t.is(r.unit, 'pairs/s');
  t.is(r.better, 'higher');
  t.true(isPositiveNumber(r.limit));
  t.deepEqual(r.peers, {});
  t.is(r['batch'], 100);
  t.deepEqual(r.targets.map((x) => [x.against, x.op, x.value]), [['limit', '>=', 0.3]]);
  if (process.platform === 'linux') {
    // The ceiling is the run's own required work: two puts at the limit's rate plus one stat read.
    const stat = r['stat_read_us'] as number;
    t.true(isPositiveNumber(stat));
    const ceiling = r['ceiling'] as number;
    t.true(Math.abs(ceiling - 1 / (2 / r.limit! + stat / 1e6)) <= ceiling * 0.01 + 1, 'ceiling = 1 / (2 / limit + stat_read_us)');
    t.true(ceiling < r.limit! / 2, 'below half the put rate');
    t.true(isPositiveNumber(r['of_ceiling']));
  }
});

test.serial('orphan_scan reports the start-up cleanup of stale entries in ms', (t) => {
  const r = results['orphan_scan']!;
  t.is(r.unit, 'ms');
  t.is(r.better, 'lower');
  t.is(r.limit, null);
  t.is(r['entries'], QUICK.orphanScanN);
  t.deepEqual(r.targets.map((x) => [x.against, x.op, x.value]), [['absolute', '<=', 1000]]);
});

test.serial('observer_cast reports casts/s with a connected observer page against the same tree without one', (t) => {
  const r = results['observer_cast']!;
  t.is(r.limit, null);
  t.deepEqual(Object.keys(r.peers), ['no_observer']);
  t.is(r.unit, 'casts/s');
  t.is(r['actors'], QUICK.observerActors);
  t.deepEqual(r.targets.map((x) => [x.against, x.op, x.value]), [['no_observer', '>=', 0.95]]);
  t.true(isPositiveNumber(r['page_bytes_last_round']), 'the page read the stream');
});

test.serial('machine_cast reports arbor against the bare xstate actor, no limit', (t) => {
  const r = results['machine_cast']!;
  t.is(r.limit, null);
  t.deepEqual(Object.keys(r.peers), ['xstate']);
  t.is(r.unit, 'events/s');
  t.is(r.better, 'higher');
  t.is(r['n'], QUICK.machineCastN);
  t.deepEqual(r.targets.map((x) => [x.against, x.op, x.value]), [['xstate', '>=', 0.8]]);
  t.is(typeof r.ratios['xstate'], 'number');
});

test.serial('the table workloads report their documented fields and targets', (t) => {
  const get = results['table_set_get']!;
  t.deepEqual(get.targets.map((x) => [x.against, x.op, x.value]), [['limit', '>=', 0.5]]);
  t.is(get['keys'], QUICK.tableKeys);
  const ordered = results['table_ordered_insert']!;
  t.deepEqual(Object.keys(ordered.peers), ['set_insert']);
  t.true(isPositiveNumber(ordered['growth_100k_to_1m']), 'growth_100k_to_1m');
  t.true(isPositiveNumber(ordered['map_growth_100k_to_1m']), 'map_growth_100k_to_1m');
  t.deepEqual(ordered.targets.map((x) => [x.against, x.of ?? 'arbor', x.op, x.value]), [
    ['set_insert', 'arbor', '>=', 0.3],
    ['absolute', 'growth_100k_to_1m', '<=', 1.5],
  ]);
  t.is(results['table_range']!['span'], 100);
  t.is(results['table_range']!.unit, 'queries/s');
});

const WORKER_WORKLOADS = ['thread_tasks', 'thread_rtt_us', 'process_tasks', 'python_tasks', 'python_rtt_us', 'worker_start_ms'];

test.serial('the worker workloads report their raw limits, peers and targets', (t) => {
  const tasks = results['thread_tasks']!;
  t.is(tasks.unit, 'tasks/s');
  t.deepEqual(Object.keys(tasks.peers), ['raw_batched', 'piscina', 'tinypool', 'poolifier', 'workerpool']);
  t.is(tasks['n'], QUICK.workerTasksN);
  t.is(tasks['n_small'], QUICK.workerTasksSmallN);
  for (const key of ['limit_small', 'paired_ratio_piscina', 'paired_ratio_raw_batched_small', 'workerpool_small']) t.true(isPositiveNumber(tasks[key]), `thread_tasks.${key}`);
  t.deepEqual(tasks.targets.map((x) => [x.against, x.of ?? 'arbor', x.op, x.value]), [
    ['limit', 'arbor', '>=', 1],
    ['piscina', 'arbor', '>=', 5],
    ['absolute', 'ratio_100k_to_10k', '>=', 0.9],
  ]);
  const rtt = results['thread_rtt_us']!;
  t.is(rtt.better, 'lower');
  t.true(isPositiveNumber(rtt['limit_p99']));
  t.deepEqual(rtt.targets.map((x) => [x.against, x.op, x.value]), [['limit', '<=', 1.5]]);
  t.deepEqual(Object.keys(results['process_tasks']!.peers), ['raw_advanced_batched']);
  t.deepEqual(results['process_tasks']!.targets.map((x) => [x.against, x.value]), [['limit', 1], ['raw_advanced_batched', 0.3]]);
  t.deepEqual(Object.keys(results['python_tasks']!.peers), ['raw_per_message', 'raw_array_batched']);
  t.deepEqual(results['python_tasks']!.targets.map((x) => [x.against, x.op, x.value]), [['limit', '>=', 0.7]]);
  t.deepEqual(results['python_rtt_us']!.targets.map((x) => [x.against, x.op, x.value]), [['limit', '<=', 1.3]]);
  const start = results['worker_start_ms']!;
  for (const key of ['bare_fork_ms', 'bare_python_ms']) t.true(isPositiveNumber(start[key]), `worker_start_ms.${key}`);
  t.deepEqual(start.targets.map((x) => x.of ?? x.against), ['limit', 'node_process_ratio', 'python_ratio']);
  for (const name of WORKER_WORKLOADS) {
    const r = results[name]!;
    t.true(isPositiveNumber(r.limit), `${name}.limit`);
    // Without Arbor: no ratio and no target claims to be met.
    if (typeof r['arbor_missing'] === 'string') {
      t.deepEqual(r.ratios, {}, `${name}.ratios`);
      t.true(r.targets.every((x) => !x.met && x.actual === null), `${name}.targets`);
    }
  }
});

test.serial('the checkout pool workloads report the bound, generic-pool and the restart times', (t) => {
  const c = results['checkout_checkin']!;
  t.is(c.unit, 'checkouts/s');
  t.is(c.better, 'higher');
  t.deepEqual(Object.keys(c.peers), ['generic-pool']);
  t.true(isPositiveNumber(c.limit), 'the bound W / raw RTT');
  // The bound is W / raw RTT, both measured in the run: 2 workers, RTT in microseconds.
  t.is(c['workers'], 2);
  t.true(isPositiveNumber(c['raw_rtt_us']));
  for (const key of ['raw_w_loops', 'paired_ratio_generic_pool', 'paired_ratio_raw_w_loops']) t.true(isPositiveNumber(c[key]), `checkout_checkin.${key}`);
  t.is(c['n'], QUICK.checkoutN);
  t.is(c['clients'], QUICK.checkoutClients);
  t.deepEqual(c.targets.map((x) => [x.against, x.op, x.value]), [['limit', '>=', 0.6], ['generic-pool', '>=', 2]]);
  if (typeof c['arbor_missing'] !== 'string') {
    t.true(isPositiveNumber(c['transaction']), 'checkout_checkin.transaction');
    t.true(isPositiveNumber(c['paired_ratio_arbor']), 'checkout_checkin.paired_ratio_arbor');
  }

  const r = results['pool_restart_ms']!;
  t.is(r.unit, 'ms');
  t.is(r.better, 'lower');
  t.deepEqual(r.peers, {});
  t.is(typeof r['peer'], 'string');
  t.is(r['median'], r.arbor);
  t.true(isPositiveNumber(r.limit), 'starting the same workers');
  t.true((r['p95'] as number) >= (r['median'] as number), 'p95 is not below the median');
  t.is(r['kills'], QUICK.poolKills);
  t.deepEqual(r.targets.map((x) => [x.against, x.of ?? 'arbor', x.op, x.value]), [['limit', 'arbor', '<=', 1.2], ['absolute', 'thread_ratio', '<=', 1.2]]);
  if (typeof r['thread_missing'] !== 'string') {
    for (const key of ['thread_ms', 'thread_p95', 'thread_start_ms', 'thread_ratio']) t.true(isPositiveNumber(r[key]), `pool_restart_ms.${key}`);
  }
});

test.serial('the job pool workloads report the limit, the bare worker, the best peer and the fault figures', (t) => {
  const j = results['jobpool_thread_tasks']!;
  t.is(j.unit, 'tasks/s');
  t.true(isPositiveNumber(j.limit), 'raw per-message postMessage');
  t.deepEqual(j.targets.map((x) => [x.against, x.of ?? 'arbor', x.op, x.value]), [['limit', 'arbor', '>=', 1], ['best_peer', 'arbor', '>=', 5], ['absolute', 'ratio_100k_to_10k', '>=', 0.9]]);
  for (const p of ['raw_batched', 'piscina', 'tinypool', 'poolifier', 'workerpool', 'best_peer']) t.true(isPositiveNumber(j.peers[p]), `jobpool_thread_tasks.peers.${p}`);
  // best_peer is the best of the four pools, named beside it
  t.is(j.peers['best_peer'], Math.max(...['piscina', 'tinypool', 'poolifier', 'workerpool'].map((p) => j.peers[p]!)));
  t.is(j.peers[j['best_peer_name'] as string], j.peers['best_peer']);
  t.is(j['n'], QUICK.workerTasksN);
  t.is(j['n_small'], QUICK.workerTasksSmallN);

  const rtt = results['jobpool_rtt_us']!;
  t.is(rtt.better, 'lower');
  t.deepEqual(rtt.targets.map((x) => [x.against, x.op, x.value]), [['limit', '<=', 1.5]]);
  t.is(rtt.peers['best_peer'], Math.min(...['piscina', 'tinypool', 'poolifier', 'workerpool'].map((p) => rtt.peers[p]!)));

  const py = results['jobpool_python_tasks']!;
  t.deepEqual(py.targets.map((x) => [x.against, x.op, x.value]), [['limit', '>=', 0.7]]);
  t.true(isPositiveNumber(py.limit), 'the raw batched framed-stdio echo');

  const f = results['fault_settle_ms']!;
  t.is(f.unit, 'ms');
  t.is(f.better, 'lower');
  t.is(f.limit, null);
  t.deepEqual(f.targets.map((x) => [x.of ?? 'arbor', x.op, x.value]), [['arbor', '<=', 1000], ['capacity_ratio', '<=', 1]]);
  if (typeof f['arbor_missing'] !== 'string') {
    for (const fault of ['exit', 'uncaught', 'throw', 'sigkill', 'oom']) {
      t.true(isPositiveNumber(f[`${fault}_settle_ms`]), `fault_settle_ms.${fault}_settle_ms`);
      t.true((f[`${fault}_capacity_ms`] as number) >= (f[`${fault}_settle_ms`] as number), `${fault}: capacity comes back after the settle`);
    }
    t.is(f.arbor, Math.max(...['exit', 'uncaught', 'throw', 'sigkill', 'oom'].map((x) => f[`${x}_settle_ms`] as number)));
    t.is(f['rounds'], QUICK.faultRounds);
  }
});

const CLUSTER_WORKLOADS = ['remote_call_us', 'remote_call_pipelined', 'remote_cast', 'nodedown_ms', 'cluster_whereis', 'name_visible_ms'];

test.serial('the cluster workloads report their references and targets (or, without nats-server, no figure and a note)', (t) => {
  const targetsOf = (name: string): unknown[] => results[name]!.targets.map((x) => [x.against, x.of ?? 'arbor', x.op, x.value]);
  t.deepEqual(targetsOf('remote_call_us'), [['limit', 'arbor', '<=', 8], ['bare_nats', 'arbor', '<=', 1.3]]);
  t.deepEqual(targetsOf('remote_call_pipelined'), [['bare_nats', 'arbor', '>=', 0.8]]);
  t.deepEqual(targetsOf('remote_cast'), [['limit', 'arbor', '>=', 0.1]]);
  t.deepEqual(targetsOf('nodedown_ms'), [['absolute', 'arbor', '<=', 450], ['absolute', 'sys_ms', '<=', 20]]);
  t.deepEqual(targetsOf('cluster_whereis'), [['limit', 'arbor', '>=', 0.5]]);
  t.deepEqual(targetsOf('name_visible_ms'), [['absolute', 'arbor', '<=', 2]]);
  if (typeof results['remote_call_us']!['nats_missing'] === 'string') {
    for (const name of CLUSTER_WORKLOADS) {
      const r = results[name]!;
      t.is(typeof r['nats_missing'], 'string', `${name}.nats_missing`);
      t.true(r.arbor === null && r.limit === null, `${name}: no figure`);
      t.true(r.targets.every((x) => !x.met && x.actual === null), `${name}.targets`);
    }
    return;
  }
  const rtt = results['remote_call_us']!;
  t.is(rtt.unit, 'us');
  t.is(rtt.better, 'lower');
  t.true(isPositiveNumber(rtt.limit), 'the raw TCP round trip');
  t.deepEqual(Object.keys(rtt.peers), ['bare_nats']);
  t.is(rtt['median'], rtt.arbor);
  for (const key of ['p99', 'limit_p99', 'bare_nats_p99_us']) t.true(isPositiveNumber(rtt[key]), `remote_call_us.${key}`);
  t.true((rtt['p99'] as number) >= (rtt['median'] as number), 'p99 is not below the median');
  t.is(rtt['n'], QUICK.clusterRttN);

  const pipelined = results['remote_call_pipelined']!;
  t.is(pipelined.unit, 'calls/s');
  t.is(pipelined.limit, null);
  t.deepEqual(Object.keys(pipelined.peers), ['bare_nats']);
  t.is(pipelined['in_flight'], 256);
  t.is(pipelined['n'], QUICK.clusterPipelinedN);

  const castRecord = results['remote_cast']!;
  t.is(castRecord.unit, 'msgs/s');
  t.true(isPositiveNumber(castRecord.limit), 'raw TCP one-way 64 B messages/s');
  t.deepEqual(Object.keys(castRecord.peers), ['bare_nats'], 'bare NATS one-way messages through the same server');
  t.is(castRecord['payload_bytes'], 64);
  t.is(castRecord['n'], QUICK.clusterCastN);

  const down = results['nodedown_ms']!;
  t.is(down.unit, 'ms');
  t.is(down.better, 'lower');
  t.is(down.limit, null);
  t.deepEqual([down['heartbeat_ms'], down['down_after_ms']], [100, 400], 'the default detector settings are reported');
  t.true(isPositiveNumber(down['sys_ms']), 'the $SYS variant ran');
  t.is(down['rounds'], QUICK.nodedownRounds);

  const whereis = results['cluster_whereis']!;
  t.is(whereis.unit, 'lookups/s');
  t.true(isPositiveNumber(whereis.limit), 'Map.get on the same names');
  t.is(whereis['rounds'], QUICK.rounds);
  const visible = results['name_visible_ms']!;
  t.is(visible.unit, 'ms');
  t.is(visible.limit, null);
  t.true((visible['max_ms'] as number) >= (visible['p95_ms'] as number) && (visible['p95_ms'] as number) >= (visible.arbor as number), 'median <= p95 <= max');
  t.true(isPositiveNumber(visible['names']), 'names were measured');
});

test('a cluster workload without nats-server reports null figures, unmet targets and its note', (t) => {
  const r = natsMissingRecord({ unit: 'us', better: 'lower', targets: [{ against: 'limit', op: '<=', value: 8 }] }, 'nats-server is not on PATH');
  t.deepEqual([r.arbor, r.limit, r.peers, r.ratios], [null, null, {}, {}]);
  t.deepEqual(r.targets, [{ against: 'limit', op: '<=', value: 8, actual: null, met: false }]);
  const table = renderTable({ remote_call_us: r });
  t.true(table.includes('NOT MET (no reference figure)'));
  t.true(table.includes('nats_missing "nats-server is not on PATH"'));
  t.true(table.includes('targets met: 0 of 1'));
});

test.after.always('every OS process the worker workloads started is gone', async (t) => {
  if (process.platform !== 'linux') return;
  t.true(startedPids().length >= 8, 'the raw fork, Python and start-up children were tracked');
  // Bounded poll: a child's exit is reaped asynchronously.
  let left = leftoverPids();
  for (let i = 0; i < 100 && left.length > 0; i++) {
    await new Promise((r) => setTimeout(r, 50));
    left = leftoverPids();
  }
  t.deepEqual(left, [], 'no child alive or zombie');
});
