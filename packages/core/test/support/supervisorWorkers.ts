/**
 * Supervisor test fixtures: a recording worker whose life cycle lands in a shared event
 * array (`start <id>`, `stop <id> <reason>`, ...), spec builders and polling helpers.
 */
import {
  childSpec,
  formatReason,
  GenServer,
  ignore,
  Supervisor,
  type ActorRef,
  type ActorSystem,
  type Call,
  type ChildEntry,
  type ChildSpec,
  type ChildSpecOverrides,
  type ExitReason,
  type Ignore,
  type SupervisorProtocol,
} from '../../src/index.js';
import { sleep } from './helpers.js';

/** What a {@link Worker} starts with. The same object is handed to every (re)start of a spec. */
export interface WorkerArg {
  readonly id: string;
  /** Shared by the workers of a test: `start <id>`, `fail <id>`, `ignore <id>`, `stop <id> <reason>`, `stopped <id>`. */
  readonly events: string[];
  /** Trap exits, so `terminate` runs when the supervisor stops the worker (and records `stop`). */
  readonly trap?: boolean;
  /** Asked at each init with the 1-based attempt number (counted per arg object): true makes init throw. */
  readonly failInit?: (attempt: number) => boolean;
  /** Asked at each init: true makes init return `ignore`. */
  readonly ignore?: (attempt: number) => boolean;
  /** `terminate` waits for the promise this returns (or forever) before the worker exits; records `stopped <id>` when done. */
  readonly terminateWait?: ((id: string) => Promise<unknown>) | 'forever';
  /** Called at each successful init with the worker's ref. */
  readonly onStart?: (ref: ActorRef<WorkerProtocol>) => void;
}

export interface WorkerProtocol {
  call: Call<'ping', string> | Call<'unlink', true, { ref: ActorRef }> | Call<'parentLinked', boolean, { ref: ActorRef }>;
  cast:
    | { type: 'exit'; reason: ExitReason }
    | { type: 'crash' }
    /** Keeps the worker busy in an async handler until the promise settles. */
    | { type: 'busy'; until: Promise<unknown> };
}

const attemptCounts = new WeakMap<WorkerArg, number>();

/** How many times `init` ran with this arg. */
export function attempts(arg: WorkerArg): number {
  return attemptCounts.get(arg) ?? 0;
}

export class Worker extends GenServer<WorkerProtocol, undefined, WorkerArg> {
  arg!: WorkerArg;

  override init(arg: WorkerArg): void | Ignore {
    const n = attempts(arg) + 1;
    attemptCounts.set(arg, n);
    this.arg = arg;
    if (arg.failInit?.(n) === true) {
      arg.events.push(`fail ${arg.id}`);
      throw new Error(`init of ${arg.id} failed (attempt ${n})`);
    }
    if (arg.ignore?.(n) === true) {
      arg.events.push(`ignore ${arg.id}`);
      return ignore;
    }
    if (arg.trap === true) this.trapExit(true);
    arg.events.push(`start ${arg.id}`);
    arg.onStart?.(this.self);
  }

  override handleCall(req: WorkerProtocol['call']): string | boolean {
    switch (req.type) {
      case 'ping':
        return this.arg.id;
      case 'unlink':
        this.unlink(req.ref);
        return true;
      case 'parentLinked':
        return this.system.getStatus(this.self).links.includes(req.ref as never);
    }
  }

  override async handleCast(msg: WorkerProtocol['cast']): Promise<void> {
    switch (msg.type) {
      case 'exit':
        this.stop(msg.reason);
        return;
      case 'crash':
        throw new Error(`crash ${this.arg.id}`);
      case 'busy':
        await msg.until;
        return;
    }
  }

  /** EXIT messages of a trapping worker (from actors other than its supervisor) are dropped quietly. */
  override handleInfo(): void {}

  override async terminate(reason: ExitReason): Promise<void> {
    const { events, id, terminateWait } = this.arg;
    events.push(`stop ${id} ${formatReason(reason)}`);
    if (terminateWait === undefined) return;
    await (terminateWait === 'forever' ? new Promise<never>(() => {}) : terminateWait(id));
    events.push(`stopped ${id}`);
  }
}

/** Options of {@link worker}: the worker's own (minus id and events) and spec overrides. */
export type WorkerOptions = Omit<WorkerArg, 'id' | 'events'> & ChildSpecOverrides;

/** A worker's child spec with id `id`, recording into `events`. */
export function worker(id: string, events: string[], options: WorkerOptions = {}): ChildSpec<Worker> & { readonly arg: WorkerArg } {
  const { restart, shutdown, type, significant, ...own } = options;
  const arg: WorkerArg = { id, events, ...own };
  const overrides: ChildSpecOverrides = {
    id,
    ...(restart === undefined ? {} : { restart }),
    ...(shutdown === undefined ? {} : { shutdown }),
    ...(type === undefined ? {} : { type }),
    ...(significant === undefined ? {} : { significant }),
  };
  // `arg` rides along for the tests, not enumerable: a child spec has no such key.
  return Object.defineProperty(childSpec(Worker, arg, overrides), 'arg', { value: arg, enumerable: false }) as ChildSpec<Worker> & { readonly arg: WorkerArg };
}

/** The children of a supervisor as id -> ref (or `'restarting'` / undefined). */
export async function refs(sup: ActorRef<SupervisorProtocol>): Promise<Record<string, ChildEntry['ref']>> {
  const out: Record<string, ChildEntry['ref']> = {};
  for (const c of await Supervisor.whichChildren(sup)) out[c.id] = c.ref;
  return out;
}

/** The running actor of child `id` (throws if it has none). */
export async function refOf(sup: ActorRef<SupervisorProtocol>, id: string): Promise<ActorRef<WorkerProtocol>> {
  const r = (await refs(sup))[id];
  if (r === undefined || r === 'restarting') throw new Error(`child ${id} has no running actor (${String(r)})`);
  return r as ActorRef<WorkerProtocol>;
}

/** Polls an async condition until it holds or `ms` pass; returns whether it held. */
export async function until(cond: () => boolean | Promise<boolean>, ms = 5000): Promise<boolean> {
  const end = Date.now() + ms;
  while (Date.now() < end) {
    if (await cond()) return true;
    await sleep(2);
  }
  return cond();
}

/** Waits until child `id` runs under a different actor than `old`; returns the new one. */
export async function restarted(sup: ActorRef<SupervisorProtocol>, id: string, old: ActorRef): Promise<ActorRef<WorkerProtocol>> {
  let now: ChildEntry['ref'];
  const ok = await until(async () => {
    now = (await refs(sup))[id];
    return now !== undefined && now !== 'restarting' && now !== old;
  });
  if (!ok) throw new Error(`child ${id} was not restarted (now ${String(now)})`);
  return now as ActorRef<WorkerProtocol>;
}

/** Makes child `id` exit with `reason` (a cast to itself to stop; `'kill'` is sent as an exit signal). */
export async function exitChild(system: ActorSystem, sup: ActorRef<SupervisorProtocol>, id: string, reason: ExitReason): Promise<ActorRef<WorkerProtocol>> {
  const ref = await refOf(sup, id);
  if (reason === 'kill') system.exit(ref, 'kill');
  else system.cast(ref, { type: 'exit', reason });
  return ref;
}

/** Resolves with the reason `ref` exits with (also for one already dead). */
export { exitReasonOf as exitOf } from '@arbor/test-support';

/** Only the events of one kind (`start`, `stop`, ...). */
export function only(events: readonly string[], kind: string): string[] {
  return events.filter((e) => e.startsWith(`${kind} `));
}
