/**
 * An Arbor node in a child process for the cluster workloads: joins cluster `bench` at the
 * NATS URL `argv[2]` as node `argv[3]` (credentials `argv[4]`/`argv[5]` if given), with the
 * default detector settings of `nodedown_ms`, offers BenchEcho and BenchCounter, prints one
 * JSON line `{"ready":true,"incarnation":...}` and stays until it is killed (SIGTERM exits
 * normally, so a child run with `node --cpu-prof` writes its profile).
 */
import { createLogger, createSystem } from '@arbor/core';
import { joinCluster } from '@arbor/cluster';
import { BenchCounter, BenchEcho } from '../actors.js';
import { CLUSTER_NAME, DOWN_AFTER_MS, HEARTBEAT_MS } from '../detector.js';

const [servers, node, user, pass] = process.argv.slice(2);
const system = createSystem({ name: node!, logger: createLogger('silent') });
const cluster = await joinCluster(system, {
  cluster: CLUSTER_NAME,
  node: node!,
  nats: user === undefined ? { servers: servers! } : { servers: servers!, user, pass },
  behaviours: { BenchEcho, BenchCounter },
  heartbeatMs: HEARTBEAT_MS,
  downAfterMs: DOWN_AFTER_MS,
});
process.stdout.write(`${JSON.stringify({ ready: true, incarnation: cluster.self.incarnation })}\n`);
process.on('SIGTERM', () => process.exit(0));
