import { DynamicSupervisor, GenServer, noReply, Registry, type ActorRef, type ActorSystem, type Call, type DynamicSupervisorProtocol, type From, type NoReply } from '@arbor/core';
import type { CheckoutOptions, CheckoutPool, Lease, Pools } from '../../src/index.js';
import { waitFor } from './workers.js';

/** What a client's checkout answered: the worker, `'full'`, or the error's code. */
export type ClientCheckout = { readonly ok: true; readonly worker: ActorRef } | { readonly ok: false; readonly code: string } | 'full';

export interface ClientProtocol {
  call:
    | Call<'checkout', ClientCheckout, { readonly options?: Omit<CheckoutOptions, 'signal' | 'owner'> }>
    | Call<'checkin', boolean, { readonly worker: ActorRef }>
    | Call<'leases', number>;
  info: { readonly type: 'got'; readonly from: From<ClientCheckout>; readonly result: Lease<ActorRef> | 'full' | { code: string } };
}

/**
 * A process that checks workers out of a pool as its own (poolboy's tests check out from
 * spawned processes): the checkout starts in the handler's synchronous part, so the pool
 * ties the lease to this actor (`currentActor()`), and its death is an owner's death.
 */
export class Client extends GenServer<ClientProtocol, undefined, CheckoutPool<ActorRef>> {
  #pool!: CheckoutPool<ActorRef>;
  readonly #leases = new Map<ActorRef, Lease<ActorRef>>();

  override init(pool: CheckoutPool<ActorRef>): void {
    this.#pool = pool;
  }

  override handleCall(req: ClientProtocol['call'], from: From): ClientCheckout | boolean | number | NoReply {
    switch (req.type) {
      case 'checkout': {
        const self = this.self;
        this.#pool.checkout(req.options ?? {}).then(
          (result) => this.system.send(self, { type: 'got', from, result }),
          (e: { code?: string }) => this.system.send(self, { type: 'got', from, result: { code: String(e?.code ?? e) } }),
        );
        return noReply;
      }
      case 'checkin': {
        const lease = this.#leases.get(req.worker);
        this.#leases.delete(req.worker);
        return lease?.checkin() ?? false;
      }
      case 'leases':
        return this.#leases.size;
    }
  }

  override handleInfo(msg: ClientProtocol['info']): void {
    if (msg.type !== 'got') return;
    const r = msg.result;
    if (r === 'full') return this.reply(msg.from, 'full');
    if ('code' in r) return this.reply(msg.from, { ok: false, code: r.code });
    this.#leases.set(r.worker, r);
    this.reply(msg.from, { ok: true, worker: r.worker });
  }
}

/** A started client of `pool`. */
export function client(system: ActorSystem, pool: CheckoutPool<any>): Promise<ActorRef<ClientProtocol>> {
  return system.spawn(Client, pool);
}

/** `client` checks a worker out and answers it (throws if it got none). */
export async function checkout(system: ActorSystem, c: ActorRef<ClientProtocol>, options?: Omit<CheckoutOptions, 'signal' | 'owner'>): Promise<ActorRef> {
  const r = await system.call(c, { type: 'checkout', ...(options === undefined ? {} : { options }) }, { timeout: 30_000 });
  if (r === 'full' || !r.ok) throw new Error(`checkout answered ${JSON.stringify(r)}`);
  return r.worker;
}

/** `client` checks `worker` in; resolves once the checkin reached the pool's mailbox (a status call after it sees it). */
export async function checkin(system: ActorSystem, c: ActorRef<ClientProtocol>, worker: ActorRef): Promise<void> {
  const done = await system.call(c, { type: 'checkin', worker });
  if (!done) throw new Error(`the client held no lease of ${worker.id}`);
}

/** The pool's worker supervisor (the pools registry's `<pool>/workers`). */
export function workerSup(system: ActorSystem, tree: string, pool: string): ActorRef<DynamicSupervisorProtocol> {
  const ref = Registry.named<string>(system, `${tree}.registry`)?.whereis(`${pool}/workers`);
  if (ref === undefined) throw new Error(`pool ${pool} has no worker supervisor`);
  return ref as ActorRef<DynamicSupervisorProtocol>;
}

/** The live workers of the pool (poolboy's get_all_workers), from its worker supervisor. */
export async function liveWorkers(system: ActorSystem, tree: string, pool: string): Promise<ActorRef[]> {
  const children = await DynamicSupervisor.whichChildren(workerSup(system, tree, pool));
  return children.map((c) => c.ref).filter((r): r is ActorRef => typeof r === 'object' && system.isAlive(r));
}

/**
 * The monitors the pool's manager holds on anything but its workers: lease owners and
 * waiters (poolboy's get_all_monitors). Call after a status call, so the manager has
 * handled what was sent before.
 */
export async function ownerMonitors(system: ActorSystem, tree: string, pool: CheckoutPool<any>): Promise<string[]> {
  const manager = pool.manager;
  if (manager === undefined) throw new Error(`pool ${pool.name} has no manager`);
  await pool.status();
  const workers = new Set((await DynamicSupervisor.whichChildren(workerSup(system, tree, pool.name))).map((c) => (typeof c.ref === 'object' ? c.ref.id : '')));
  return system.getStatus(manager).monitors.filter((id) => !workers.has(id));
}

/** Kills `ref` and resolves once it is dead (its DOWN is then in every monitor's mailbox). */
export function kill(system: ActorSystem, ref: ActorRef): Promise<void> {
  return new Promise((resolve) => {
    system.monitor(ref, () => resolve());
    system.exit(ref, 'kill');
  });
}

/** Stops `ref` (an owner that exits normally, as poolboy's spawned processes do). */
export function stopped(system: ActorSystem, ref: ActorRef): Promise<void> {
  return new Promise((resolve) => {
    system.monitor(ref, () => resolve());
    void system.stop(ref).catch(() => undefined);
  });
}

/** Waits until the pool has no start in flight and no worker being stopped: `idle + checkedOut` are then all its workers. */
export async function settled(system: ActorSystem, tree: string, pool: CheckoutPool<any>): Promise<void> {
  await waitFor(async () => {
    const s = await pool.status();
    return s.starting === 0 && (await liveWorkers(system, tree, pool.name)).length === s.idle + s.checkedOut;
  }, `pool ${pool.name} to settle`);
}

/** A started pool's handle (fails the test on an error outcome). */
export async function started<W>(r: Promise<{ status: string; pool?: CheckoutPool<W>; reason?: unknown }>): Promise<CheckoutPool<W>> {
  const x = await r;
  if (x.status !== 'started' || x.pool === undefined) throw new Error(`startPool answered ${x.status}: ${String((x.reason as Error | undefined)?.message)}`);
  return x.pool;
}

export type { Pools };
