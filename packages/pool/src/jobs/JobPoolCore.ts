import { checkKnownKeys, checkTimeout, InvalidOptionError, type ActorRef } from '@arbor/core';
import { RequestAbortedError, RequestTimeoutError, WorkerExitError, WorkerStoppedError } from '@arbor/worker-profiles';
import { InsufficientMemoryError, JobKilledError, JobPoolStoppedError, JobRejectedError, JobTimeoutError, JobWorkerExitError, NoWorkersError, QueueFullError, QueueTimeoutError } from '../errors/jobErrors.js';
import { CrashBarrier } from './CrashBarrier.js';
import { Histogram } from './Histogram.js';
import { Job, type RunOptions } from './Job.js';
import type { JobPoolHost, JobPoolStatus, JobSlot } from './JobSlot.js';
import type { ResolvedJobPoolOptions } from './JobPoolOptions.js';
import { JobQueue } from './JobQueue.js';
import { isTask, type Task } from './Task.js';

export type { JobPoolHost, JobPoolStatus, JobSlot } from './JobSlot.js';

const RUN_KEYS = ['name', 'timeoutMs', 'maxHeapBytes', 'idempotent', 'signal', 'transfer'];
const NODE_KINDS = new Set(['thread', 'node-process']);
const DEFAULT_CLASS = 'default';

/**
 * The state of one job pool and its fast path: admission (memory budget, worker capacity,
 * the bounded queue, the queue timeout), routing (least-loaded worker with room, ties to the
 * most recently used), the queues per heap class, kills, and delegation to a parent pool.
 * It is owned by the pool's manager actor, which feeds it worker starts and exits; the
 * handle calls it synchronously (like a worker's channel), so a job costs no mailbox hop.
 * @internal
 */
export class JobPoolCore {
  readonly name: string;
  readonly #o: ResolvedJobPoolOptions;
  readonly #host: JobPoolHost;
  readonly #node: boolean;
  readonly #canCap: boolean;
  readonly #slots: JobSlot[] = [];
  readonly #queues = new Map<string, JobQueue<Job>>();
  readonly #byName = new Map<string, Set<Job>>();
  /** Live jobs in admission order, an intrusive list through `Job.prevLive`/`nextLive` (a Set of 100k jobs cost ~10% of a pipelined job in add/delete). */
  #liveHead: Job | undefined;
  #liveTail: Job | undefined;
  #starting = new Map<string, number>();
  #committed = 0;
  #running = 0;
  #tick = 0;
  #stopped = false;
  #queueTimer: NodeJS.Timeout | undefined;
  #queueTimerAt = Infinity;
  readonly #run = new Histogram();
  readonly #wait = new Histogram();
  #completed = 0;
  #failed = 0;
  #killed = 0;
  readonly #rejected: Record<string, number> = {};
  readonly #barrier: CrashBarrier | undefined;

  constructor(options: ResolvedJobPoolOptions, host: JobPoolHost) {
    this.name = options.name;
    this.#o = options;
    this.#host = host;
    this.#node = options.profile !== undefined && NODE_KINDS.has(options.profile.kind);
    this.#canCap = typeof (options.profile as { withHeapLimit?: unknown } | undefined)?.withHeapLimit === 'function';
    if (options.crashBarrier !== undefined) this.#barrier = new CrashBarrier(options.name, options.crashBarrier, () => host.taintTable?.());
  }

  /** The manager actor that owns this core (set by it in its init). */
  manager: ActorRef | undefined;

  get options(): ResolvedJobPoolOptions {
    return this.#o;
  }

  // ---- submitting ----

  /** Admits a job: its `Job` (running or queued), or the rejection. Misuse throws. */
  submit(task: Task, args: readonly unknown[], options: RunOptions | undefined, killable: boolean): Job | JobRejectedError {
    if (!isTask(task)) throw new InvalidOptionError('run: task', 'a task (defineTask(url, name) or taskFromSource(fn))', task);
    if (!Array.isArray(args)) throw new InvalidOptionError('run: args', 'an array of the task\'s arguments', args);
    if (options !== undefined) checkKnownKeys('run', options, RUN_KEYS);
    if (this.#stopped) return this.#reject(new JobPoolStoppedError(this.name));
    const timeoutMs = checkTimeout('run: timeoutMs', options?.timeoutMs ?? Infinity, { integer: true, min: 1 });
    const own = options?.maxHeapBytes;
    if (own !== undefined && !(Number.isSafeInteger(own) && own >= 1)) throw new InvalidOptionError('run: maxHeapBytes', 'an integer number of bytes >= 1', own);
    const name = options?.name;
    if (name !== undefined && typeof name !== 'string') throw new InvalidOptionError('run: name', 'a string', name);
    const signal = options?.signal;
    if (signal !== undefined && !(signal instanceof AbortSignal)) throw new InvalidOptionError('run: signal', 'an AbortSignal', signal);
    const heap = own ?? this.#o.defaultMaxHeapBytes ?? 0;
    const deadline = timeoutMs === Infinity ? Infinity : performance.now() + timeoutMs;
    const job = new Job(task, args, name, deadline, timeoutMs, heap, own !== undefined && this.#canCap ? own : undefined, options?.idempotent === true, options?.transfer);
    job.declaredHeap = own;
    if (killable || name !== undefined || signal !== undefined) job.abort = new AbortController();
    return this.#admit(job, signal);
  }

  /** A tenant's job, admitted here with the tenant's deadline and cap (delegation). */
  submitDelegated(outer: Job): Job | JobRejectedError {
    if (this.#stopped) return this.#reject(new QueueFullError(this.name, 0)); // unreachable in practice: a stopped core is unregistered
    const job = new Job(outer.task, outer.args, outer.name, outer.deadline, outer.timeoutMs, outer.heapBytes, outer.declaredHeap !== undefined && this.#canCap ? outer.declaredHeap : undefined, outer.idempotent, outer.transfer);
    job.declaredHeap = outer.declaredHeap;
    job.abort = new AbortController();
    return this.#admit(job, undefined);
  }

  #admit(job: Job, signal: AbortSignal | undefined): Job | JobRejectedError {
    const o = this.#o;
    if (signal?.aborted === true) {
      // aborted before it was submitted: it is not admitted (nothing committed, no worker sees it)
      job.settled = true;
      job.state = 'settled';
      this.#failed++;
      job.reject(new RequestAbortedError('job', job.label, signal.reason));
      return job;
    }
    // 1. the memory budget
    if (job.heapBytes > 0 && this.#committed + job.heapBytes > o.maxMemoryBytes) {
      return this.#reject(new InsufficientMemoryError(this.name, job.heapBytes, this.#committed, o.maxMemoryBytes));
    }
    // 2. worker capacity (or, delegating, this pool's concurrency)
    const slot = o.profile === undefined ? undefined : this.#route(job.heapClass);
    if (slot === undefined && !(o.profile === undefined && this.#running < o.maxWorkers)) {
      if (o.profile !== undefined) this.#grow(job.heapClass);
      if (o.onFull === 'reject' && !this.#startingFor(job.heapClass)) return this.#reject(new NoWorkersError(this.name, o.maxWorkers));
      // 3. the bounded queue
      const queue = this.#queue(job.heapClass);
      if (queue.size >= o.maxQueue) return this.#reject(new QueueFullError(this.name, o.maxQueue));
      this.#commit(job);
      job.enqueuedAt = performance.now();
      job.state = 'queued';
      queue.push(job);
      // 4. the queue timeout (and the job's own deadline)
      const expires = Math.min(job.enqueuedAt + o.queueTimeoutMs, job.deadline);
      if (expires < this.#queueTimerAt) this.#armQueueTimer(expires);
    } else {
      this.#commit(job);
      job.enqueuedAt = performance.now();
      if (slot !== undefined) this.#start(job, slot);
      else this.#delegate(job);
    }
    if (signal !== undefined && !job.settled) {
      job.signal = signal;
      job.onAbort = () => this.killJob(job, new RequestAbortedError('job', job.label, signal.reason));
      signal.addEventListener('abort', job.onAbort, { once: true });
    }
    return job;
  }

  #commit(job: Job): void {
    this.#committed += job.heapBytes;
    job.prevLive = this.#liveTail;
    if (this.#liveTail === undefined) this.#liveHead = job;
    else this.#liveTail.nextLive = job;
    this.#liveTail = job;
    if (job.name !== undefined) {
      let set = this.#byName.get(job.name);
      if (set === undefined) this.#byName.set(job.name, (set = new Set()));
      set.add(job);
    }
  }

  #reject(error: JobRejectedError): JobRejectedError {
    this.#rejected[error.code] = (this.#rejected[error.code] ?? 0) + 1;
    return error;
  }

  #queue(heapClass: number | undefined): JobQueue<Job> {
    const key = heapClass === undefined ? DEFAULT_CLASS : String(heapClass);
    let q = this.#queues.get(key);
    if (q === undefined) this.#queues.set(key, (q = new JobQueue<Job>()));
    return q;
  }

  // ---- routing and running ----

  /** The least-loaded worker of the class with room (ties: the most recently used); a capped job runs alone. */
  #route(heapClass: number | undefined): JobSlot | undefined {
    let best: JobSlot | undefined;
    // crash barrier: tainted slots only when no untainted one has room (the least recently tainted)
    const barrier = this.#barrier?.any() === true ? this.#barrier : undefined;
    const now = barrier === undefined ? 0 : Date.now();
    let fallback: JobSlot | undefined;
    let fallbackAt = Infinity;
    for (const s of this.#slots) {
      if (s.heapClass !== heapClass || s.load >= (heapClass === undefined ? s.capacity : 1)) continue;
      const taint = barrier?.taintOf(s.slotId, now);
      if (taint !== undefined) {
        if (taint.at < fallbackAt) [fallback, fallbackAt] = [s, taint.at];
        continue;
      }
      if (best === undefined || s.load < best.load || (s.load === best.load && s.lastUsed > best.lastUsed)) best = s;
    }
    return best ?? fallback;
  }

  #startingFor(heapClass: number | undefined): boolean {
    return (this.#starting.get(heapClass === undefined ? DEFAULT_CLASS : String(heapClass)) ?? 0) > 0;
  }

  /** Starts a worker of the class when the pool may (within maxWorkers, one start per class at a time). */
  #grow(heapClass: number | undefined): void {
    const key = heapClass === undefined ? DEFAULT_CLASS : String(heapClass);
    if ((this.#starting.get(key) ?? 0) > 0) return;
    if (this.#slots.length + this.starting >= this.#o.maxWorkers) {
      // make room: an idle worker of another class goes
      const idle = this.#slots.find((s) => s.load === 0 && s.heapClass !== heapClass);
      if (idle === undefined) return;
      this.removeSlot(idle.ref);
      this.#host.stopWorker(idle);
    }
    this.#starting.set(key, (this.#starting.get(key) ?? 0) + 1);
    this.#host.startWorker(heapClass);
  }

  #start(job: Job, slot: JobSlot): void {
    const now = performance.now();
    if (job.deadline <= now) return this.#settle(job, false, new JobTimeoutError(this.name, job.label, job.timeoutMs));
    job.state = 'running';
    job.slot = slot;
    job.attempts++;
    job.startedAt = now;
    this.#wait.record(now - job.enqueuedAt);
    slot.load++;
    slot.lastUsed = ++this.#tick;
    this.#running++;
    const remaining = job.deadline - now;
    const options =
      remaining !== Infinity || job.abort !== undefined || job.transfer !== undefined
        ? { timeoutMs: remaining === Infinity ? undefined : Math.max(1, Math.ceil(remaining)), signal: job.abort?.signal, transfer: job.transfer }
        : undefined;
    slot.handle.request('$task', job.frame(this.#node), options as never).then(
      (value: unknown) => this.#ended(job, slot, true, value),
      (error: unknown) => this.#ended(job, slot, false, error),
    );
  }

  #delegate(job: Job): void {
    const to = typeof this.#o.delegateTo === 'function' ? this.#o.delegateTo({ name: job.name, task: job.label }) : this.#o.delegateTo!;
    const parent = this.#host.parent(to);
    if (parent === undefined) return this.#settle(job, false, new JobPoolStoppedError(to));
    job.state = 'running';
    job.startedAt = performance.now();
    this.#running++;
    const inner = parent.submitDelegated(job);
    if (inner instanceof JobRejectedError) {
      this.#running--;
      return this.#settle(job, false, inner);
    }
    job.slot = { parent, inner };
    inner.promise.then(
      (value) => this.#endedDelegated(job, true, value),
      (error: unknown) => this.#endedDelegated(job, false, error),
    );
  }

  #endedDelegated(job: Job, ok: boolean, value: unknown): void {
    this.#running--;
    this.#settle(job, ok, value);
    this.#pump(undefined);
  }

  #ended(job: Job, slot: JobSlot, ok: boolean, value: unknown): void {
    slot.load--;
    this.#running--;
    if (slot.load === 0) slot.idleSince = performance.now();
    this.#run.record(performance.now() - job.startedAt);
    if (!job.settled) {
      if (ok) this.#settle(job, true, value);
      else if (value instanceof WorkerStoppedError && job.attempts === 1 && !this.#stopped) {
        // the worker was gone before the job reached it: it never ran, so it goes back to the head,
        // and the stopped worker takes no more jobs (else the pump hands it the same job again and
        // again in microtasks, before the manager's DOWN can remove it: the event loop spins)
        this.removeSlot(slot.ref);
        job.state = 'queued';
        job.attempts = 0;
        this.#queue(job.heapClass).unshift(job);
      } else if (!(value instanceof WorkerExitError && this.#crashed(job, slot, value))) this.#settle(job, false, this.#failure(job, value));
    }
    this.#pump(slot.heapClass);
  }

  /** Crash barrier: an exit of `markOn` taints the slot; answers true when the job runs again after the back-off. */
  #crashed(job: Job, slot: JobSlot, error: WorkerExitError): boolean {
    const barrier = this.#barrier;
    if (barrier === undefined) return false;
    if (!barrier.taint(slot.slotId, error.exit)) return false; // not an exit of markOn: the barrier stays out
    const delay = this.#stopped ? undefined : barrier.retryDelay(job);
    if (delay === undefined) return false;
    job.state = 'new';
    job.slot = undefined;
    barrier.schedule(job, delay, () => {
      if (job.settled) return;
      if (this.#stopped) return this.#settle(job, false, new JobKilledError(this.name, job.label, 'pool_stopped'));
      const next = this.#route(job.heapClass);
      if (next !== undefined) return this.#start(job, next);
      // no worker has room: the head of its queue (its wait counts from now)
      job.state = 'queued';
      job.enqueuedAt = performance.now();
      this.#queue(job.heapClass).unshift(job);
      const expires = Math.min(job.enqueuedAt + this.#o.queueTimeoutMs, job.deadline);
      if (expires < this.#queueTimerAt) this.#armQueueTimer(expires);
      this.#grow(job.heapClass);
    });
    return true;
  }

  #failure(job: Job, error: unknown): unknown {
    if (job.killedWith !== undefined) return job.killedWith;
    if (error instanceof RequestTimeoutError) return new JobTimeoutError(this.name, job.label, job.timeoutMs);
    if (error instanceof WorkerExitError) return new JobWorkerExitError(this.name, job.label, error.exit, job.attempts);
    return error; // the task's own error (WorkerTaskError, with its stack), or an abort
  }

  #settle(job: Job, ok: boolean, value: unknown): void {
    if (job.settled) return;
    if (job.state === 'queued') this.#queue(job.heapClass).dropped();
    job.settled = true;
    job.state = 'settled';
    if (job.onAbort !== undefined) job.signal!.removeEventListener('abort', job.onAbort);
    this.#committed -= job.heapBytes;
    const { prevLive, nextLive } = job;
    if (prevLive !== undefined || this.#liveHead === job) {
      if (prevLive === undefined) this.#liveHead = nextLive;
      else prevLive.nextLive = nextLive;
      if (nextLive === undefined) this.#liveTail = prevLive;
      else nextLive.prevLive = prevLive;
      job.prevLive = job.nextLive = undefined;
    }
    if (job.name !== undefined) {
      const set = this.#byName.get(job.name);
      set?.delete(job);
      if (set?.size === 0) this.#byName.delete(job.name);
    }
    if (ok) {
      this.#completed++;
      job.resolve(value);
    } else {
      if (value instanceof JobKilledError) this.#killed++;
      else this.#failed++;
      job.reject(value);
    }
  }

  /** Runs queued jobs on the workers that have room (the class that freed first). */
  #pump(heapClass: number | undefined): void {
    if (this.#o.profile === undefined) {
      const q = this.#queue(undefined);
      while (this.#running < this.#o.maxWorkers) {
        const job = q.shift();
        if (job === undefined) return;
        job.state = 'new';
        this.#delegate(job);
      }
      return;
    }
    for (const key of heapClass === undefined ? this.#queues.keys() : [String(heapClass), ...this.#queues.keys()]) {
      const q = this.#queues.get(key);
      if (q === undefined || q.size === 0) continue;
      const cls = key === DEFAULT_CLASS ? undefined : Number(key);
      for (;;) {
        const slot = this.#route(cls);
        if (slot === undefined) {
          if (q.size > 0) this.#grow(cls);
          break;
        }
        const job = q.shift();
        if (job === undefined) break;
        job.state = 'new';
        this.#start(job, slot);
      }
    }
  }

  // ---- the queue timeout ----

  #armQueueTimer(at: number): void {
    if (this.#queueTimer !== undefined) clearTimeout(this.#queueTimer);
    this.#queueTimerAt = at;
    this.#queueTimer = setTimeout(() => this.#expireQueued(), Math.max(0, Math.ceil(at - performance.now())));
    this.#queueTimer.unref?.();
  }

  #expireQueued(): void {
    this.#queueTimer = undefined;
    this.#queueTimerAt = Infinity;
    const now = performance.now();
    let next = Infinity;
    for (const q of this.#queues.values()) {
      for (const job of [...q.live()]) {
        const expires = Math.min(job.enqueuedAt + this.#o.queueTimeoutMs, job.deadline);
        if (expires <= now + 0.5) {
          const error = job.deadline <= now + 0.5 && job.deadline < job.enqueuedAt + this.#o.queueTimeoutMs ? new JobTimeoutError(this.name, job.label, job.timeoutMs) : new QueueTimeoutError(this.name, Math.round(now - job.enqueuedAt));
          if (error instanceof QueueTimeoutError) this.#reject(error);
          this.#settle(job, false, error);
        } else if (expires < next) next = expires;
      }
    }
    if (next !== Infinity) this.#armQueueTimer(next);
  }

  // ---- kills ----

  /** Kills one job: a queued one is dropped, a running one cancelled in its worker. Answers whether it was live. */
  killJob(job: Job, error?: Error): boolean {
    if (job.settled || job.killedWith !== undefined) return false; // killed already: its cancel is on its way
    const reason = error ?? new JobKilledError(this.name, job.label, 'user_killed');
    if (job.state === 'queued' || this.#barrier?.cancel(job) === true) {
      this.#settle(job, false, reason);
      return true;
    }
    const where = job.slot as { parent?: JobPoolCore; inner?: Job } | undefined;
    if (where?.parent !== undefined && where.inner !== undefined) {
      // delegated: it is killed where it runs, unless it ended or was killed there already
      if (!where.parent.killJob(where.inner, reason)) return false;
      job.killedWith = reason;
      return true;
    }
    job.killedWith = reason;
    if (job.abort !== undefined) job.abort.abort(reason);
    else this.#settle(job, false, reason); // not cancellable in the worker: its caller is answered now, the worker finishes it
    return true;
  }

  /** A snapshot of the live jobs, oldest first. */
  #liveJobs(): Job[] {
    const out: Job[] = [];
    for (let job = this.#liveHead; job !== undefined; job = job.nextLive) out.push(job);
    return out;
  }

  /** Kills every live job named `name`; answers how many. */
  kill(name: string, error?: Error): number {
    const set = this.#byName.get(name);
    if (set === undefined) return 0;
    let n = 0;
    for (const job of [...set]) if (this.killJob(job, error ?? new JobKilledError(this.name, job.label, 'user_killed', undefined))) n++;
    return n;
  }

  /** Kills every live job; answers how many. */
  flush(error?: Error): number {
    let n = 0;
    for (const job of this.#liveJobs()) if (this.killJob(job, error)) n++;
    return n;
  }

  // ---- workers (fed by the manager) ----

  /** A worker the manager started is ready. */
  addSlot(slot: JobSlot): void {
    const key = slot.heapClass === undefined ? DEFAULT_CLASS : String(slot.heapClass);
    this.#starting.set(key, Math.max(0, (this.#starting.get(key) ?? 0) - 1));
    this.#slots.push(slot);
    this.#pump(slot.heapClass);
  }

  /** A start failed: the head job of that class fails with it when no worker of the class is left to run it. */
  startFailed(heapClass: number | undefined, error: unknown): void {
    const key = heapClass === undefined ? DEFAULT_CLASS : String(heapClass);
    this.#starting.set(key, Math.max(0, (this.#starting.get(key) ?? 0) - 1));
    if (this.#slots.some((s) => s.heapClass === heapClass)) return;
    const job = this.#queue(heapClass).shift();
    if (job === undefined) return;
    job.state = 'new'; // shifted: #settle must not count it out of the queue again
    const exit = (error as { exit?: unknown } | null)?.exit ?? (error as { reason?: { exit?: unknown } } | null)?.reason?.exit;
    this.#settle(job, false, exit !== undefined ? new JobWorkerExitError(this.name, job.label, exit as never, 0) : error);
  }

  /** A worker is gone (its in-flight jobs are rejected by its channel). */
  removeSlot(ref: ActorRef): JobSlot | undefined {
    const i = this.#slots.findIndex((s) => s.ref === ref);
    if (i === -1) return undefined;
    const [slot] = this.#slots.splice(i, 1);
    return slot;
  }

  /** Starts default workers until `minWorkers` run or start. */
  ensureMin(): void {
    if (this.#stopped || this.#o.profile === undefined) return;
    const starting = this.#starting.get(DEFAULT_CLASS) ?? 0;
    const have = this.#slots.filter((s) => s.heapClass === undefined).length + starting;
    for (let i = have; i < this.#o.minWorkers && this.#slots.length + this.starting < this.#o.maxWorkers; i++) {
      this.#starting.set(DEFAULT_CLASS, (this.#starting.get(DEFAULT_CLASS) ?? 0) + 1);
      this.#host.startWorker(undefined);
    }
  }

  /** Idle workers past `idleTimeoutMs`: beyond `minWorkers` of the default class, and every heap-class one. */
  idleWorkers(now: number): JobSlot[] {
    const out: JobSlot[] = [];
    let defaults = this.#slots.filter((s) => s.heapClass === undefined).length;
    for (const s of this.#slots) {
      if (s.load !== 0 || now - s.idleSince < this.#o.idleTimeoutMs) continue;
      if (s.heapClass === undefined) {
        if (defaults <= this.#o.minWorkers) continue;
        defaults--;
      }
      out.push(s);
    }
    return out;
  }

  /** Slot ids in use (a replacement takes the lowest free one, so taints follow the slot). */
  freeSlotId(): number {
    const used = new Set(this.#slots.map((s) => s.slotId));
    let id = 0;
    while (used.has(id)) id++;
    return id;
  }

  get slots(): readonly JobSlot[] {
    return this.#slots;
  }

  /** Workers starting now (all classes). */
  get starting(): number {
    let n = 0;
    for (const v of this.#starting.values()) n += v;
    return n;
  }

  /** Queued jobs waiting for a worker (all classes). */
  get queued(): number {
    let n = 0;
    for (const q of this.#queues.values()) n += q.size;
    return n;
  }

  /** Stops taking jobs and fails every live one with JobKilledError('pool_stopped'). */
  stop(): void {
    if (this.#stopped) return;
    this.#stopped = true;
    if (this.#queueTimer !== undefined) clearTimeout(this.#queueTimer);
    for (const job of this.#liveJobs()) this.killJob(job, new JobKilledError(this.name, job.label, 'pool_stopped'));
  }

  status(): JobPoolStatus {
    let capacity = 0;
    for (const s of this.#slots) capacity += s.heapClass === undefined ? s.capacity : 1;
    return {
      workers: this.#slots.length,
      starting: this.starting,
      running: this.#running,
      queued: this.queued,
      committedBytes: this.#committed,
      maxMemoryBytes: this.#o.maxMemoryBytes,
      completed: this.#completed,
      failed: this.#failed,
      killed: this.#killed,
      rejected: { ...this.#rejected },
      utilisation: capacity === 0 ? 0 : Math.min(1, this.#running / capacity),
      runP50Ms: this.#run.quantile(0.5),
      runP99Ms: this.#run.quantile(0.99),
      waitP50Ms: this.#wait.quantile(0.5),
      waitP99Ms: this.#wait.quantile(0.99),
      taints: this.#barrier?.count() ?? 0,
      retries: this.#barrier?.retries ?? 0,
    };
  }
}
