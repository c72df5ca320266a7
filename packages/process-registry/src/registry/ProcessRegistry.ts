import { resolve } from 'node:path';
import { nanoid } from 'nanoid';
import {
  ActorSystem,
  childSpec,
  GenServer,
  formatReason,
  InvalidOptionError,
  isNormalExit,
  noReply,
  type ActorRef,
  type AnyReplyOf,
  type ChildSpec,
  type ChildSpecOverrides,
  type SpawnOptions,
  type ExitReason,
  type From,
  type NoReply,
  type SystemInfo,
} from '@arbor/core';
import { findMarkedProcesses, isDeadState, OWNER_PID_ENV, OWNER_START_TIME_ENV, processStatus, procSupported, readProcessStat, REGISTRY_PATH_ENV, RUN_ID_ENV } from '../proc/procfs.js';
import { terminateProcesses, type KillTarget } from '../proc/terminate.js';
import { RegistryStore } from '../store/RegistryStore.js';
import type { OwnerIdentity, WorkerEntry } from '../store/WorkerEntry.js';
import type { OrphanCleanupReport } from './cleanupReport.js';
import { cleanupOrphans } from './orphanCleanup.js';
import { liveRunsHere, ownerIdentity, suspendRun, takeSuspendedRun } from './owner.js';
import { resolveRegistryOptions, type ProcessRegistryOptions, type ResolvedRegistryOptions } from './ProcessRegistryOptions.js';
import { ProcessRegistryHandle } from './ProcessRegistryHandle.js';
import type { CleanupDeadResult, DebugEntry, InvalidArgumentReply, ProcessRegistryProtocol, RegistryStats, UnregisterResult, WorkerInfo } from './protocol.js';
import { activateProblem, workerIdProblem } from './validate.js';

type Req = ProcessRegistryProtocol['call'];
/** What the registry holds per worker: its stored entry and, once activated, its actor. */
type WorkerRecord = { entry: WorkerEntry; actor: ActorRef | undefined };

/**
 * The registry of external OS worker processes (on LMDB, after Snakepit's ProcessRegistry: https://hex.pm/packages/snakepit): a
 * GenServer, so a supervisor can run it (`childSpec(ProcessRegistry, options)`). Each start
 * is a new run (a nanoid). `reserveWorker` is committed before the caller spawns,
 * `activateWorker` before the worker counts as ready, and `unregisterWorker` keeps the
 * entry, marked terminating, while the OS process lives. At start, in the background, it
 * stops the workers of runs whose owning Node process is gone, never a process whose
 * start time differs from the recorded one, never the workers of a live application
 * sharing the file. On an orderly stop (terminate reason `normal`, `shutdown` or
 * `{ shutdown: _ }`), this run's workers get SIGTERM, then SIGKILL; on a crash (any other
 * reason, or a kill) they keep running, the file keeps the run's records, and the next
 * registry started on the same file in this process (its supervisor's restart) resumes the
 * run: same run id, same records. Talk to it through a {@link ProcessRegistryHandle}.
 *
 * @example
 * const registry = await ProcessRegistry.start(system, { application: 'billing' });
 * await registry.reserveWorker('w1');
 * const child = spawn('python3', ['worker.py'], { detached: true, env: { ...process.env, ...registry.markers('w1') } });
 * await registry.activateWorker('w1', workerActor, child.pid!, 'python:v1');
 */
export class ProcessRegistry extends GenServer<ProcessRegistryProtocol, undefined, ProcessRegistryOptions | undefined> {
  #options!: ResolvedRegistryOptions;
  #store!: RegistryStore;
  #runId = '';
  #owner!: OwnerIdentity;
  readonly #workers = new Map<string, WorkerRecord>();
  /** The records not `active` (reserved or terminating): all the sweep has to look at. */
  readonly #pending = new Set<WorkerRecord>();
  #startup: Promise<OrphanCleanupReport | undefined> = Promise.resolve(undefined);
  #cleanupChain: Promise<unknown> = Promise.resolve();
  #sweepArmed = false;
  /** The commit promise of the latest write, and the `from`, reply pairs waiting on it (see #commit). */
  #committing: Promise<boolean> | undefined;
  #waiting: unknown[] = [];
  #failed = false;
  /** The absolute path of the file: crashed runs are resumed by the next registry on it. */
  #absPath = '';

  override async init(options: ProcessRegistryOptions | undefined): Promise<void> {
    const o = resolveRegistryOptions(options);
    this.#options = o;
    this.trapExit(true); // so terminate runs on a supervisor's shutdown
    if (o.name !== undefined) this.system.register(o.name, this.self);
    this.#store = await RegistryStore.open(o.path, this.logger, o.verifyOnOpen);
    const absPath = (this.#absPath = resolve(o.path));
    const resumed = takeSuspendedRun(absPath);
    const runId = resumed ?? nanoid();
    this.#runId = runId;
    this.#owner = ownerIdentity(runId);
    liveRunsHere.add(runId);
    // On a crash or a kill (terminate may not run) the run is suspended, not dropped: its
    // workers keep running and the next registry on this file here resumes it. An orderly
    // stop has removed the run's workers and records by then.
    this.system.monitor(this.self, ({ reason }) => {
      if (isNormalExit(reason)) liveRunsHere.delete(runId);
      else suspendRun(absPath, runId);
    });
    if (resumed !== undefined) this.#resume();
    if (!procSupported) {
      this.logger.warn('process registry: no /proc on this OS; orphans are dropped from the store but never signalled', {
        report: 'process_registry_unsupported_os',
        platform: process.platform,
      });
    }
    // Deferred past init (see #runCleanup): the registry serves calls while it runs.
    if (o.cleanupOnStart) this.#startup = this.#runCleanup('startup');
    this.logger.debug('process registry started', { report: 'process_registry_started', actor: this.self.id, runId, path: o.path });
  }

  override handleCall(req: Req, from: From<any>): AnyReplyOf<ProcessRegistryProtocol> | NoReply {
    switch (req.type) {
      case 'reserve_worker': {
        // Defensive (the handle checks first): a raw call must not crash the registry.
        const problem = workerIdProblem(req.workerId);
        if (problem !== undefined) return invalidArgument('reserve_worker', 'workerId', problem, req.workerId);
        const existing = this.#workers.get(req.workerId);
        if (existing !== undefined) return { status: 'worker_id_taken', worker: info(existing) };
        const entry: WorkerEntry = {
          workerId: req.workerId,
          runId: this.#runId,
          status: 'reserved',
          owner: this.#owner,
          actorId: null,
          osPid: null,
          startTime: null,
          pgid: null,
          fingerprint: null,
          reservedAt: Date.now(),
          activatedAt: null,
          terminatingSince: null,
        };
        const rec: WorkerRecord = { entry, actor: undefined };
        this.#workers.set(req.workerId, rec);
        this.#pending.add(rec);
        this.#armSweep();
        return this.#commit(entry, from, { status: 'reserved', worker: info(rec) });
      }
      case 'activate_worker': {
        const problem = activateProblem(req);
        if (problem !== undefined) return invalidArgument('activate_worker', problem[0], problem[1], (req as unknown as { [k: string]: unknown })[problem[0]]);
        const rec = this.#workers.get(req.workerId);
        if (rec === undefined) return { status: 'not_found' };
        if (rec.entry.status !== 'reserved') return { status: 'not_reserved', worker: info(rec) };
        const stat = readProcessStat(req.osPid);
        if (procSupported && (stat === undefined || isDeadState(stat.state))) return { status: 'process_not_running' };
        const e = rec.entry;
        rec.actor = req.actor;
        // A literal, not a spread of the reservation: every field of WorkerEntry is required, so the compiler checks it is complete.
        this.#setEntry(rec, {
          workerId: e.workerId,
          runId: e.runId,
          status: 'active',
          owner: e.owner,
          actorId: req.actor?.id ?? null,
          osPid: req.osPid,
          startTime: stat?.startTime ?? null,
          pgid: stat?.pgid ?? null,
          fingerprint: req.fingerprint,
          reservedAt: e.reservedAt,
          activatedAt: Date.now(),
          terminatingSince: null,
        });
        return this.#commit(rec.entry, from, { status: 'active', worker: info(rec) });
      }
      case 'unregister_worker':
        return this.#unregister(req.workerId, from);
      case 'is_registered':
        return this.#workers.has(req.workerId);
      case 'get_worker_info': {
        const rec = this.#workers.get(req.workerId);
        return rec === undefined ? undefined : info(rec);
      }
      case 'list_all_workers':
        return [...this.#workers.values()].map(info);
      case 'get_workers_by_fingerprint':
        return [...this.#workers.values()].filter((r) => r.entry.fingerprint === req.fingerprint).map(info);
      case 'get_active_process_pids':
        return this.#pids((r) => r.entry.status === 'active');
      case 'get_all_process_pids':
        return this.#pids(() => true);
      case 'validate_workers':
        return this.#deadActors().map(info);
      case 'cleanup_dead_workers':
        return this.#cleanupDead(from);
      case 'get_stats':
        return this.#stats();
      case 'size':
        return this.#store.count();
      case 'debug_entries': {
        const all: DebugEntry[] = [];
        for (const { entry } of this.#store.records()) if (entry !== undefined) all.push({ ...entry, currentRun: entry.runId === this.#runId });
        return all;
      }
      case 'manual_orphan_cleanup':
        this.#replyWhen(from, this.#runCleanup('manual'));
        return noReply;
      case 'startup_cleanup':
        this.#replyWhen(from, this.#startup);
        return noReply;
      case 'get_run_id':
        return this.#runId;
      case 'get_markers':
        return {
          [RUN_ID_ENV]: this.#runId,
          [OWNER_PID_ENV]: String(this.#owner.pid),
          [OWNER_START_TIME_ENV]: this.#owner.startTime === null ? '' : String(this.#owner.startTime),
          [REGISTRY_PATH_ENV]: this.#store.markerPath,
        };
    }
  }

  override handleCast(msg: ProcessRegistryProtocol['cast']): void {
    // A failed LMDB write: crash, so the supervisor restarts the registry, which resumes the run.
    throw msg.error instanceof Error ? msg.error : new Error(`process registry store write failed: ${String(msg.error)}`);
  }

  override async handleInfo(msg: ProcessRegistryProtocol['info'] | SystemInfo): Promise<void> {
    if (msg.type === 'sweep') {
      this.#sweepArmed = false;
      await this.#sweep();
      this.#armSweep();
    } else if (msg.type !== 'EXIT') super.handleInfo(msg);
    // EXIT from a linked actor: trapped only so that terminate runs; nothing to do.
  }

  /**
   * An orderly stop (`normal`, `shutdown`, `{ shutdown: _ }`: `system.stop`, `system.shutdown`,
   * a supervisor stopping its children) stops this run's workers and removes its records.
   * Any other reason is a crash: the workers keep running and the records stay, for the
   * registry that resumes the run (see docs/process-registry.md, "Crash or orderly stop").
   */
  override async terminate(reason: ExitReason): Promise<void> {
    if (this.#store === undefined) return;
    if (!isNormalExit(reason)) return this.#crashed(reason);
    const runId = this.#runId;
    const targets: KillTarget[] = [];
    for (const { entry } of this.#workers.values()) {
      if (entry.osPid !== null) targets.push({ pid: entry.osPid, startTime: entry.startTime, pgid: entry.pgid, runId, workerId: entry.workerId });
    }
    const known = new Set(targets.map((t) => t.pid));
    for (const p of findMarkedProcesses(new Set([runId]))) {
      if (!known.has(p.pid)) targets.push({ pid: p.pid, startTime: p.startTime, pgid: p.pgid === p.pid ? p.pid : null, runId, workerId: p.markers.workerId ?? null });
    }
    const outcomes = await terminateProcesses(targets, { graceMs: this.#options.shutdownGraceMs });
    const survivors = new Set(targets.filter((_, i) => outcomes[i] === 'survived').map((t) => t.pid));
    const keys = [...this.#workers.values()].filter((r) => r.entry.osPid === null || !survivors.has(r.entry.osPid)).map((r) => [runId, r.entry.workerId] as [string, string]);
    await this.#cleanupChain.catch(() => undefined);
    try {
      await this.#store.removeAll(keys);
    } catch {
      // the next start of any registry on this file cleans this run up
    }
    liveRunsHere.delete(runId);
    await this.#store.close();
    this.logger.debug('process registry stopped', {
      report: 'process_registry_stopped',
      runId,
      workers: targets.length,
      survivors: survivors.size,
      reason: formatReason(reason),
    });
  }

  /**
   * Spawns a registry and resolves with its handle. Rejects like `spawn`: `InitError`
   * wrapping `InvalidOptionError` (bad options) or `StoreUnavailableError`.
   *
   * @example
   * const registry = await ProcessRegistry.start(system, { path: join(dir, 'registry.mdb') });
   */
  static async start(system: ActorSystem, options?: ProcessRegistryOptions, spawnOptions?: SpawnOptions): Promise<ProcessRegistryHandle> {
    if (!(system instanceof ActorSystem)) throw new InvalidOptionError('ProcessRegistry.start: system', 'an ActorSystem (createSystem())', system);
    return new ProcessRegistryHandle(await system.spawn(ProcessRegistry, options, spawnOptions));
  }

  /**
   * The child spec of a registry in a supervision tree (id `ProcessRegistry`); what
   * `childSpec(ProcessRegistry, options)` gives too. Name it in `overrides.options` to
   * find it again with `ProcessRegistry.of(system.whereis(name)!)`.
   *
   * @example
   * await Supervisor.start(system, { strategy: 'one_for_one', children: [ProcessRegistry.childSpec({ application: 'billing' }, { options: { name: 'process-registry' } })] });
   * const registry = ProcessRegistry.of(system.whereis<ProcessRegistryProtocol>('process-registry')!);
   */
  static childSpec(options?: ProcessRegistryOptions, overrides?: ChildSpecOverrides<ProcessRegistry>): ChildSpec<ProcessRegistry> {
    // core's childSpec asks this method for the base spec (one argument), then applies the overrides.
    if (overrides !== undefined) return childSpec(ProcessRegistry, options, overrides);
    return { id: 'ProcessRegistry', start: { behaviour: ProcessRegistry, arg: options } };
  }

  /**
   * The handle of a registry from its ref (what a supervisor's `whichChildren` or
   * `system.whereis(name)` gives).
   *
   * @example
   * const registry = ProcessRegistry.of(system.whereis<ProcessRegistryProtocol>('process-registry')!);
   */
  static of(ref: ActorRef<ProcessRegistryProtocol>): ProcessRegistryHandle {
    return new ProcessRegistryHandle(ref);
  }

  // ------------------------------------------------------------------ internals

  /**
   * Takes a crashed run's records back from the file: reservations and terminating entries
   * (the sweep resolves them), active workers whose process still runs (their actor found
   * again by id). A recorded process that exited while the registry was down is dropped.
   */
  #resume(): void {
    const actors = new Map<string, ActorRef>();
    for (const ref of this.system.actors()) actors.set(ref.id, ref);
    let dropped = 0;
    for (const entry of this.#store.runEntries(this.#runId)) {
      const status = entry.osPid === null ? 'unknown' : processStatus(entry.osPid, entry.startTime);
      if (status !== 'running' && status !== 'unknown') {
        dropped++;
        void this.#store.remove(entry.runId, entry.workerId).catch((error: unknown) => this.#storeFailed(error));
        continue;
      }
      const rec: WorkerRecord = { entry, actor: entry.actorId === null ? undefined : actors.get(entry.actorId) };
      this.#workers.set(entry.workerId, rec);
      if (entry.status !== 'active') this.#pending.add(rec);
    }
    this.#armSweep();
    this.logger.info('process registry resumed its run after a crash', {
      report: 'process_registry_resumed',
      runId: this.#runId,
      workers: this.#workers.size,
      dropped,
    });
  }

  /** The crash path of terminate: signal nothing, keep the records; wait for the writes in flight so the file holds what the replies promised. */
  async #crashed(reason: ExitReason): Promise<void> {
    await this.#committing?.catch(() => undefined);
    this.logger.warn('process registry crashed: its workers keep running and the next registry on this file resumes the run', {
      report: 'process_registry_crashed',
      runId: this.#runId,
      workers: this.#workers.size,
      path: this.#absPath,
      reason: formatReason(reason),
    });
  }

  /**
   * Writes `entry`, sends `reply` (the outcome as of this call) once it is committed: the
   * happens-before of reserve and activate. lmdb-js gives every put of one batched
   * transaction the same promise, so the replies waiting on one promise share one reaction
   * (not a promise and two closures per write). Correct whatever promises `put` returns:
   * a different one starts a new group, and a group is closed before it is drained.
   */
  #commit(entry: WorkerEntry, from: From<any>, reply: unknown): NoReply {
    const committed = this.#store.put(entry);
    if (committed !== this.#committing) {
      this.#committing = committed;
      const waiting: unknown[] = (this.#waiting = []);
      committed.then(
        () => {
          if (this.#committing === committed) this.#committing = undefined;
          for (let i = 0; i < waiting.length; i += 2) this.reply(waiting[i] as From<any>, waiting[i + 1]);
        },
        (error: unknown) => {
          if (this.#committing === committed) this.#committing = undefined;
          this.#writeFailed(error, waiting);
        },
      );
    }
    this.#waiting.push(from, reply);
    return noReply;
  }

  /** Replaces a record's entry, keeping {@link #pending} in step with its status. */
  #setEntry(rec: WorkerRecord, entry: WorkerEntry): void {
    rec.entry = entry;
    if (entry.status === 'active') this.#pending.delete(rec);
    else this.#pending.add(rec);
  }

  /** Removes a record; the promise rejects if the write fails (and the registry then crashes, see {@link #storeFailed}). */
  #remove(workerId: string): Promise<unknown> {
    const rec = this.#workers.get(workerId);
    if (rec !== undefined) this.#pending.delete(rec);
    this.#workers.delete(workerId);
    const removed = this.#store.remove(this.#runId, workerId);
    removed.catch((error: unknown) => this.#storeFailed(error));
    return removed;
  }

  /** A write failed: crash (once), so the supervisor restarts the registry with a fresh run. */
  #storeFailed(error: unknown): void {
    if (this.#failed) return;
    this.#failed = true;
    void this.#store.writeFailure(error).then((typed) => this.cast(this.self, { type: 'store_failed', error: typed }));
  }

  /** A commit failed: the callers waiting on it (`from`, reply pairs) get the typed error as their reply (the handle rejects with it), then the registry crashes. */
  #writeFailed(error: unknown, waiting: readonly unknown[]): void {
    void this.#store.writeFailure(error).then((typed) => {
      for (let i = 0; i < waiting.length; i += 2) this.reply(waiting[i] as From<any>, typed);
      this.#storeFailed(typed);
    });
  }

  #replyWhen<T>(from: From<any>, p: Promise<T>): void {
    p.then(
      (v) => this.reply(from, v),
      (error: unknown) => this.#writeFailed(error, [from, undefined]),
    );
  }

  #unregister(workerId: string, from: From<any>): UnregisterResult | NoReply {
    const rec = this.#workers.get(workerId);
    if (rec === undefined) return { status: 'not_found' };
    const e = rec.entry;
    if (e.osPid !== null && processStatus(e.osPid, e.startTime) === 'running') {
      if (e.status === 'terminating') return { status: 'terminating' };
      this.#setEntry(rec, { ...e, status: 'terminating', terminatingSince: Date.now() });
      this.#armSweep();
      return this.#commit(rec.entry, from, { status: 'terminating' });
    }
    this.#replyWhen(from, this.#remove(workerId).then(() => ({ status: 'removed' })));
    return noReply;
  }

  #pids(pick: (r: WorkerRecord) => boolean): number[] {
    const pids: number[] = [];
    for (const r of this.#workers.values()) if (r.entry.osPid !== null && pick(r)) pids.push(r.entry.osPid);
    return pids;
  }

  #deadActors(): WorkerRecord[] {
    return [...this.#workers.values()].filter((r) => r.actor !== undefined && !this.system.isAlive(r.actor));
  }

  #cleanupDead(from: From<any>): NoReply {
    const removed: string[] = [];
    const terminating: string[] = [];
    const writes: Promise<unknown>[] = [];
    for (const rec of this.#deadActors()) {
      const e = rec.entry;
      if (e.osPid !== null && processStatus(e.osPid, e.startTime) === 'running') {
        terminating.push(e.workerId);
        if (e.status !== 'terminating') {
          this.#setEntry(rec, { ...e, status: 'terminating', terminatingSince: Date.now() });
          writes.push(this.#store.put(rec.entry));
        }
      } else {
        removed.push(e.workerId);
        writes.push(this.#remove(e.workerId));
      }
    }
    if (terminating.length > 0) this.#armSweep();
    const result: CleanupDeadResult = { removed, terminating };
    this.#replyWhen(from, Promise.all(writes).then(() => result));
    return noReply;
  }

  #stats(): RegistryStats {
    let reserved = 0;
    let active = 0;
    let terminating = 0;
    let alive = 0;
    let dead = 0;
    for (const { entry: e } of this.#workers.values()) {
      if (e.status === 'reserved') reserved++;
      else if (e.status === 'active') active++;
      else terminating++;
      if (e.osPid === null) continue;
      const s = processStatus(e.osPid, e.startTime);
      if (s === 'running' || s === 'unknown') alive++;
      else dead++;
    }
    return {
      runId: this.#runId,
      path: this.#options.path,
      total: this.#workers.size,
      reserved,
      active,
      terminating,
      alive,
      dead,
      activeProcessPids: this.#pids((r) => r.entry.status === 'active'),
      storedEntries: this.#store.count(),
    };
  }

  /** Runs one orphan cleanup after any in flight, from a later turn of the event loop. A failure (the store) crashes the registry. */
  #runCleanup(kind: 'startup' | 'manual'): Promise<OrphanCleanupReport> {
    const run = this.#cleanupChain
      .catch(() => undefined)
      .then(() => new Promise<void>((r) => setImmediate(r)))
      .then(() => cleanupOrphans(this.#store, this.#runId, { graceMs: this.#options.shutdownGraceMs }))
      .then((report) => {
        const outcomes = [...report.orphans, ...report.markedProcesses].map((o) => o.outcome);
        const groupsNotOurs = outcomes.filter((o) => o === 'group_not_ours').length;
        const level = groupsNotOurs > 0 ? 'warn' : outcomes.length > 0 ? 'info' : 'debug';
        this.logger.log(level, 'process registry orphan cleanup', {
          report: 'process_registry_orphan_cleanup',
          kind,
          runId: report.runId,
          orphanRuns: report.orphanRuns.length,
          orphans: report.orphans.length,
          markedProcesses: report.markedProcesses.length,
          // Left alone: a stranger holds the pid (pid_reused) or is in the group (group_not_ours).
          strangers: outcomes.filter((o) => o === 'pid_reused').length + groupsNotOurs,
          groupsNotOurs,
          removed: report.removed,
          kept: report.kept,
          durationMs: Math.round(report.durationMs),
        });
        return report;
      });
    this.#cleanupChain = run;
    run.catch((error: unknown) => this.#storeFailed(error)); // even when no one asked for the report
    return run;
  }

  #armSweep(): void {
    if (this.#sweepArmed || this.#pending.size === 0) return;
    this.#sweepArmed = true;
    this.sendAfter({ type: 'sweep' }, this.#options.sweepIntervalMs);
  }

  /**
   * Removes terminating entries whose process has exited, and resolves this run's stale
   * reservations: a process spawned for one (found by its markers) becomes the entry's
   * process, marked terminating and stopped; without one, the entry goes.
   */
  async #sweep(): Promise<void> {
    const now = Date.now();
    const stale: WorkerRecord[] = [];
    for (const rec of [...this.#pending]) {
      const e = rec.entry;
      if (e.status === 'terminating' && (e.osPid === null || processStatus(e.osPid, e.startTime) !== 'running')) void this.#remove(e.workerId);
      else if (e.status === 'reserved' && now - e.reservedAt > this.#options.reservationTimeoutMs) stale.push(rec);
    }
    if (stale.length === 0) return;
    const marked = findMarkedProcesses(new Set([this.#runId]));
    const targets: KillTarget[] = [];
    for (const rec of stale) {
      const p = marked.find((m) => m.markers.workerId === rec.entry.workerId && m.pgid === m.pid) ?? marked.find((m) => m.markers.workerId === rec.entry.workerId);
      if (p === undefined) {
        // No process yet: a spawn may still be under way. Forget the reservation only at twice the bound.
        if (now - rec.entry.reservedAt > 2 * this.#options.reservationTimeoutMs) void this.#remove(rec.entry.workerId);
        continue;
      }
      this.#setEntry(rec, { ...rec.entry, status: 'terminating', osPid: p.pid, startTime: p.startTime, pgid: p.pgid, terminatingSince: now });
      void this.#store.put(rec.entry).catch((error: unknown) => this.#storeFailed(error));
      targets.push({ pid: p.pid, startTime: p.startTime, pgid: p.pgid === p.pid ? p.pid : null, runId: this.#runId, workerId: rec.entry.workerId });
    }
    if (targets.length === 0) return;
    this.logger.warn('process registry: stale reservations resolved', { report: 'process_registry_stale_reservations', runId: this.#runId, pids: targets.map((x) => x.pid) });
    // Not awaited: the registry keeps serving; the next sweeps remove the entries once the processes are gone.
    void terminateProcesses(targets, { graceMs: this.#options.shutdownGraceMs });
  }
}

function invalidArgument(request: string, field: string, expected: string, value: unknown): InvalidArgumentReply {
  return { status: 'invalid_argument', error: new InvalidOptionError(`ProcessRegistry ${request}: ${field}`, expected, typeof value === 'string' && value.length > 60 ? `${value.slice(0, 40)}… (${value.length} characters)` : value) };
}

/** A fresh copy per reply (callers own it). A literal rather than a spread: one allocation of a fixed shape, and the compiler checks every field is there. */
function info(rec: WorkerRecord): WorkerInfo {
  const e = rec.entry;
  return {
    workerId: e.workerId,
    runId: e.runId,
    status: e.status,
    owner: e.owner,
    actorId: e.actorId,
    osPid: e.osPid,
    startTime: e.startTime,
    pgid: e.pgid,
    fingerprint: e.fingerprint,
    reservedAt: e.reservedAt,
    activatedAt: e.activatedAt,
    terminatingSince: e.terminatingSince,
    actor: rec.actor,
  };
}
