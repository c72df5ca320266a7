import test from 'ava';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { cast, call, createSystem, GenServer, Registry, type ActorRef, type ActorSystem, type Call, type RegistryHandle } from '../../src/index.js';
import { Member } from '../support/registryMembers.js';

// A registry under churn: owners come and go by the thousand. The registry drops an
// owner's entries inside its exit, so no DOWN piles up in its mailbox, and nothing of
// the owners stays on the heap once they are gone. Serial: the heap figures need quiet.

const BATCH = 2_000;

/** A plain actor, named through the registry with `via` at spawn. */
class Named extends GenServer<{ call: Call<'get', number> }, number, number> {
  override init(n: number): void {
    this.state = n;
  }
  override handleCall(): number {
    return this.state;
  }
}

/** Spawns `n` actors named with via (`via`) and as many that register in their init (`reg`), in batches, killing each batch at once. */
async function churn(
  system: ActorSystem,
  via: RegistryHandle<string, undefined>,
  reg: RegistryHandle<string, number>,
  n: number,
  onBatch: () => void,
): Promise<void> {
  for (let i = 0; i < n; i += BATCH) {
    const refs: ActorRef[] = [];
    for (let j = i; j < i + BATCH; j++) {
      refs.push(await system.spawn(Named, j, { name: via.via(`v${j}`) }));
      refs.push(await system.spawn(Member, { registry: reg, register: [[`r${j}`, j]] }));
    }
    onBatch();
    for (const r of refs) system.exit(r, 'kill');
    onBatch();
  }
}

// A full GC without --expose-gc on the command line: the flag set now exposes gc() in a new context.
setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

function heapAfterGc(): number {
  gc();
  gc();
  return process.memoryUsage().heapUsed;
}

test.serial('registries under churn: their mailboxes never hold a DOWN backlog, and they watch nobody once the owners are gone', async (t) => {
  const system = createSystem({ name: 'churn' });
  const via = await Registry.start<string, undefined>(system, { keys: 'unique' });
  const reg = await Registry.start<string, number>(system, { keys: 'unique' });
  const N = 20_000;
  let peak = 0;
  await churn(system, via, reg, N, () => {
    peak = Math.max(peak, system.getStatus(via.ref).mailboxLength, system.getStatus(reg.ref).mailboxLength);
  });
  // Every batch of 2,000 kills is done synchronously: a DOWN per owner would queue 2,000.
  t.true(peak <= 2, `peak registry mailbox length ${peak} (a DOWN backlog)`);
  t.is(system.getStatus(via.ref).mailboxLength, 0);
  t.deepEqual(system.getStatus(via.ref).monitors, [], 'the via registry watches nobody');
  t.deepEqual(system.getStatus(reg.ref).monitors, [], 'the registry watches nobody');
  t.like(await call(via.ref, { type: 'registry_info' }), { size: 0, owners: 0 });
  t.like(await call(reg.ref, { type: 'registry_info' }), { size: 0, owners: 0 });
  t.is(via.whereis('v0'), undefined);
  t.is(reg.whereis(`r${N - 1}`), undefined);
  t.is(system.size, 2, 'only the two registries are left');
  // The keys are free for new owners.
  const again = await system.spawn(Named, 0, { name: via.via('v0') });
  t.is(via.whereis('v0'), again);
  await system.shutdown();
});

test.serial('registries under churn keep nothing per gone owner on the heap', async (t) => {
  const system = createSystem({ name: 'churn-heap' });
  const via = await Registry.start<string, undefined>(system, { keys: 'unique' });
  const reg = await Registry.start<string, number>(system, { keys: 'unique' });
  // Warm-up: the first churn leaves one-off garbage (compiled code, interned strings).
  await churn(system, via, reg, BATCH, () => {});
  await call(via.ref, { type: 'registry_info' });
  await call(reg.ref, { type: 'registry_info' });
  const before = heapAfterGc();
  const N = 60_000;
  await churn(system, via, reg, N, () => {});
  await call(via.ref, { type: 'registry_info' });
  await call(reg.ref, { type: 'registry_info' });
  const perActor = (heapAfterGc() - before) / (2 * N);
  // A DOWN backlog of N leaves its grown mailbox buffer (8 bytes a slot) behind for good.
  t.true(perActor < 4, `${perActor.toFixed(2)} bytes per gone actor stay on the heap`);
  await system.shutdown();
});

/** A counter that handles casts. */
class Counter extends GenServer<{ cast: 'inc'; call: Call<'get', number> }, number, number> {
  override init(n: number): void {
    this.state = n;
  }
  override handleCast(): void {
    this.state++;
  }
  override handleCall(): number {
    return this.state;
  }
}

test.serial('a mailbox gives back the buffer a burst grew once it is drained', async (t) => {
  const system = createSystem({ name: 'burst' });
  const ref = await system.spawn(Counter, 0);
  const before = heapAfterGc();
  const N = 200_000;
  await system.suspend(ref);
  for (let i = 0; i < N; i++) cast(ref, 'inc');
  t.is(system.getStatus(ref).mailboxLength, N);
  await system.resume(ref);
  t.is(await call(ref, { type: 'get' }), N);
  const kept = heapAfterGc() - before;
  // The burst grew the buffer to 262,144 slots (2 MB); an empty mailbox keeps a few.
  t.true(kept < 512 * 1024, `${kept} bytes stay after the burst drained`);
  await system.shutdown();
});
