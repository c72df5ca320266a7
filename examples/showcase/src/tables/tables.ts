/**
 * Part six of the demo: a table owner holding the shared tables of a crash
 * barrier, as the worker taints of Snakepit (https://hex.pm/packages/snakepit) do.
 *
 * ```
 * pool (one_for_one)
 * ├─ pool_tables.keeper  TableKeeper (heir of the tables declared with keep)
 * ├─ pool_tables         the table owner: worker_taints (set), job_counts (set, keep)
 * └─ w1, w2, w3          Worker: handles jobs, counts them in job_counts
 * ```
 *
 * A router sends jobs round robin. When a worker crashes on a job, the router taints it
 * in `worker_taints` and routes around it while the taint lasts. Then the table owner
 * itself is killed: its supervisor restarts it, `job_counts` comes back full (the keeper
 * held it) and `worker_taints` comes back empty (a fresh start for every worker).
 */
import { call, CallExitError, createLogger, createSystem, GenServer, Supervisor, type ActorSystem, type Call, type LogLevel } from '@arbor/core';
import { TableOwner, TableSpec } from '@arbor/ets';

/** Why and until when a worker is kept out of routing. */
export interface Taint {
  readonly reason: string;
  readonly until: number;
}

/** The pool's shared tables, declared once with their types. */
export const PoolTables = TableOwner.define('pool_tables', {
  worker_taints: TableSpec.set<string, Taint>(),
  job_counts: TableSpec.set<string, number>({ keep: true }),
});

interface WorkerProtocol {
  call: Call<'job', string, { job: string }>;
}

/** A worker: counts each job it handles in the shared table; a 'poison' job crashes it. */
class Worker extends GenServer<WorkerProtocol, string, string> {
  override init(id: string): void {
    this.state = id;
  }
  override async handleCall(req: WorkerProtocol['call']): Promise<string> {
    await Promise.resolve(); // an async handler: the table handle works after an await
    if (req.job === 'poison') throw new Error(`${this.state} choked on a poison job`);
    PoolTables.ensureTable('job_counts', this).updateCounter(this.state, 1, 0);
    return `${this.state} did ${req.job}`;
  }
}

/** What the tables scene observed. */
export interface TablesSummary {
  /** Who handled the jobs, in order ('-' for the crash). */
  readonly routed: readonly string[];
  /** Workers tainted after the crash. */
  readonly tainted: readonly string[];
  /** Jobs per worker before the owner crash. */
  readonly counts: Readonly<Record<string, number>>;
  /** After the owner crash: the job counts are the same (kept by the keeper)... */
  readonly countsKept: boolean;
  /** ...and the taints are gone (a fresh table). */
  readonly taintsAfterOwnerCrash: number;
}

/** Runs the scene, printing to `print`. */
export async function runTables(print: (line: string) => void, options: { logLevel?: LogLevel } = {}): Promise<TablesSummary> {
  const system: ActorSystem = createSystem({ name: 'tables', logger: createLogger(options.logLevel) });
  try {
    const ids = ['w1', 'w2', 'w3'];
    const pool = await Supervisor.start(system, {
      strategy: 'one_for_one',
      intensity: 5,
      period: 5000,
      children: [
        PoolTables.keeperSpec(),
        PoolTables.childSpec(),
        ...ids.map((id) => ({ id, start: { behaviour: Worker, arg: id, options: { name: id } } })),
      ],
    });
    print('\nPart six: shared tables owned by a supervised table owner');
    const taints = PoolTables.ensureTable('worker_taints', system);
    const counts = PoolTables.ensureTable('job_counts', system);
    let next = 0;
    const route = async (job: string): Promise<string> => {
      for (let tries = 0; tries < ids.length; tries++) {
        const id = ids[next++ % ids.length]!;
        const taint = taints.lookup(id);
        if (taint !== undefined && taint.until > Date.now()) continue; // the crash barrier
        try {
          return await call(system.whereis<WorkerProtocol>(id)!, { type: 'job', job });
        } catch (e) {
          if (!(e instanceof CallExitError)) throw e;
          taints.insert(id, { reason: 'crashed', until: Date.now() + 60_000 });
          print(`  ${id} crashed on ${job}: tainted for 60 s`);
          return '-';
        }
      }
      throw new Error('every worker is tainted');
    };
    const routed: string[] = [];
    for (const job of ['a', 'poison', 'b', 'c', 'd', 'e']) {
      const r = await route(job);
      routed.push(r === '-' ? '-' : r.split(' ')[0]!);
      if (r !== '-') print(`  ${r}`);
    }
    const tainted = taints.match().map(([id]) => id);
    const before = Object.fromEntries(ids.map((id) => [id, counts.lookup(id) ?? 0]));
    print(`  tainted: ${tainted.join(', ')}; jobs per worker: ${JSON.stringify(before)}`);

    const owner = system.whereis('pool_tables')!;
    system.exit(owner, 'kill');
    while (!PoolTables.isRunning(system) || system.whereis('pool_tables') === owner) await new Promise((r) => setTimeout(r, 1));
    const after = Object.fromEntries(ids.map((id) => [id, PoolTables.ensureTable('job_counts', system).lookup(id) ?? 0]));
    const taintsAfter = PoolTables.ensureTable('worker_taints', system).size();
    print(`  table owner killed and restarted: job counts ${JSON.stringify(after)} (kept), taints ${taintsAfter} (fresh)`);
    await system.stop(pool, 'shutdown');
    return {
      routed,
      tainted,
      counts: before,
      countsKept: JSON.stringify(after) === JSON.stringify(before),
      taintsAfterOwnerCrash: taintsAfter,
    };
  } finally {
    await system.shutdown();
  }
}
