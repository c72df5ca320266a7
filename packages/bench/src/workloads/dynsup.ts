/**
 * `dynsup_100k`: milliseconds to start N children (100,000) under one DynamicSupervisor
 * and stop them all (lower is better), and how that scales: `ratio_10k_to_100k` is the
 * time for N over the time for N/10. Linear is 10; the target is <= 12.
 *
 * - arbor: a fresh system and DynamicSupervisor each round; `await
 *   DynamicSupervisor.startChild(sup, { start: { behaviour: Counter, arg: 0 } })` N times
 *   (each one a call to the supervisor), then `await system.stop(sup, 'shutdown')`: the
 *   supervisor signals all N children at once, with one timer, and exits once they are
 *   dead. Timed from the first startChild until the supervisor is dead (`start_ms` and
 *   `stop_ms` split it). Checks: every start answers ok, N + 1 actors are alive before the
 *   stop and none after.
 * - limit: the same shape in bare Node: N awaited promise round trips (one per startChild
 *   request), each making a child object and putting it into a Map keyed by the child,
 *   then one loop that marks every child stopped and clears the Map.
 * - `plain_*`: Arbor without a supervisor, for attribution: N `await system.spawn(Counter, 0)`,
 *   then `system.exit(ref, 'shutdown')` to each (the same signal the supervisor sends).
 *
 * No peer: xstate 5 has no supervisor. Each contender runs N/10 then N per round, rounds
 * interleaved (arbor, limit, plain, ...) after a warm-up at N/10, with a full GC before
 * each run; the best time of each size counts.
 */
import { DynamicSupervisor, type ActorRef, type DynamicChildSpec } from '@arbor/core';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem, Counter } from '../subjects.js';
import { collectGarbage, now } from '../util.js';

/** One spec object for every child, as a caller starting many sessions would reuse one. */
const SPEC: DynamicChildSpec = { start: { behaviour: Counter, arg: 0 } };

interface Timing {
  readonly total: number;
  readonly start: number;
  readonly stop: number;
}

async function arborRound(n: number): Promise<Timing> {
  const system = benchSystem();
  try {
    const sup = await DynamicSupervisor.start(system);
    const t0 = now();
    for (let i = 0; i < n; i++) {
      const r = await DynamicSupervisor.startChild(sup, SPEC);
      if (r.status !== 'ok') throw new Error(`arbor dynsup: child ${i} did not start (${r.status})`);
    }
    const t1 = now();
    if (system.size !== n + 1) throw new Error(`arbor dynsup: ${system.size} actors alive, expected ${n + 1}`);
    await system.stop(sup, 'shutdown', { timeout: Infinity });
    const t2 = now();
    if (system.size !== 0) throw new Error(`arbor dynsup: ${system.size} actors alive after the supervisor stopped`);
    return { total: t2 - t0, start: t1 - t0, stop: t2 - t1 };
  } finally {
    await system.shutdown();
  }
}

class RawChild {
  stopped = false;
  constructor(readonly arg: number) {}
}

async function limitRound(n: number): Promise<number> {
  const children = new Map<RawChild, number>();
  const t0 = now();
  for (let i = 0; i < n; i++) {
    const child = await new Promise<RawChild>((r) => r(new RawChild(0)));
    children.set(child, i);
  }
  if (children.size !== n) throw new Error(`limit dynsup: ${children.size} children, expected ${n}`);
  for (const child of children.keys()) child.stopped = true;
  children.clear();
  return now() - t0;
}

async function plainRound(n: number): Promise<number> {
  const system = benchSystem();
  const refs: ActorRef[] = new Array(n);
  try {
    const t0 = now();
    for (let i = 0; i < n; i++) refs[i] = await system.spawn(Counter, 0);
    for (let i = 0; i < n; i++) system.exit(refs[i]!, 'shutdown');
    const ms = now() - t0;
    if (system.size !== 0) throw new Error(`plain actors: ${system.size} alive after the exits`);
    return ms;
  } finally {
    await system.shutdown();
  }
}

export async function dynsupWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const { dynsupN: n, rounds } = sizes;
  const small = Math.ceil(n / 10);

  await arborRound(small);
  await limitRound(small);
  await plainRound(small);

  let arbor: Timing = { total: Infinity, start: 0, stop: 0 };
  let arborSmall = Infinity;
  let limit = Infinity;
  let limitSmall = Infinity;
  let plain = Infinity;
  let plainSmall = Infinity;
  for (let r = 0; r < rounds; r++) {
    collectGarbage();
    arborSmall = Math.min(arborSmall, (await arborRound(small)).total);
    collectGarbage();
    const big = await arborRound(n);
    if (big.total < arbor.total) arbor = big;
    collectGarbage();
    limitSmall = Math.min(limitSmall, await limitRound(small));
    collectGarbage();
    limit = Math.min(limit, await limitRound(n));
    collectGarbage();
    plainSmall = Math.min(plainSmall, await plainRound(small));
    collectGarbage();
    plain = Math.min(plain, await plainRound(n));
  }

  return makeRecord({
    arbor: arbor.total,
    limit,
    peers: {},
    unit: 'ms',
    better: 'lower',
    // Linear scaling makes 10x the children cost 10x the time; 12 leaves room for GC of the bigger heap.
    targets: [{ against: 'absolute', of: 'ratio_10k_to_100k', op: '<=', value: 12 }],
    extra: {
      ms: arbor.total,
      ratio_10k_to_100k: arbor.total / arborSmall,
      ms_10k: arborSmall,
      start_ms: arbor.start,
      stop_ms: arbor.stop,
      limit_ratio_10k_to_100k: limit / limitSmall,
      plain_ms: plain,
      plain_ratio_10k_to_100k: plain / plainSmall,
      peer: 'none: xstate 5 has no supervisor',
      n,
      rounds,
    },
  });
}
