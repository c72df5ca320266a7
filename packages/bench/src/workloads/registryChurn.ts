/**
 * `registry_churn`: N named actors (1,000,000) come and go in batches of 5,000, and
 * what that costs the registries: the heap they hold at the peak, the messages queued to
 * them, and what stays on the heap once the owners are gone.
 *
 * - arbor: two unique registries. Each actor is spawned with `name: via(names, key)` and
 *   registers a second key in `tags` from its `init`; each batch of 5,000 is spawned
 *   (awaited one by one), then killed at once (`system.exit(ref, 'kill')`, synchronously).
 *   After each spawn loop and after each kill loop the workload reads both registries'
 *   mailbox lengths (`peak_mailbox`: a registry that cleans up from a DOWN message per owner
 *   queues up to a batch of them, or far more when it cannot catch up) and `heapUsed`
 *   over the baseline: at every tenth of the batches after a full GC (`arbor`: the peak
 *   live heap growth, in MB), and at every batch without one (`peak_heap_nogc_mb`, garbage
 *   included). After the churn a full GC: `retained_bytes_per_actor` is the heap growth
 *   over the baseline per actor that came and went.
 * - limit: the same churn without names (no registry): the heap the actors themselves
 *   hold in flight, the floor. Its ratio says how much the names add at the peak.
 *
 * A first batch runs before the baseline (compiled code and type feedback are one-off).
 * Checks: both registries are empty afterwards (`registry_info` answers size 0) and only
 * they are alive. No peer: xstate has no registry. Needs --expose-gc.
 */
import { call, GenServer, Registry, type ActorRef, type ActorSystem, type RegistryHandle } from '@arbor/core';
import { makeRecord, type WorkloadRecord } from '../record.js';
import type { Sizes } from '../sizes.js';
import { benchSystem } from '../subjects.js';
import { collectGarbage, heapUsed, now, requireGc } from '../util.js';

const BATCH = 5_000;
const MB = 1024 * 1024;

interface ChurnArg {
  readonly tags: RegistryHandle<number, number> | null;
  readonly i: number;
}

/** An idle actor that registers `i` in `tags` from its init (when it is given one). */
class Tagged extends GenServer<{ cast: never }, number, ChurnArg> {
  override init(arg: ChurnArg): void {
    this.state = arg.i;
    arg.tags?.register(arg.i, arg.i);
  }
}

interface Churn {
  readonly peakHeap: number;
  readonly peakHeapNoGc: number;
  readonly peakMailbox: number;
  readonly retained: number;
  readonly ms: number;
}

async function churn(n: number, named: boolean): Promise<Churn> {
  const system: ActorSystem = benchSystem();
  try {
    const names = await Registry.start<number, undefined>(system, { keys: 'unique' });
    const tags = await Registry.start<number, number>(system, { keys: 'unique' });
    const mailboxes = (): number => Math.max(system.getStatus(names.ref).mailboxLength, system.getStatus(tags.ref).mailboxLength);
    let refs: ActorRef[] = new Array<ActorRef>(BATCH);
    let peakHeap = 0;
    let peakHeapNoGc = 0;
    let peakMailbox = 0;
    let h0 = 0;
    // A full GC at every tenth of the batches (about 20 collections of a small heap for 1M).
    const gcEvery = Math.max(1, Math.floor(n / BATCH / 10));
    const sample = (live: boolean): void => {
      peakMailbox = Math.max(peakMailbox, mailboxes());
      peakHeapNoGc = Math.max(peakHeapNoGc, heapUsed() - h0);
      if (!live) return;
      collectGarbage();
      peakHeap = Math.max(peakHeap, heapUsed() - h0);
    };
    const run = async (from: number, to: number): Promise<void> => {
      for (let i = from, batch = 0; i < to; i += BATCH, batch++) {
        for (let j = 0; j < BATCH; j++) {
          const arg = { tags: named ? tags : null, i: i + j };
          refs[j] = await system.spawn(Tagged, arg, named ? { name: names.via(i + j) } : undefined);
        }
        const live = batch % gcEvery === gcEvery - 1;
        sample(live);
        for (const r of refs) system.exit(r, 'kill');
        sample(live);
      }
      // Quiescence: each registry answers a call only after its mailbox is drained.
      return Promise.all([call(names.ref, { type: 'registry_info' }), call(tags.ref, { type: 'registry_info' })]).then(([a, b]) => {
        if (a.size !== 0 || b.size !== 0) throw new Error(`registry_churn: ${a.size} and ${b.size} entries left in the registries`);
      });
    };
    // A first batch, not counted: compiled code, type feedback and the tables' first growth
    // are one-off costs (about 250 KB), not per actor.
    await run(-BATCH, 0);
    refs = new Array<ActorRef>(BATCH); // the batch's dead refs go with the warm-up
    collectGarbage();
    h0 = heapUsed();
    peakHeap = peakHeapNoGc = peakMailbox = 0;
    const t0 = now();
    await run(0, n);
    const ms = now() - t0;
    refs = [];
    collectGarbage();
    const retained = (heapUsed() - h0) / n;
    if (system.size !== 2) throw new Error(`registry_churn: ${system.size} actors alive, expected the 2 registries`);
    return { peakHeap: peakHeap / MB, peakHeapNoGc: peakHeapNoGc / MB, peakMailbox, retained, ms };
  } finally {
    await system.shutdown();
  }
}

export async function registryChurnWorkload(sizes: Sizes): Promise<WorkloadRecord> {
  requireGc();
  const n = sizes.churnN;
  const named = await churn(n, true);
  collectGarbage();
  const plain = await churn(n, false);
  collectGarbage();
  return makeRecord({
    arbor: named.peakHeap,
    limit: plain.peakHeap,
    peers: {},
    unit: 'MB (peak live heap)',
    better: 'lower',
    targets: [
      { against: 'absolute', of: 'peak_mailbox', op: '<=', value: 16 },
      { against: 'absolute', of: 'retained_bytes_per_actor', op: '<=', value: 2 },
    ],
    extra: {
      peak_mailbox: named.peakMailbox,
      peak_heap_nogc_mb: named.peakHeapNoGc,
      limit_peak_heap_nogc_mb: plain.peakHeapNoGc,
      retained_bytes_per_actor: named.retained,
      churn_ms: named.ms,
      actors_per_s: Math.round(n / (named.ms / 1000)),
      limit_churn_ms: plain.ms,
      limit_retained_bytes_per_actor: plain.retained,
      n,
      batch: BATCH,
    },
  });
}
