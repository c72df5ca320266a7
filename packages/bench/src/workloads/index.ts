import type { WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { actorBytesWorkload } from './actorBytes.js';
import { callWorkload } from './call.js';
import { castWorkload } from './cast.js';
import { dynsupWorkload } from './dynsup.js';
import { loopLagWorkload } from './loopLag.js';
import { loopLagSlowHandlerWorkload } from './loopLagSlow.js';
import { orphanScanWorkload } from './orphanScan.js';
import { machineCastWorkload } from './machineCast.js';
import { observerCastWorkload } from './observerCast.js';
import { registryChurnWorkload } from './registryChurn.js';
import { registryLookupWorkload } from './registryLookup.js';
import { registryReserveActivateWorkload } from './registryReserveActivate.js';
import { restartWorkload } from './restart.js';
import { spawnWorkload } from './spawn.js';
import { tableOrderedInsertWorkload } from './tableOrderedInsert.js';
import { tableRangeWorkload } from './tableRange.js';
import { tableSetGetWorkload } from './tableSetGet.js';
import { tableSetInsertWorkload } from './tableSetInsert.js';
import { checkoutCheckinWorkload } from './pools/checkout.js';
import { poolRestartWorkload } from './pools/restart.js';
import { processTasksWorkload } from './workers/processes.js';
import { pythonRttWorkload, pythonTasksWorkload } from './workers/python.js';
import { workerStartWorkload } from './workers/startup.js';
import { faultSettleWorkload } from './jobs/faults.js';
import { jobPoolPythonTasksWorkload } from './jobs/python.js';
import { jobPoolRttWorkload, jobPoolThreadTasksWorkload } from './jobs/threads.js';
import { threadRttWorkload, threadTasksWorkload } from './workers/threads.js';
import { nodeDownWorkload } from './cluster/nodeDown.js';
import { remoteCallWorkload } from './cluster/remoteCall.js';
import { remoteCallPipelinedWorkload } from './cluster/remoteCallPipelined.js';
import { remoteCastWorkload } from './cluster/remoteCast.js';
import { clusterWhereisWorkload, nameVisibleWorkload } from './cluster/registry.js';

export { actorBytesWorkload, callWorkload, castWorkload, dynsupWorkload, loopLagWorkload, registryLookupWorkload, restartWorkload, spawnWorkload };
export { loopLagSlowHandlerWorkload, registryChurnWorkload };
export { orphanScanWorkload, registryReserveActivateWorkload };
export { machineCastWorkload, observerCastWorkload };
export { tableOrderedInsertWorkload, tableRangeWorkload, tableSetGetWorkload, tableSetInsertWorkload };
export { checkoutCheckinWorkload, poolRestartWorkload };
export { faultSettleWorkload, jobPoolPythonTasksWorkload, jobPoolRttWorkload, jobPoolThreadTasksWorkload };
export { nodeDownWorkload, remoteCallPipelinedWorkload, remoteCallWorkload, remoteCastWorkload };
export { processTasksWorkload, pythonRttWorkload, pythonTasksWorkload, threadRttWorkload, threadTasksWorkload, workerStartWorkload };

/** A workload: its key in the report and the function that measures it. */
export interface Workload {
  readonly name: string;
  readonly run: (sizes: Sizes) => Promise<WorkloadRecord>;
}

/** Every workload, in the order they run and are reported. */
export const workloads: readonly Workload[] = [
  { name: 'cast', run: castWorkload },
  { name: 'call', run: callWorkload },
  { name: 'spawn', run: spawnWorkload },
  { name: 'actor_bytes', run: actorBytesWorkload },
  { name: 'loop_lag_ms', run: loopLagWorkload },
  { name: 'loop_lag_slow_handler', run: loopLagSlowHandlerWorkload },
  // Supervision.
  { name: 'restart_us', run: restartWorkload },
  { name: 'dynsup_100k', run: dynsupWorkload },
  // Names.
  { name: 'registry_lookup', run: registryLookupWorkload },
  { name: 'registry_churn', run: registryChurnWorkload },
  // OS processes (@arbor/process-registry).
  { name: 'registry_reserve_activate', run: registryReserveActivateWorkload },
  { name: 'orphan_scan', run: orphanScanWorkload },
  // Behaviours.
  { name: 'machine_cast', run: machineCastWorkload },
  // Debugging (@arbor/debug): a connected observer page.
  { name: 'observer_cast', run: observerCastWorkload },
  // Tables (@arbor/ets).
  { name: 'table_set_get', run: tableSetGetWorkload },
  { name: 'table_set_insert', run: tableSetInsertWorkload },
  { name: 'table_ordered_insert', run: tableOrderedInsertWorkload },
  { name: 'table_range', run: tableRangeWorkload },
  // Workers (@arbor/worker-profiles) against the raw transports and the peer pools.
  { name: 'thread_tasks', run: threadTasksWorkload },
  { name: 'thread_rtt_us', run: threadRttWorkload },
  { name: 'process_tasks', run: processTasksWorkload },
  { name: 'python_tasks', run: pythonTasksWorkload },
  { name: 'python_rtt_us', run: pythonRttWorkload },
  { name: 'worker_start_ms', run: workerStartWorkload },
  // Checkout pools (@arbor/pool).
  { name: 'checkout_checkin', run: checkoutCheckinWorkload },
  { name: 'pool_restart_ms', run: poolRestartWorkload },
  // Job pools (@arbor/pool).
  { name: 'jobpool_thread_tasks', run: jobPoolThreadTasksWorkload },
  { name: 'jobpool_rtt_us', run: jobPoolRttWorkload },
  { name: 'jobpool_python_tasks', run: jobPoolPythonTasksWorkload },
  { name: 'fault_settle_ms', run: faultSettleWorkload },
  // Across nodes (@arbor/cluster over a nats-server of each workload's own, nodes in child processes).
  { name: 'remote_call_us', run: remoteCallWorkload },
  { name: 'remote_call_pipelined', run: remoteCallPipelinedWorkload },
  { name: 'remote_cast', run: remoteCastWorkload },
  { name: 'nodedown_ms', run: nodeDownWorkload },
  { name: 'cluster_whereis', run: clusterWhereisWorkload },
  { name: 'name_visible_ms', run: nameVisibleWorkload },
];

/** Runs the workloads one after another; `onStart` is told each name before it runs. */
export async function runWorkloads(
  sizes: Sizes,
  selected: readonly Workload[] = workloads,
  onStart: (name: string) => void = () => {},
): Promise<Record<string, WorkloadRecord>> {
  const results: Record<string, WorkloadRecord> = {};
  for (const w of selected) {
    onStart(w.name);
    results[w.name] = await w.run(sizes);
  }
  return results;
}
