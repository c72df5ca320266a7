/** A small application tree for the observer tests: a supervisor with workers, a pool-like actor and a sub-supervisor. */
import { childSpec, createSystem, GenServer, Supervisor, type ActorRef, type ActorSystem, type Call, type StatusDetails, type SupervisorProtocol } from '@arbor/core';

/** What a {@link Worker} answers. */
export interface WorkerProtocol {
  call: Call<'get', number>;
  cast: { type: 'inc'; by: number } | { type: 'crash' };
}

/** Counts casts; `crash` makes it throw (its supervisor restarts it). */
export class Worker extends GenServer<WorkerProtocol, number, number> {
  override init(start: number): void {
    this.state = start;
  }
  override handleCall(): number {
    return this.state;
  }
  override handleCast(msg: WorkerProtocol['cast']): void {
    if (msg.type === 'crash') throw new Error('boom: asked to crash');
    this.state += msg.by;
  }
}

/** Reports pool-like status (as @arbor/pool's PoolManager does), for the pools cards. */
export class FakePool extends GenServer<{ call: Call<'get', number> }, number, undefined> {
  override init(): void {
    this.state = 0;
  }
  override handleCall(): number {
    return this.state;
  }
  override formatStatus(): StatusDetails {
    return { pool: 'db', state: 'busy', size: 4, maxOverflow: 2, idle: 0, overflow: 1, checkedOut: 5, waiting: 3, starting: 0 };
  }
}

/** The tree: `shop` (one_for_one) with `orders`, `mailer`, `db` (a pool) and `workers` (a supervisor of `n` workers). */
export async function startShop(n = 3, name = 'shop'): Promise<{ system: ActorSystem; root: ActorRef<SupervisorProtocol> }> {
  const system = createSystem({ name });
  const workers = Array.from({ length: n }, (_, i) => childSpec(Worker, 0, { id: `worker-${i + 1}` }));
  const root = await Supervisor.start(system, {
    strategy: 'one_for_one',
    intensity: 1000,
    period: 1,
    children: [
      childSpec(Worker, 0, { id: 'orders', options: { name: 'orders' } }),
      childSpec(Worker, 0, { id: 'mailer', options: { name: 'mailer' } }),
      childSpec(FakePool, undefined, { id: 'db', options: { name: 'db' } }),
      Supervisor.childSpec({ strategy: 'one_for_all', intensity: 1000, period: 1, children: workers }, { id: 'workers' }),
    ],
  }, { name: 'shop' });
  return { system, root };
}
