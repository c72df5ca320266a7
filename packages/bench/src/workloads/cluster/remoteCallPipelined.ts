/**
 * `remote_call_pipelined`: remote `call`s per second with `PIPELINE` (256) in flight, from
 * the bench process's node to a BenchEcho actor on a child node: `PIPELINE` lanes, each
 * awaiting its call before the next, until `clusterPipelinedN` calls are answered. The
 * reference is the bare NATS request/reply of `remote_call_us` (one reply subject,
 * correlation ids, 64-byte payloads) with the same 256 lanes (`bare_nats`). Rounds
 * interleave (arbor, bare_nats, ...), each after a full GC; the best of `rounds` counts.
 * Target: >= 0.8x bare NATS.
 */
import { call } from '@arbor/core';
import { makeRecord, type TargetSpec, type WorkloadRecord } from '../../record.js';
import type { Sizes } from '../../sizes.js';
import { bestOfRounds } from '../../util.js';
import { withEchoNodes } from './echoNodes.js';
import { natsMissing, natsMissingRecord } from './natsMissing.js';

/** Calls in flight. */
export const PIPELINE = 256;

const TARGETS: readonly TargetSpec[] = [{ against: 'bare_nats', op: '>=', value: 0.8 }];

/** Runs `n` calls of `one` over `PIPELINE` lanes; resolves with calls/s. */
async function pipelined(n: number, one: () => Promise<void>): Promise<number> {
  let issued = 0;
  const lane = async (): Promise<void> => {
    while (issued < n) {
      issued++;
      await one();
    }
  };
  const t0 = performance.now();
  await Promise.all(Array.from({ length: PIPELINE }, lane));
  return Math.round(n / ((performance.now() - t0) / 1000));
}

/**
 * `remote_call_pipelined` (see the file comment).
 *
 * @example
 * const record = await remoteCallPipelinedWorkload(QUICK);
 */
export async function remoteCallPipelinedWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const missing = natsMissing();
  if (missing !== null) return natsMissingRecord({ unit: 'calls/s', better: 'higher', targets: TARGETS }, missing);
  const n = sizes.clusterPipelinedN;
  return withEchoNodes('remote_call_pipelined', async ({ far, nats: b }) => {
    let sum = 0;
    let expected = 0;
    let i = 0;
    const arborOne = async (): Promise<void> => {
      const v = ++i;
      expected += v;
      const got = (await call(far, { type: 'echo', value: v })) as number;
      sum += got;
    };
    const arborRound = async (): Promise<number> => {
      const rate = await pipelined(n, arborOne);
      if (sum !== expected) throw new Error(`remote_call_pipelined: replies summed to ${sum}, expected ${expected}`);
      return rate;
    };
    const bareRound = (): Promise<number> => pipelined(n, () => b.call());
    await pipelined(Math.ceil(n / 10), arborOne);
    await bareRound();
    const best = await bestOfRounds(sizes.rounds, { arbor: arborRound, bare_nats: bareRound });
    return makeRecord({
      arbor: best.arbor,
      limit: null,
      peers: { bare_nats: best.bare_nats },
      unit: 'calls/s',
      better: 'higher',
      targets: TARGETS,
      extra: { in_flight: PIPELINE, n, rounds: sizes.rounds },
    });
  });
}
