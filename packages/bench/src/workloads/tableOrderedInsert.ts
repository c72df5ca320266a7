/**
 * `table_ordered_insert`: inserts per second filling an empty `ordered_set` (a B+ tree)
 * with 100k random keys, and how the cost per insert grows from 100k to 1M keys.
 *
 * - arbor: `table.insert(key, value)` of 100k distinct random doubles into an emptied
 *   ordered_set; best of 2 x rounds fills.
 * - peer `set_insert`: the same keys into an Arbor `set` table (a Map), measured in the
 *   same run: the target is arbor >= 0.3 x that.
 * - `growth_100k_to_1m`: ns per insert filling to 1M keys over ns per insert filling to
 *   100k, best of 2 x rounds fills each (O(log n) comparisons give about 1.2; a sorted
 *   array spliced in O(n) would give ~10);
 *   `map_growth_100k_to_1m` is the same ratio for a plain Map, to show how much of the
 *   growth is the memory hierarchy (1M entries no longer fit in the CPU caches).
 */
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { newOrdered, newSet, randomKeys } from './tableHost.js';
import { timeFill } from './tableSetInsert.js';

export async function tableOrderedInsertWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  const system = benchSystem();
  try {
    const ordered = await newOrdered(system);
    const set = await newSet<number>(system);
    const small = randomKeys(sizes.tableKeys);
    const big = randomKeys(sizes.tableBigKeys);
    let map = new Map<number, number>();
    const fillOrdered = (keys: readonly number[]): number => timeFill(keys, () => ordered.deleteAllObjects(), (k, v) => ordered.insert(k, v));
    const fillSet = (keys: readonly number[]): number => timeFill(keys, () => set.deleteAllObjects(), (k, v) => set.insert(k, v));
    const fillMap = (keys: readonly number[]): number => {
      const rate = timeFill(keys, () => (map = new Map()), (k, v) => {
        map.set(k, v);
      });
      map = new Map(); // not kept alive through the next fill
      return rate;
    };
    fillOrdered(small);
    fillSet(small);
    let arbor = 0;
    let setInsert = 0;
    let mapSmall = 0;
    // The same number of fills at both sizes, so the best-of does not favour one; each
    // fill starts from an emptied table with nothing else large alive.
    let arborBig = 0;
    let mapBig = 0;
    for (let r = 0; r < sizes.rounds * 2; r++) {
      arbor = Math.max(arbor, fillOrdered(small));
      setInsert = Math.max(setInsert, fillSet(small));
      set.deleteAllObjects();
      mapSmall = Math.max(mapSmall, fillMap(small));
      arborBig = Math.max(arborBig, fillOrdered(big));
      if (ordered.size() !== big.length) throw new Error('table_ordered_insert: wrong size');
      ordered.deleteAllObjects();
      mapBig = Math.max(mapBig, fillMap(big));
    }
    return makeRecord({
      arbor,
      limit: null,
      peers: { set_insert: setInsert },
      unit: 'inserts/s',
      better: 'higher',
      targets: [
        { against: 'set_insert', op: '>=', value: 0.3 },
        { against: 'absolute', of: 'growth_100k_to_1m', op: '<=', value: 1.5 },
      ],
      extra: {
        keys: sizes.tableKeys,
        big_keys: sizes.tableBigKeys,
        inserts_per_s_at_1m: arborBig,
        growth_100k_to_1m: arbor / arborBig,
        map_growth_100k_to_1m: mapSmall / mapBig,
      },
    });
  } finally {
    await system.shutdown();
  }
}
