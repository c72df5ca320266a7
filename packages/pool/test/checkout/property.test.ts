/**
 * A property test of the checkout pool: random pool definitions (size 0..3, maxOverflow 0..3,
 * lifo|fifo, overflowIdleMs 0|15, onOwnerDown dismiss|checkin, sometimes maxLeaseMs 25 or
 * maxWaiting 1) driven by random command sequences (checkouts blocking / non-blocking / with an
 * AbortSignal, made for an owner or by the owner actor itself; check-ins, dismissals,
 * transactions that succeed, throw or crash their worker; aborts; sleeps that let timeouts and
 * linger timers fire; owner kills; worker kills; worker starts failing for a while), over real
 * actor workers under the pool's real worker supervisor. After every step: no worker is held by
 * two live leases, the manager's counters agree with the leases and waits the test sees and stay
 * within `size + maxOverflow`, as do the worker supervisor's live children, and every settled
 * checkout settled in an allowed way. At the end (everything checked in, linger timers elapsed):
 * every checkout settled, the pool is back to `size` idle workers, none out, none waiting, none
 * starting, and its strategy hands out the worker lifo/fifo says.
 *
 * Runs: POOL_PROP_RUNS (default 150). Replay a failure with the POOL_PROP_SEED and
 * POOL_PROP_PATH of its report (the pool is concurrent: a replay may not fail again).
 */
import test from 'ava';
import fc from 'fast-check';
import { call, childSpec, createSystem, DynamicSupervisor, GenServer, Supervisor, type ActorRef, type Call, type DynamicSupervisorProtocol } from '@arbor/core';
import { CheckoutAbortedError, CheckoutTimeoutError, PoolFullError, Pools, WorkerStartFailedError, type CheckoutOptions, type CheckoutPool, type Lease, type PoolStatus } from '../../src/index.js';
import { Doubler, waitFor, type DoublerProtocol } from '../support/workers.js';

const system = createSystem();
test.after.always(() => system.shutdown());

type W = ActorRef<DoublerProtocol>;

/** A simulated client: the owner its checkouts are tied to, killed to drive owner death. */
interface OwnerProtocol {
  /** Runs `fn` in the handler's synchronous part (so `currentActor()` is this owner); its promise comes back boxed. */
  call: Call<'run', { readonly p: Promise<Lease<W> | 'full'> }, { readonly fn: () => Promise<Lease<W> | 'full'> }>;
}
class Owner extends GenServer<OwnerProtocol, undefined, undefined> {
  override handleCall(req: OwnerProtocol['call']): { readonly p: Promise<Lease<W> | 'full'> } {
    return { p: req.fn() };
  }
}

/** A Doubler whose start fails while its pool's `flag.failing` is set (the arg is shared by reference). */
class FlakyDoubler extends GenServer<DoublerProtocol, undefined, { failing: boolean }> {
  override init(flag: { failing: boolean }): void {
    if (flag.failing) throw new Error('cannot start now');
  }
  override handleCall(req: DoublerProtocol['call']): number {
    if (req.type === 'crash') throw new Error('asked to crash');
    return req.type === 'sleep' ? req.ms : req.n * 2;
  }
}

const CLIENTS = 3;
const POOL_CHECKOUT_TIMEOUT_MS = 60;
const RUNS = process.env['POOL_PROP_RUNS'] !== undefined ? Number(process.env['POOL_PROP_RUNS']) : 150;

interface PoolDef {
  readonly size: number;
  readonly maxOverflow: number;
  readonly strategy: 'lifo' | 'fifo';
  readonly overflowIdleMs: number;
  readonly onOwnerDown: 'dismiss' | 'checkin';
  /** Infinity (the default) mostly; sometimes short enough to revoke a lease held across sleeps. */
  readonly maxLeaseMs: number;
  /** Infinity (the default) mostly; sometimes 1. */
  readonly maxWaiting: number;
}

type Cmd =
  /** viaOwner: the owner actor itself checks out, without an `owner` option (the default owner, `currentActor()`). */
  | { readonly c: 'checkout'; readonly client: number; readonly mode: 'block' | 'nonblock'; readonly timeoutMs: number | undefined; readonly viaOwner?: boolean }
  /** abortAfterMs: -1 aborts right after the call is sent (the cancel queues behind it); undefined: only an `abort` command aborts it. */
  | { readonly c: 'checkout'; readonly client: number; readonly mode: 'signal'; readonly timeoutMs: number | undefined; readonly abortAfterMs: number | undefined; readonly viaOwner?: boolean }
  | { readonly c: 'checkin'; readonly k: number }
  | { readonly c: 'dismiss'; readonly k: number }
  | { readonly c: 'transaction'; readonly client: number; readonly timeoutMs: number | undefined; readonly outcome: 'ok' | 'throw' | 'crash'; readonly holdMs: number }
  | { readonly c: 'abort'; readonly k: number }
  | { readonly c: 'sleep'; readonly ms: number }
  | { readonly c: 'ownerKill'; readonly client: number }
  | { readonly c: 'workerKill'; readonly target: 'leased' | 'idle'; readonly k: number }
  /** From now on worker starts fail (`on`) or succeed again. */
  | { readonly c: 'startFailures'; readonly on: boolean };

const poolDefArb: fc.Arbitrary<PoolDef> = fc
  .record({
    size: fc.integer({ min: 0, max: 3 }),
    maxOverflow: fc.integer({ min: 0, max: 3 }),
    strategy: fc.constantFrom('lifo' as const, 'fifo' as const),
    overflowIdleMs: fc.constantFrom(0, 15),
    onOwnerDown: fc.constantFrom('dismiss' as const, 'checkin' as const),
    maxLeaseMs: fc.constantFrom(Infinity, Infinity, 25),
    maxWaiting: fc.constantFrom(Infinity, Infinity, 1),
  })
  .filter((d) => d.size + d.maxOverflow > 0);

const client = fc.integer({ min: 0, max: CLIENTS - 1 });
const timeoutMs = fc.constantFrom(undefined, 0, 5, 20, 40);
const k = fc.nat({ max: 7 });
const cmdArb: fc.Arbitrary<Cmd> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record(
      { c: fc.constant('checkout' as const), client, mode: fc.constantFrom('block' as const, 'nonblock' as const), timeoutMs, viaOwner: fc.boolean() },
      { requiredKeys: ['c', 'client', 'mode', 'timeoutMs'] },
    ),
  },
  {
    weight: 2,
    arbitrary: fc.record(
      { c: fc.constant('checkout' as const), client, mode: fc.constant('signal' as const), timeoutMs, abortAfterMs: fc.constantFrom(undefined, -1, 0, 3, 15), viaOwner: fc.boolean() },
      { requiredKeys: ['c', 'client', 'mode', 'timeoutMs', 'abortAfterMs'] },
    ),
  },
  { weight: 4, arbitrary: fc.record({ c: fc.constant('checkin' as const), k }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('dismiss' as const), k }) },
  {
    weight: 2,
    arbitrary: fc.record({ c: fc.constant('transaction' as const), client, timeoutMs, outcome: fc.constantFrom('ok' as const, 'throw' as const, 'crash' as const), holdMs: fc.constantFrom(0, 5, 20) }),
  },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('abort' as const), k }) },
  { weight: 2, arbitrary: fc.record({ c: fc.constant('sleep' as const), ms: fc.constantFrom(1, 10, 30) }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('ownerKill' as const), client }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('workerKill' as const), target: fc.constantFrom('leased' as const, 'idle' as const), k }) },
  { weight: 1, arbitrary: fc.record({ c: fc.constant('startFailures' as const), on: fc.boolean() }) },
);

/** JSON, with Infinity spelled out. */
const show = (x: unknown): string => JSON.stringify(x, (_k, v: unknown) => (v === Infinity ? 'Infinity' : v));
const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));
const turn = (): Promise<void> => new Promise((r) => setImmediate(r));

interface Held {
  readonly lease: Lease<W>;
  readonly worker: W;
  readonly owner: ActorRef;
  readonly txn: boolean;
  readonly label: string;
}

interface Pending {
  readonly label: string;
  readonly promise: Promise<void>;
  settled: boolean;
  readonly ac: AbortController | undefined;
}

class TxnError extends Error {}

let runs = 0;
/** What the runs did (logged, to see the commands reach the interesting states). */
const seen: Record<string, number> = {};
const count = (what: string): void => {
  seen[what] = (seen[what] ?? 0) + 1;
};

/** One run: starts a pool of `def`, plays `cmds`, checks the invariants; throws on a violation. */
async function play(pools: Pools, def: PoolDef, cmds: readonly Cmd[]): Promise<void> {
  const name = `prop-${++runs}`;
  const cap = def.size + def.maxOverflow;
  const flag = { failing: false };
  const started = await pools.startPool({
    name,
    worker: childSpec(FlakyDoubler, flag),
    checkoutTimeoutMs: POOL_CHECKOUT_TIMEOUT_MS,
    startBackoff: { initialMs: 5, maxMs: 20 },
    ...def,
  });
  if (started.status !== 'started') throw new Error(`the pool did not start: ${started.status}`);
  const pool: CheckoutPool<W> = started.pool;
  const poolSup = pools.whereis(name)!;
  // The worker supervisor, found through public API: the pool supervisor's child 'workers'.
  const workersEntry = (await Supervisor.whichChildren(poolSup)).find((c) => c.id === 'workers');
  if (workersEntry === undefined || typeof workersEntry.ref !== 'object') throw new Error('no worker supervisor under the pool supervisor');
  const workersSup = workersEntry.ref as ActorRef<DynamicSupervisorProtocol>;

  const owners: ActorRef<OwnerProtocol>[] = [];
  for (let i = 0; i < CLIENTS; i++) owners.push(await system.spawn(Owner, undefined));
  const held: Held[] = [];
  const pending: Pending[] = [];
  const violations: string[] = [];
  let draining = false;
  let step = -1;

  const isLive = (h: Held): boolean => h.lease.active && system.isAlive(h.owner) && system.isAlive(h.worker);
  const live = (): Held[] => held.filter(isLive);

  const acquired = (lease: Lease<W>, owner: ActorRef, txn: boolean, label: string): Held => {
    const worker = lease.worker;
    const other = live().find((h) => h.worker === worker);
    if (other !== undefined) violations.push(`step ${step}: ${label} got worker ${worker.id}, held by the live lease of ${other.label}`);
    const h: Held = { lease, worker, owner, txn, label };
    held.push(h);
    return h;
  };

  const track = (label: string, p: Promise<void>, ac?: AbortController): void => {
    const entry: { label: string; promise: Promise<void>; settled: boolean; ac: AbortController | undefined } = { label, promise: p, settled: false, ac };
    entry.promise = p.finally(() => {
      entry.settled = true;
    });
    pending.push(entry);
  };

  const checkout = async (cmd: Extract<Cmd, { c: 'checkout' }>, label: string): Promise<void> => {
    const owner = owners[cmd.client]!;
    const ac = cmd.mode === 'signal' ? new AbortController() : undefined;
    const options: CheckoutOptions = {
      block: cmd.mode !== 'nonblock',
      ...(cmd.viaOwner === true ? {} : { owner }),
      ...(cmd.timeoutMs !== undefined ? { timeoutMs: cmd.timeoutMs } : {}),
      ...(ac !== undefined ? { signal: ac.signal } : {}),
    };
    // The owner is alive here (an ownerKill replaces it at once), so the call answers.
    const p: Promise<Lease<W> | 'full'> = cmd.viaOwner === true ? (await call(owner, { type: 'run', fn: () => pool.checkout(options) })).p : pool.checkout(options);
    if (cmd.mode === 'signal' && cmd.abortAfterMs !== undefined) {
      if (cmd.abortAfterMs < 0) ac!.abort('at once');
      else setTimeout(() => ac!.abort('timer'), cmd.abortAfterMs);
    }
    track(
      label,
      p.then(
        (r) => {
          count(`checkout ${cmd.mode} ${r === 'full' ? 'full' : 'lease'}`);
          if (r === 'full') {
            if (cmd.mode !== 'nonblock') violations.push(`${label}: a blocking checkout answered 'full'`);
            return;
          }
          const h = acquired(r, owner, false, label);
          if (draining) h.lease.checkin();
        },
        (e: unknown) => {
          count(`checkout ${cmd.mode}${cmd.timeoutMs === 0 ? ' timeoutMs 0' : ''} ${(e as Error)?.name}`);
          if (e instanceof CheckoutTimeoutError || e instanceof WorkerStartFailedError) return;
          if (e instanceof PoolFullError && cmd.mode !== 'nonblock' && def.maxWaiting !== Infinity) return;
          if (e instanceof CheckoutAbortedError && ac?.signal.aborted === true) return;
          if (e instanceof CheckoutAbortedError && e.by === 'owner' && !system.isAlive(owner)) return;
          violations.push(`${label}: rejected with ${(e as Error)?.name}: ${(e as Error)?.message}`);
        },
      ),
      ac,
    );
  };

  const transaction = (cmd: Extract<Cmd, { c: 'transaction' }>, label: string): void => {
    const owner = owners[cmd.client]!;
    let fnRan = false;
    const p = pool.transaction(
      async (w, lease) => {
        fnRan = true;
        acquired(lease, owner, true, label);
        if (cmd.outcome === 'crash') await call(w, { type: 'crash' });
        const x = await call(w, { type: 'double', n: 21 });
        if (x !== 42) violations.push(`${label}: the worker answered ${x}`);
        if (cmd.holdMs > 0) await sleep(cmd.holdMs);
        if (cmd.outcome === 'throw') throw new TxnError('the transaction failed');
        return x;
      },
      { owner, ...(cmd.timeoutMs !== undefined ? { timeoutMs: cmd.timeoutMs } : {}) },
    );
    track(
      label,
      p.then(
        () => {
          if (cmd.outcome !== 'ok') violations.push(`${label}: a ${cmd.outcome} transaction resolved`);
        },
        (e: unknown) => {
          if (fnRan) return; // fn's own error, or a call to a worker that was killed
          if (e instanceof CheckoutTimeoutError || e instanceof WorkerStartFailedError) return;
          if (e instanceof PoolFullError && def.maxWaiting !== Infinity) return;
          if (e instanceof CheckoutAbortedError && e.by === 'owner' && !system.isAlive(owner)) return;
          violations.push(`${label}: rejected before fn with ${(e as Error)?.name}: ${(e as Error)?.message}`);
        },
      ),
    );
  };

  const checkInvariants = async (where: string): Promise<PoolStatus> => {
    // Every waiter the manager has at the status call is a checkout not settled before it. Every
    // lease live both before and after it was handed out before it, and the manager cannot have
    // ended it since (that takes a check-in, or kills its worker or owner: a revocation kills).
    const unsettled = pending.filter((p) => !p.settled).length;
    const liveBefore = live();
    const s = await pool.status();
    const liveThrough = liveBefore.filter(isLive).length;
    if (s.waiting > def.maxWaiting) violations.push(`${where}: ${s.waiting} waiting > maxWaiting ${def.maxWaiting}`);
    if (s.waiting > unsettled) violations.push(`${where}: ${s.waiting} waiting, but only ${unsettled} checkouts unsettled`);
    if (s.checkedOut < liveThrough) violations.push(`${where}: checkedOut ${s.checkedOut}, but ${liveThrough} leases are live (owner and worker alive, not ended)`);
    if (s.idle + s.checkedOut + s.starting > cap) violations.push(`${where}: idle ${s.idle} + checkedOut ${s.checkedOut} + starting ${s.starting} > ${cap}`);
    if (s.overflow > def.maxOverflow) violations.push(`${where}: overflow ${s.overflow} > maxOverflow ${def.maxOverflow}`);
    const counts = await DynamicSupervisor.countChildren(workersSup);
    if (counts.active > cap) violations.push(`${where}: ${counts.active} live workers under the worker supervisor > ${cap}`);
    const seen = new Map<W, string>();
    for (const h of live()) {
      const before = seen.get(h.worker);
      if (before !== undefined) violations.push(`${where}: worker ${h.worker.id} held by the live leases of ${before} and ${h.label}`);
      seen.set(h.worker, h.label);
    }
    if (pools.whereis(name) !== poolSup) violations.push(`${where}: the pool restarted`);
    return s;
  };

  const fail = (): never => {
    throw new Error(`pool ${show(def)}:\n  ${violations.join('\n  ')}`);
  };

  try {
    for (step = 0; step < cmds.length; step++) {
      const cmd = cmds[step]!;
      const label = `#${step} ${cmd.c}`;
      switch (cmd.c) {
        case 'checkout':
          await checkout(cmd, label);
          break;
        case 'transaction':
          transaction(cmd, label);
          break;
        case 'checkin':
        case 'dismiss': {
          const mine = live().filter((h) => !h.txn);
          const h = mine[cmd.k % Math.max(1, mine.length)];
          if (h !== undefined) {
            if (cmd.c === 'checkin') h.lease.checkin();
            else h.lease.dismiss('property test');
          }
          break;
        }
        case 'abort': {
          const waiting = pending.filter((p) => !p.settled && p.ac !== undefined && !p.ac.signal.aborted);
          waiting[cmd.k % Math.max(1, waiting.length)]?.ac!.abort('abort command');
          break;
        }
        case 'startFailures':
          flag.failing = cmd.on;
          break;
        case 'sleep':
          await sleep(cmd.ms);
          break;
        case 'ownerKill':
          count(`ownerKill with ${pending.filter((p) => !p.settled).length > 0 ? 'pending checkouts' : 'none pending'}`);
          system.exit(owners[cmd.client]!, 'kill');
          owners[cmd.client] = await system.spawn(Owner, undefined);
          break;
        case 'workerKill': {
          if (cmd.target === 'leased') {
            const hs = live();
            const h = hs[cmd.k % Math.max(1, hs.length)];
            if (h !== undefined) system.exit(h.worker, 'kill');
            count(h !== undefined ? `workerKill leased${h.txn ? ' (transaction)' : ''}` : 'workerKill leased: none held');
          } else {
            const heldNow = new Set(live().map((h) => h.worker));
            const idle = (await DynamicSupervisor.whichChildren(workersSup)).flatMap((c) => (typeof c.ref === 'object' && !heldNow.has(c.ref as W) ? [c.ref] : []));
            const w = idle[cmd.k % Math.max(1, idle.length)];
            if (w !== undefined) system.exit(w, 'kill');
            count(w !== undefined ? 'workerKill idle' : 'workerKill idle: none');
          }
          break;
        }
      }
      await turn();
      await checkInvariants(`after ${label}`);
      if (violations.length > 0) fail();
    }

    // Quiescence: check everything in, let every checkout settle (bounded), let linger timers elapse.
    step = cmds.length;
    draining = true;
    flag.failing = false;
    for (const h of live()) if (!h.txn) h.lease.checkin();
    const allSettled = Promise.allSettled(pending.map((p) => p.promise));
    await Promise.race([allSettled, sleep(2_000)]);
    const unsettled = pending.filter((p) => !p.settled).map((p) => p.label);
    if (unsettled.length > 0) violations.push(`checkouts never settled (waited 2 s): ${unsettled.join(', ')}`);
    let last: PoolStatus | undefined;
    let lastActive = -1;
    try {
      await waitFor(
        async () => {
          last = await pool.status();
          lastActive = (await DynamicSupervisor.countChildren(workersSup)).active;
          return last.idle === def.size && last.checkedOut === 0 && last.waiting === 0 && last.starting === 0 && lastActive === def.size;
        },
        'quiescence',
        2_000,
      );
    } catch {
      violations.push(`after quiescence: ${JSON.stringify(last)}, ${lastActive} live workers (want idle ${def.size}, checkedOut 0, waiting 0, starting 0, ${def.size} live)`);
    }
    await checkInvariants('after quiescence');
    if (violations.length > 0) fail();
    if (def.size >= 2) {
      // At rest the strategy is deterministic: check every worker out, in again in order, and take one.
      const all: Lease<W>[] = [];
      for (let i = 0; i < def.size; i++) {
        const l = await pool.checkout({ block: false, owner: null });
        if (l === 'full') violations.push(`at rest: checkout ${i + 1} of ${def.size} answered 'full'`);
        else all.push(l);
      }
      const order = all.map((l) => l.worker);
      for (const l of all) l.checkin();
      const next = await pool.checkout({ block: false, owner: null });
      const want = def.strategy === 'lifo' ? order.at(-1) : order[0];
      if (next === 'full') violations.push(`at rest: a checkout after the check-ins answered 'full'`);
      else {
        if (next.worker !== want) violations.push(`at rest (${def.strategy}): got worker ${next.worker.id}, want ${want?.id} of [${order.map((w) => w.id).join(', ')}]`);
        next.checkin();
      }
      count(`strategy ${def.strategy} checked`);
      if (violations.length > 0) fail();
    }
  } finally {
    for (const p of pending) p.ac?.abort('run over');
    for (const o of owners) system.exit(o, 'kill');
    await pools.stopPool(name);
  }
}

// Found by the property (shrunk): { size: 0, maxOverflow: 1 }, client 0 checks out the only
// worker, client 1's checkout waits, client 1's owner is killed: the waiter was dropped without
// an answer (its timeout cancelled too), so the checkout never settled.
test('a waiting checkout whose owner dies rejects with CheckoutAbortedError (it settled never)', async (t) => {
  const pools = await Pools.start(system, { name: 'prop.repro1' });
  const r = await pools.startPool({ name: 'owner-down', worker: childSpec(Doubler, undefined), size: 0, maxOverflow: 1 });
  if (r.status !== 'started') return t.fail(r.status);
  const held = await r.pool.checkout({ owner: null });
  const owner = await system.spawn(Owner, undefined);
  const waiting = r.pool.checkout({ owner, timeoutMs: 200 });
  await waitFor(async () => (await r.pool.status()).waiting === 1, 'the checkout to wait');
  system.exit(owner, 'kill');
  const outcome = await Promise.race([waiting.then(() => 'resolved', (e: unknown) => e), sleep(2_000).then(() => 'never settled')]);
  if (!(outcome instanceof CheckoutAbortedError)) return t.fail(`the checkout: ${String(outcome)}`);
  t.is(outcome.by, 'owner');
  t.regex(outcome.message, /owner actor exited .*killed/);
  t.like(await r.pool.status(), { waiting: 0, checkedOut: 1 });
  held.checkin();
  await waitFor(async () => (await r.pool.status()).checkedOut === 0, 'the check-in');
  t.like(await r.pool.status(), { idle: 0, waiting: 0, starting: 0 });
  await pools.stop();
});

test('random command sequences keep the checkout pool consistent and bring it back to size', async (t) => {
  t.timeout(110_000);
  const pools = await Pools.start(system, { name: 'prop' });
  const seed = process.env['POOL_PROP_SEED'] !== undefined ? Number(process.env['POOL_PROP_SEED']) : (Date.now() ^ (Math.random() * 0x100000000)) | 0;
  const path = process.env['POOL_PROP_PATH'];
  t.log(`seed ${seed}${path !== undefined ? ` path ${path}` : ''}`);
  const details = await fc.check(
    fc.asyncProperty(poolDefArb, fc.array(cmdArb, { maxLength: 40, size: 'max' }), async (def, cmds) => {
      await play(pools, def, cmds);
    }),
    { numRuns: RUNS, seed, ...(path !== undefined ? { path } : {}), interruptAfterTimeLimit: 80_000 },
  );
  await pools.stop();
  t.log(`runs ${details.numRuns}: ${JSON.stringify(seen)}`);
  if (details.failed) {
    const [def, cmds] = details.counterexample!;
    t.fail(
      [
        `seed ${details.seed}, path ${details.counterexamplePath} (POOL_PROP_SEED=${details.seed} POOL_PROP_PATH=${details.counterexamplePath})`,
        `shrunk counterexample after ${details.numShrinks} shrinks:`,
        `  pool: ${show(def)}`,
        `  commands:\n    ${cmds.map((c) => show(c)).join('\n    ')}`,
        `error: ${(details.errorInstance as Error)?.message ?? String(details.errorInstance)}`,
      ].join('\n'),
    );
    return;
  }
  t.false(details.interrupted, `interrupted after ${details.numRuns} runs`);
  t.is(details.numRuns, RUNS);
});
