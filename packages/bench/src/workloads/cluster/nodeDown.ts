/**
 * `nodedown_ms`: ms from `kill -9` of a child node to `EXIT noconnection` in a trapping
 * actor in the bench process linked to an actor on that node (ExitWatcher reads the clock
 * on arrival); median of `nodedownRounds` rounds, each with a fresh child node. The
 * detector settings are the defaults of detector.ts (`heartbeatMs: 100, downAfterMs: 400`,
 * reported beside the figure). Target: <= downAfterMs + 50 ms.
 *
 * `sys_ms`: the same rounds on a nats-server with a system account, the bench node joined
 * with `sys` credentials, so the server's `$SYS` DISCONNECT event says the child's
 * connection closed. Target: `sys_ms` <= 20 ms.
 *
 * No limit and no peer: the reference is the detector's own setting.
 */
import { call, type ActorRef } from '@arbor/core';
import type { NatsServer } from '@arbor/test-support';
import { makeRecord, type TargetSpec, type WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { median, round3 } from '../workers/measure.js';
import { ExitWatcher, type EchoProtocol } from './actors.js';
import { startChildNode, startLocalNode, type Credentials } from './benchNodes.js';
import { DOWN_AFTER_MS, HEARTBEAT_MS } from './detector.js';
import { natsMissing, natsMissingRecord } from './natsMissing.js';
import { ClusterProcesses } from './processes.js';

/** The sys variant's target, in ms (reference/cluster.md 3.10). */
const SYS_TARGET_MS = 20;

/** How long a linked pair runs before the kill, so heartbeats have settled. */
const SETTLE_MS = 300;

const TARGETS: readonly TargetSpec[] = [
  { against: 'absolute', op: '<=', value: DOWN_AFTER_MS + 50 },
  { against: 'absolute', of: 'sys_ms', op: '<=', value: SYS_TARGET_MS },
];

const APP: Credentials = { user: 'app', pass: 'app' };
const SYS: Credentials = { user: 'sys', pass: 'sys' };
const ACCOUNTS = 'accounts { SYS { users: [{ user: sys, password: sys }] }, APP { users: [{ user: app, password: app }] } }\nsystem_account: SYS';

/** `rounds` kills on `server`; resolves with each round's ms from the kill to the EXIT. */
async function killRounds(procs: ClusterProcesses, server: NatsServer, rounds: number, credentials?: { app: Credentials; sys: Credentials }): Promise<number[]> {
  const local = await startLocalNode(server, credentials ?? {});
  try {
    const out: number[] = [];
    for (let r = 0; r < rounds; r++) {
      const name = `victim${r}`;
      const child = await startChildNode(procs, server, local.cluster, name, credentials?.app);
      const far = await local.cluster.spawn<EchoProtocol>(name, 'BenchEcho');
      let onExit: (v: { reason: unknown; at: number }) => void = () => {};
      const exited = new Promise<{ reason: unknown; at: number }>((resolve) => (onExit = resolve));
      const watcher = await local.system.spawn(ExitWatcher, (reason, at) => onExit({ reason, at }));
      await call(watcher, { type: 'link', ref: far as ActorRef });
      await new Promise((r) => setTimeout(r, SETTLE_MS));
      const t0 = performance.now();
      process.kill(child.pid, 'SIGKILL');
      let timer: ReturnType<typeof setTimeout> | undefined;
      const got = await Promise.race([
        exited,
        new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`nodedown_ms: no EXIT within 10 s of the kill (round ${r})`)), 10_000))),
      ]).finally(() => clearTimeout(timer));
      if (got.reason !== 'noconnection') throw new Error(`nodedown_ms: EXIT reason ${JSON.stringify(got.reason)}, not noconnection`);
      out.push(got.at - t0);
      await procs.kill(child);
      local.system.exit(watcher, 'kill');
    }
    return out;
  } finally {
    await local.stop().catch(() => {});
  }
}

/**
 * `nodedown_ms` (see the file comment).
 *
 * @example
 * const record = await nodeDownWorkload(QUICK);
 */
export async function nodeDownWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const missing = natsMissing();
  if (missing !== null) return natsMissingRecord({ unit: 'ms', better: 'lower', targets: TARGETS }, missing);
  const rounds = sizes.nodedownRounds;
  const procs = new ClusterProcesses('nodedown_ms');
  try {
    const plain = await killRounds(procs, await procs.natsServer(), rounds);
    const sys = await killRounds(procs, await procs.natsServer({ extraConfig: ACCOUNTS }), rounds, { app: APP, sys: SYS });
    const ms = round3(median(plain));
    const sysMs = round3(median(sys));
    return makeRecord({
      arbor: ms,
      limit: null,
      peers: {},
      unit: 'ms',
      better: 'lower',
      targets: TARGETS,
      extra: {
        median: ms,
        max: round3(Math.max(...plain)),
        sys_ms: sysMs,
        sys_max_ms: round3(Math.max(...sys)),
        heartbeat_ms: HEARTBEAT_MS,
        down_after_ms: DOWN_AFTER_MS,
        rounds,
        peer: 'none: the reference is the detector setting (downAfterMs), and $SYS events for sys_ms',
      },
    });
  } finally {
    await procs.stopAll();
  }
}
