/**
 * `remote_call_us`: sequential `call` round trips in µs, median (`arbor`) and `p99`, from the
 * bench process's node to a BenchEcho actor on a node in a child process, over this
 * workload's own nats-server. Beside it in the same run: the raw TCP round trip to a child
 * process (`limit`: 4-byte length framing, 64-byte frames, loopback) and the bare NATS
 * request/reply to a child (`bare_nats`: one reply subject for the bench process,
 * correlation ids, 64-byte payloads, the official client).
 *
 * Each contender is warmed up, then the round trips run in blocks of `BLOCK`, interleaved
 * (arbor, limit, bare_nats, arbor, ...), until each has `clusterRttN`; the samples are
 * pooled. Every Arbor reply is checked. Targets: <= 8x TCP, <= 1.3x bare NATS.
 */
import type { ClusterRef } from '@arbor/cluster';
import { call } from '@arbor/core';
import { makeRecord, type TargetSpec, type WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { percentile } from '../../util.js';
import type { EchoProtocol } from './actors.js';
import { withEchoNodes } from './echoNodes.js';
import { natsMissing, natsMissingRecord } from './natsMissing.js';
import { clusterModule } from './processes.js';
import { RAW_PAYLOAD_BYTES, TcpLimit, type BareNatsCaller } from './rawLimits.js';

/** Round trips per contender per interleaved block. */
const BLOCK = 200;

const TARGETS: readonly TargetSpec[] = [
  { against: 'limit', op: '<=', value: 8 },
  { against: 'bare_nats', op: '<=', value: 1.3 },
];

const round2 = (x: number): number => Math.round(x * 100) / 100;

/**
 * `remote_call_us` (see the file comment).
 *
 * @example
 * const record = await remoteCallWorkload(QUICK);
 */
export async function remoteCallWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const missing = natsMissing();
  if (missing !== null) return natsMissingRecord({ unit: 'us', better: 'lower', targets: TARGETS }, missing);
  const n = sizes.clusterRttN;
  return withEchoNodes('remote_call_us', async ({ procs, far, nats }) => {
    const tcpChild = await procs.child(clusterModule('tcpEcho'), []);
    const tcp = await TcpLimit.connect(tcpChild.ready['port'] as number);
    try {
      return await measure(n, far, tcp, nats);
    } finally {
      tcp.close();
    }
  });
}

/** The interleaved blocks and the record. */
async function measure(n: number, far: ClusterRef<EchoProtocol>, t: TcpLimit, b: BareNatsCaller): Promise<WorkloadRecord> {
  let i = 0;
  const contenders: Record<'arbor' | 'limit' | 'bare_nats', () => Promise<void>> = {
    arbor: async () => {
      const v = ++i;
      const got = await call(far, { type: 'echo', value: v });
      if (got !== v) throw new Error(`remote_call_us: the echo answered ${String(got)}, not ${v}`);
    },
    limit: () => t.roundTrip(),
    bare_nats: () => b.call(),
  };
  const samples: Record<string, number[]> = { arbor: [], limit: [], bare_nats: [] };
  const warm = Math.min(1000, Math.max(50, Math.ceil(n / 10)));
  for (const run of Object.values(contenders)) for (let k = 0; k < warm; k++) await run();
  for (let done = 0; done < n; done += BLOCK) {
    const size = Math.min(BLOCK, n - done);
    for (const [name, run] of Object.entries(contenders)) {
      const out = samples[name]!;
      for (let k = 0; k < size; k++) {
        const t0 = performance.now();
        await run();
        out.push((performance.now() - t0) * 1000);
      }
    }
  }
  const stats = (name: string): { median: number; p99: number } => {
    const sorted = samples[name]!.sort((x, y) => x - y);
    return { median: round2(percentile(sorted, 0.5)), p99: round2(percentile(sorted, 0.99)) };
  };
  const arbor = stats('arbor');
  const limit = stats('limit');
  const bare = stats('bare_nats');
  return makeRecord({
    arbor: arbor.median,
    limit: limit.median,
    peers: { bare_nats: bare.median },
    unit: 'us',
    better: 'lower',
    targets: TARGETS,
    extra: {
      median: arbor.median,
      p99: arbor.p99,
      limit_p99: limit.p99,
      bare_nats_p99_us: bare.p99,
      p99_ratio_limit: round2(arbor.p99 / limit.p99),
      p99_ratio_bare_nats: round2(arbor.p99 / bare.p99),
      n,
      block: BLOCK,
      raw_payload_bytes: RAW_PAYLOAD_BYTES,
    },
  });
}
