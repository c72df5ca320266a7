import {
  DynamicSupervisor,
  formatReason,
  GenServer,
  isNormalExit,
  type ActorRef,
  type ActorSystem,
  type Call,
  type ChildSpec,
  type DynamicSupervisorProtocol,
  type MonitorRef,
  type RegistryHandle,
  type StatusDetails,
  type SystemInfo,
} from '@arbor/core';
import { workerOf, workerSpec, type WorkerProfile } from '@arbor/worker-profiles';
import { workersKey } from '../pools/keys.js';
import { taintTableOf } from './CrashBarrier.js';
import { JobPoolCore, type JobPoolStatus, type JobSlot } from './JobPoolCore.js';
import type { ResolvedJobPoolOptions } from './JobPoolOptions.js';

/** Job pool cores by system and pool name: the handles' fast path. @internal */
const cores = new WeakMap<ActorSystem, Map<string, JobPoolCore>>();

/** The core of the job pool named `name` in `system`, while its manager runs. @internal */
export function coreOf(system: ActorSystem, name: string): JobPoolCore | undefined {
  return cores.get(system)?.get(name);
}

/** The manager actor of the job pool named `name` in `system`, while it takes jobs. @internal */
export function managerOf(system: ActorSystem, name: string): ActorRef<JobPoolManagerProtocol> | undefined {
  return coreOf(system, name)?.manager as ActorRef<JobPoolManagerProtocol> | undefined;
}

/** The job pool manager's protocol (its `status` call; the rest is the pool's own). */
export interface JobPoolManagerProtocol {
  call: Call<'status', JobPoolStatus> | Call<'initial_starts', { readonly ok: true } | { readonly ok: false; readonly error: unknown }>;
  info:
    | { readonly type: 'started'; readonly heapClass: number | undefined; readonly ok: true; readonly ref: ActorRef }
    | { readonly type: 'started'; readonly heapClass: number | undefined; readonly ok: false; readonly error: unknown }
    | { readonly type: 'idle_check' }
    | { readonly type: 'backoff_over' };
}

/** The manager's start argument. @internal */
export interface JobPoolManagerArg {
  readonly options: ResolvedJobPoolOptions;
  readonly registry: RegistryHandle<string, unknown, any>;
  /** The pools tree's name: its table owner keeps the crash barrier's taints across pool restarts. */
  readonly tree?: string | undefined;
}

/**
 * The actor that owns a job pool: its `JobPoolCore` (admission, routing, queues), the
 * workers it starts through the pool's worker supervisor (temporary children it
 * monitors), their replacement with back-off, idle stops above `minWorkers`, and the end of
 * every job when it stops (even killed: it monitors itself). One per job pool, under its
 * pool supervisor; reach it through `JobPool`.
 *
 * @example
 * const pool = await JobPool.start(system, { name: 'thumbs', profile });
 */
export class JobPoolManager extends GenServer<JobPoolManagerProtocol, undefined, JobPoolManagerArg> {
  #o!: ResolvedJobPoolOptions;
  #core!: JobPoolCore;
  #workerSup!: ActorRef<DynamicSupervisorProtocol>;
  readonly #monitors = new Map<MonitorRef, JobSlot>();
  readonly #specs = new Map<string, ChildSpec>();
  #initialError: unknown;
  #failures = 0;
  #backoff = false;
  #pending: (number | undefined)[] = [];
  /** When recent unexpected worker exits happened, and the back-off steps of the current storm. */
  readonly #crashes: number[] = [];
  #storms = 0;

  override async init({ options, registry, tree }: JobPoolManagerArg): Promise<void> {
    this.#o = options;
    const sup = registry.whereis(workersKey(options.name));
    if (sup === undefined) throw new Error(`job pool ${JSON.stringify(options.name)}: its worker supervisor is not running`);
    this.#workerSup = sup as ActorRef<DynamicSupervisorProtocol>;
    const system = this.system;
    const core = new JobPoolCore(options, {
      startWorker: (heapClass) => this.#startWorker(heapClass),
      stopWorker: (slot) => void DynamicSupervisor.terminateChild(this.#workerSup, slot.ref).catch(() => this.exit(slot.ref, 'kill')),
      parent: (name) => coreOf(system, name),
      ...(tree !== undefined && options.crashBarrier !== undefined ? { taintTable: taintTableOf(system, tree) } : {}),
    });
    this.#core = core;
    core.manager = this.self;
    // Every job ends when the manager does, a kill included (terminate does not run then).
    this.system.monitor(this.self, () => {
      core.stop();
      if (cores.get(system)?.get(options.name) === core) cores.get(system)!.delete(options.name);
    });
    // The first workers start here, one at a time (the worker supervisor starts its children in turn).
    for (let i = 0; i < options.minWorkers && options.profile !== undefined; i++) {
      const r = await DynamicSupervisor.startChild(this.#workerSup, this.#spec(undefined)).catch((error: unknown) => ({ status: 'error' as const, reason: error }));
      if (r.status === 'ok') this.#adopt(r.ref, undefined);
      else {
        this.#initialError ??= r.status === 'error' ? r.reason : new Error('a worker ignored its start');
        break;
      }
    }
    let map = cores.get(system);
    if (map === undefined) cores.set(system, (map = new Map()));
    map.set(options.name, core);
    this.sendAfter({ type: 'idle_check' }, Math.min(1_000, options.idleTimeoutMs));
  }

  override handleCall(req: JobPoolManagerProtocol['call']): JobPoolStatus | { ok: true } | { ok: false; error: unknown } {
    if (req.type === 'initial_starts') return this.#initialError === undefined ? { ok: true } : { ok: false, error: this.#initialError };
    return this.#core.status();
  }

  override handleInfo(msg: JobPoolManagerProtocol['info'] | SystemInfo): void {
    switch (msg.type) {
      case 'DOWN': {
        const slot = this.#monitors.get(msg.ref);
        if (slot === undefined) return;
        this.#monitors.delete(msg.ref);
        this.#core.removeSlot(slot.ref);
        if (!isNormalExit(msg.reason)) {
          this.logger.warn('job pool worker exited; a replacement starts if the pool needs one', {
            report: 'jobpool_worker_down', pool: this.#o.name, worker: slot.ref.id, slot: slot.slotId, reason: formatReason(msg.reason),
          });
          this.#crashed(msg.reason);
        }
        this.#core.ensureMin();
        return;
      }
      case 'started':
        if (msg.ok) {
          this.#failures = 0;
          this.#adopt(msg.ref, msg.heapClass);
        } else {
          this.#failures++;
          this.logger.error('job pool worker failed to start; the pool backs off', {
            report: 'jobpool_worker_start_failed', pool: this.#o.name, failures: this.#failures, reason: formatReason(msg.error),
          });
          this.#core.startFailed(msg.heapClass, msg.error);
          if (!this.#backoff) {
            this.#backoff = true;
            this.sendAfter({ type: 'backoff_over' }, Math.min(5_000, 100 * 2 ** Math.min(this.#failures - 1, 10)));
          }
        }
        return;
      case 'backoff_over': {
        this.#backoff = false;
        const pending = this.#pending;
        this.#pending = [];
        for (const heapClass of pending) this.#startWorker(heapClass);
        return;
      }
      case 'idle_check': {
        for (const slot of this.#core.idleWorkers(performance.now())) {
          this.#core.removeSlot(slot.ref);
          void DynamicSupervisor.terminateChild(this.#workerSup, slot.ref).catch(() => this.exit(slot.ref, 'kill'));
        }
        this.sendAfter({ type: 'idle_check' }, Math.min(1_000, this.#o.idleTimeoutMs));
        return;
      }
    }
  }

  override formatStatus(): StatusDetails {
    const s = this.#core.status();
    return {
      pool: this.#o.name,
      kind: this.#o.profile?.kind ?? `delegates`,
      workers: s.workers,
      running: s.running,
      queued: s.queued,
      committedBytes: s.committedBytes,
      completed: s.completed,
      failed: s.failed,
      rejected: Object.values(s.rejected).reduce((a, b) => a + b, 0),
      utilisation: Math.round(s.utilisation * 100) / 100,
      runP99Ms: s.runP99Ms,
      waitP99Ms: s.waitP99Ms,
      taints: s.taints,
      retries: s.retries,
    };
  }

  /**
   * Workers that keep dying (a bad deploy, jobs that crash every worker) would be replaced
   * forever: past `max(intensity, maxWorkers)` unexpected exits within `period`, replacements
   * back off as failed starts do (the back-off grows while the storm lasts). The pool itself
   * stays up: escalating to its supervisor would restart it, then use up the pools
   * supervisor's intensity and take the other pools down with it.
   */
  #crashed(reason: unknown): void {
    const now = Date.now();
    const window = this.#crashes;
    while (window.length > 0 && window[0]! <= now - this.#o.period) window.shift();
    if (window.length === 0) this.#storms = 0;
    window.push(now);
    if (window.length <= Math.max(this.#o.intensity, this.#o.maxWorkers) || this.#backoff) return;
    this.#storms++;
    const delay = Math.min(5_000, 100 * 2 ** Math.min(this.#storms - 1, 10));
    this.logger.error('job pool workers keep exiting; replacements back off', {
      report: 'jobpool_worker_crash_storm', pool: this.#o.name, exits: window.length, periodMs: this.#o.period, backoffMs: delay, reason: formatReason(reason),
    });
    this.#backoff = true;
    this.sendAfter({ type: 'backoff_over' }, delay);
  }

  #spec(heapClass: number | undefined): ChildSpec {
    const key = heapClass === undefined ? 'default' : String(heapClass);
    let spec = this.#specs.get(key);
    if (spec === undefined) {
      const base = this.#o.profile! as WorkerProfile<unknown> & { withHeapLimit?(bytes: number): WorkerProfile<unknown> };
      const profile = heapClass === undefined || base.withHeapLimit === undefined ? base : base.withHeapLimit(heapClass);
      const pipeline = Math.max(0, this.#o.capacityPerWorker - profile.capacity);
      spec = workerSpec({ ...this.#o.worker, profile, pipeline, ...(this.#o.recycle !== undefined ? { recycle: this.#o.recycle } : {}) }, { id: `worker:${key}`, restart: 'temporary' });
      this.#specs.set(key, spec);
    }
    return spec;
  }

  #startWorker(heapClass: number | undefined): void {
    if (this.#backoff) {
      this.#pending.push(heapClass);
      return;
    }
    DynamicSupervisor.startChild(this.#workerSup, this.#spec(heapClass)).then(
      (r) => {
        if (r.status === 'ok') this.send(this.self, { type: 'started', heapClass, ok: true, ref: r.ref });
        else this.send(this.self, { type: 'started', heapClass, ok: false, error: r.status === 'error' ? r.reason : new Error('the worker ignored its start') });
      },
      (error: unknown) => this.send(this.self, { type: 'started', heapClass, ok: false, error }),
    );
  }

  #adopt(ref: ActorRef, heapClass: number | undefined): void {
    const slotId = this.#core.freeSlotId(); // a replacement takes the slot of the worker it replaces
    const handle = workerOf<any>(this.system, ref);
    const slot: JobSlot = { ref, handle, slotId, heapClass, capacity: this.#o.capacityPerWorker, load: 0, lastUsed: 0, idleSince: performance.now() };
    this.#monitors.set(this.monitor(ref), slot);
    this.#core.addSlot(slot);
  }
}
