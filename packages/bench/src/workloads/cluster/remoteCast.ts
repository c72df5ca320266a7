/**
 * `remote_cast`: casts per second with a 64-byte payload (`{ type: 'add', data }`, `data` a
 * 64-character ASCII string) from the bench process's node to a BenchCounter on a child
 * node, then one `call` reading the count, timed in: it travels behind the casts on the
 * same channel, so its reply means all of them were handled. The sender yields
 * (`setImmediate`) after every `YIELD_EVERY` casts so the client can write while it goes
 * on, as the limit waits for `drain`. Each round checks the count and the payload
 * characters. The limit: raw TCP one-way 64-byte messages to a child (frames packed into
 * 64 KiB writes, until the child acknowledges the last). The peer `bare_nats`: the official
 * client publishing one 64-byte message per call to a child that counts them, over the same
 * server (what the NATS client itself gives for one-way messages). Rounds interleave, each
 * after a full GC; the best of `rounds` counts. Target: >= 0.1x TCP.
 */
import { call, cast } from '@arbor/core';
import { makeRecord, type TargetSpec, type WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { bestOfRounds } from '../../util.js';
import type { CounterProtocol } from './actors.js';
import { startChildNode, startLocalNode, type LocalNode } from './benchNodes.js';
import { natsMissing, natsMissingRecord } from './natsMissing.js';
import { clusterModule, ClusterProcesses } from './processes.js';
import { BareNatsCaster, NATS_ECHO_SUBJECT, NATS_ONE_WAY_SUBJECT, RAW_PAYLOAD_BYTES, TcpLimit } from './rawLimits.js';

/** Casts between two yields of the sender. */
const YIELD_EVERY = 4096;

const TARGETS: readonly TargetSpec[] = [{ against: 'limit', op: '>=', value: 0.1 }];

/** The cast message, one object reused by every cast (as the `cast` workload does). */
const ADD = { type: 'add', data: 'x'.repeat(RAW_PAYLOAD_BYTES) } as const;

/**
 * `remote_cast` (see the file comment).
 *
 * @example
 * const record = await remoteCastWorkload(QUICK);
 */
export async function remoteCastWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const missing = natsMissing();
  if (missing !== null) return natsMissingRecord({ unit: 'msgs/s', better: 'higher', targets: TARGETS }, missing);
  const n = sizes.clusterCastN;
  const tcpN = sizes.clusterTcpOneWayN;
  const procs = new ClusterProcesses('remote_cast');
  let local: LocalNode | undefined;
  let tcp: TcpLimit | undefined;
  let bare: BareNatsCaster | undefined;
  try {
    const server = await procs.natsServer();
    local = await startLocalNode(server);
    await startChildNode(procs, server, local.cluster, 'child');
    const far = await local.cluster.spawn<CounterProtocol>('child', 'BenchCounter');
    const tcpChild = await procs.child(clusterModule('tcpEcho'), []);
    const t = (tcp = await TcpLimit.connect(tcpChild.ready['port'] as number));
    await procs.child(clusterModule('natsEcho'), [server.url, NATS_ECHO_SUBJECT, NATS_ONE_WAY_SUBJECT]);
    const nats = (bare = await BareNatsCaster.connect(server.url));

    const arborRound = async (count: number): Promise<number> => {
      await call(far, { type: 'reset' });
      const t0 = performance.now();
      for (let i = 0; i < count; i++) {
        cast(far, ADD);
        if ((i + 1) % YIELD_EVERY === 0) await new Promise((r) => setImmediate(r));
      }
      const got = await call(far, { type: 'count' }, { timeout: 120_000 });
      const ms = performance.now() - t0;
      if (got.n !== count || got.chars !== count * RAW_PAYLOAD_BYTES) {
        throw new Error(`remote_cast: the counter got ${got.n} casts (${got.chars} chars), expected ${count} (${count * RAW_PAYLOAD_BYTES})`);
      }
      return Math.round(count / (ms / 1000));
    };
    await arborRound(Math.ceil(n / 10));
    await t.oneWay(Math.ceil(tcpN / 10));
    await nats.oneWay(Math.ceil(n / 10), YIELD_EVERY);
    const best = await bestOfRounds(sizes.rounds, {
      arbor: () => arborRound(n),
      limit: async () => Math.round(await t.oneWay(tcpN)),
      bare_nats: async () => Math.round(await nats.oneWay(n, YIELD_EVERY)),
    });
    return makeRecord({
      arbor: best.arbor,
      limit: best.limit,
      peers: { bare_nats: best.bare_nats },
      unit: 'msgs/s',
      better: 'higher',
      targets: TARGETS,
      extra: { n, limit_n: tcpN, payload_bytes: RAW_PAYLOAD_BYTES, yield_every: YIELD_EVERY, rounds: sizes.rounds },
    });
  } finally {
    tcp?.close();
    await bare?.close().catch(() => {});
    await local?.stop().catch(() => {});
    await procs.stopAll();
  }
}
