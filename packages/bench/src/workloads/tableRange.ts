/**
 * `table_range`: range queries per second, each returning the 100 objects from a random
 * start key, in an `ordered_set` holding 1M keys.
 *
 * - arbor: `table.range({ from, limit: 100 })` (a tree seek, then a walk along the leaves).
 * - limit: the same query on two parallel sorted arrays (keys in a Float64Array): a binary
 *   search, then copying 100 [key, value] pairs, the floor for a structure that allows
 *   no inserts at all. Target: arbor >= 0.3 x limit (a tree that takes O(log n) inserts
 *   keeps range queries within a small factor of a frozen sorted array).
 * - No peer.
 */
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { bestOfRounds, now, perSecond } from '../util.js';
import { newOrdered, randomKeys } from './tableHost.js';

const SPAN = 100;

function timeQueries(n: number, starts: readonly number[], query: (from: number) => number): number {
  let total = 0;
  const t0 = now();
  for (let i = 0, s = 0; i < n; i++) {
    total += query(starts[s]!);
    if (++s === starts.length) s = 0;
  }
  const ms = now() - t0;
  if (total !== n * SPAN) throw new Error(`table_range: ${total} objects for ${n} queries of ${SPAN}`);
  return perSecond(n, ms);
}

export async function tableRangeWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const system = benchSystem();
  try {
    const table = await newOrdered(system);
    const keys = randomKeys(sizes.tableBigKeys);
    for (let i = 0; i < keys.length; i++) table.insert(keys[i]!, i);
    const sortedKeys = Float64Array.from(keys).sort();
    const sortedVals = new Array<number>(sortedKeys.length);
    for (let i = 0; i < sortedKeys.length; i++) sortedVals[i] = i;
    // Start keys that leave at least SPAN keys after them.
    const starts: number[] = [];
    for (let i = 0; i < 10_000; i++) starts.push(sortedKeys[Math.floor(Math.random() * (sortedKeys.length - SPAN))]!);
    const viaTable = (from: number): number => table.range({ from, limit: SPAN }).length;
    const viaArrays = (from: number): number => {
      let lo = 0;
      let hi = sortedKeys.length;
      while (lo < hi) {
        const m = (lo + hi) >> 1;
        if (sortedKeys[m]! < from) lo = m + 1;
        else hi = m;
      }
      const out: [number, number][] = [];
      for (let i = lo; i < lo + SPAN && i < sortedKeys.length; i++) out.push([sortedKeys[i]!, sortedVals[i]!]);
      return out.length;
    };
    const n = sizes.rangeN;
    timeQueries(Math.ceil(n / 10), starts, viaTable);
    timeQueries(Math.ceil(n / 10), starts, viaArrays);
    const { arbor, limit } = await bestOfRounds(sizes.rounds, { arbor: () => timeQueries(n, starts, viaTable), limit: () => timeQueries(n, starts, viaArrays) });
    table.deleteAllObjects();
    return makeRecord({
      arbor,
      limit,
      peers: {},
      unit: 'queries/s',
      better: 'higher',
      targets: [{ against: 'limit', op: '>=', value: 0.3 }],
      extra: { keys: sizes.tableBigKeys, span: SPAN, n, rounds: sizes.rounds },
    });
  } finally {
    await system.shutdown();
  }
}
