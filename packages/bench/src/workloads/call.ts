/**
 * `call`: sequential request/reply round trips per second.
 *
 * - arbor: `await call(ref, { type: 'get' })` N times, default timeout (5 s).
 * - limit: limits.mjs section 3: `await new Promise((r) => r(i))` N times.
 *
 * No peer: xstate has no request/reply between an outside caller and an actor.
 */
import { call, type ActorRef } from '@arbor/core';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter, type CounterProtocol } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';

async function arborRound(ref: ActorRef<CounterProtocol>, n: number): Promise<number> {
  let sum = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) sum += await call(ref, { type: 'get' });
  const ms = now() - t0;
  if (sum !== 0) throw new Error(`arbor call: replies summed to ${sum}, expected 0`);
  return perSecond(n, ms);
}

async function limitRound(n: number): Promise<number> {
  let sum = 0;
  const t0 = now();
  for (let i = 0; i < n; i++) sum += await new Promise<number>((r) => r(i));
  const ms = now() - t0;
  if (sum !== (n * (n - 1)) / 2) throw new Error(`promise round trip: replies summed to ${sum}`);
  return perSecond(n, ms);
}

export async function callWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { callN: n, rounds } = sizes;
  const system = benchSystem();
  try {
    const ref = await system.spawn(Counter, 0);

    await arborRound(ref, Math.ceil(n / 10));
    await limitRound(Math.ceil(n / 10));

    const { arbor, limit } = await bestOfRounds(rounds, { arbor: () => arborRound(ref, n), limit: () => limitRound(n) });

    return makeRecord({
      arbor,
      limit,
      peers: {},
      unit: 'round trips/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.3 }],
      extra: { n, rounds },
    });
  } finally {
    await system.shutdown();
  }
}
