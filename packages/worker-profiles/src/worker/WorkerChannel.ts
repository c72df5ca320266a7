import { checkTimeout, InvalidOptionError, type ActorRef, type ActorSystem } from '@arbor/core';
import type { TransferListItem } from 'node:worker_threads';
import type { ChildFrame, WireError } from '../contract/frames.js';
import type { KillCause, RecycleTrigger, WorkerExit } from '../contract/WorkerExit.js';
import type { WorkerConn } from '../contract/WorkerProfile.js';
import { RequestAbortedError, RequestTimeoutError, UnknownMethodError, WorkerExitError, WorkerStoppedError, WorkerTaskError } from '../errors/errors.js';
import { watchRss } from '../memory/RssPoller.js';
import { ConnSlot } from './ConnSlot.js';
import { DeadlineTimer } from './DeadlineTimer.js';
import { HealthProbe } from './HealthProbe.js';
import { unregisterChannel } from './channelRegistry.js';
import { WorkerQueueFullError } from './errors.js';
import { PendingRequest, RequestState } from './PendingRequest.js';
import { RingQueue } from './RingQueue.js';
import type { HealthResult, WorkerMetadata, WorkerStats } from './WorkerInfo.js';
import type { ResolvedWorkerOptions } from './WorkerOptions.js';

/**
 * Per-request options of `WorkerHandle.request`.
 *
 * @example
 * await worker.request('resize', img, { timeoutMs: 5_000, signal: req.signal, transfer: [img.buffer] });
 */
export interface RequestOptions {
  /** Overrides the worker's `requestTimeoutMs` for this request. */
  readonly timeoutMs?: number;
  /** Aborting it rejects the request with RequestAbortedError and cancels it in the worker. */
  readonly signal?: AbortSignal;
  /** Transferred with the argument (threads only). */
  readonly transfer?: readonly TransferListItem[];
}

/**
 * What the channel needs from the actor that owns it. @internal
 *
 * @example
 * new WorkerChannel({ system: this.system, self: this.self, logger: this.logger, fail: (e) => this.stop(e) }, options);
 */
export interface ChannelHost {
  readonly system: ActorSystem;
  readonly self: ActorRef;
  readonly logger: { info(message: string, meta?: Record<string, unknown>): void; warn(message: string, meta?: Record<string, unknown>): void; debug(message: string, meta?: Record<string, unknown>): void };
  /** Ends the actor with `error` as its reason (its supervisor restarts it). */
  fail(error: unknown): void;
}

/**
 * How long a worker asked to stop may take to exit before it is terminated.
 *
 * @example
 * await conn.stop(EXIT_GRACE_MS);
 */
export const EXIT_GRACE_MS = 1_000;
const RSS_POLL_MS = 1_000;

let workerCounter = 0;

type ChannelState = 'running' | 'stopping' | 'closed';

/**
 * The request engine of one worker actor, shared by the actor and its handles (found by the
 * actor's ref id, so a request is a Map lookup, not a mailbox hop): the in-flight tables of
 * its connections, the parent-side FIFO ring queue, deadlines, cancels, health pings,
 * recycling and the exit path. Every request it takes settles exactly once. @internal
 *
 * @example
 * const channel = new WorkerChannel(host, options); await channel.start();
 */
export class WorkerChannel {
  readonly options: ResolvedWorkerOptions;
  readonly capacity: number;
  readonly #host: ChannelHost;
  readonly #limit: number;
  readonly #queue = new RingQueue<PendingRequest>();
  readonly #deadlines = new DeadlineTimer((rec) => this.#expire(rec, new RequestTimeoutError(this.workerId, rec.method, rec.timeoutMs!)));
  readonly #draining = new Set<ConnSlot>();
  readonly #health: HealthProbe;
  #active: ConnSlot | undefined = undefined;
  #methods: ReadonlySet<string> | undefined = undefined;
  #lastWorkerId = '';
  #queued = 0;
  #state: ChannelState = 'running';
  #replacing = false;
  #recycling: Promise<void> | undefined = undefined;
  #served = 0;
  #starts = 0;
  #recycles = 0;
  #lastExit: WorkerExit | undefined = undefined;
  #onIdle: (() => void) | undefined = undefined;
  #stopped: Promise<void> | undefined = undefined;

  constructor(host: ChannelHost, options: ResolvedWorkerOptions) {
    this.#host = host;
    this.options = options;
    this.capacity = options.profile.capacity;
    this.#limit = this.capacity + options.pipeline;
    this.#health = new HealthProbe(
      options.health,
      () => (this.#state === 'running' ? this.#active : undefined),
      (slot, missed) => {
        slot.planned = { kind: 'health', missed };
        this.#host.logger.warn('worker missed its health checks and is killed', { report: 'worker_health_timeout', workerId: slot.conn.workerId, missed });
        slot.conn.kill('health_timeout');
      },
    );
  }

  /** The current (or last) worker's id. */
  get workerId(): string {
    return this.#active?.conn.workerId ?? this.#lastWorkerId;
  }

  /** Requests sent and not answered, over every connection (cancelled ones hold their slot). */
  get load(): number {
    let n = this.#active?.inFlight.size ?? 0;
    for (const s of this.#draining) n += s.inFlight.size;
    return n;
  }

  get queued(): number {
    return this.#queued;
  }

  get running(): boolean {
    return this.#state === 'running';
  }

  /** Starts the first worker; rejects (nothing left running) when it cannot start. */
  async start(): Promise<void> {
    const slot = await this.#startConn();
    if (this.#state === 'closed') {
      slot.planned = { kind: 'kill', cause: 'shutdown' };
      slot.conn.kill('shutdown');
      throw new WorkerStoppedError(JSON.stringify(slot.conn.workerId), '(start)');
    }
    this.#activate(slot);
    this.#health.start();
  }

  // ------------------------------------------------------------------ requests

  /** Sends (or queues) one request; the promise settles exactly once. */
  request(method: string, arg: unknown, options: RequestOptions | undefined): Promise<unknown> {
    if (this.#state !== 'running') return Promise.reject(new WorkerStoppedError(this.#label(), method));
    const methods = this.#active?.methods ?? this.#methods;
    if (methods !== undefined && !methods.has(method)) return Promise.reject(new UnknownMethodError(this.workerId, method, [...methods]));
    let timeoutMs = this.options.requestTimeoutMs;
    let signal: AbortSignal | undefined;
    let transfer: readonly TransferListItem[] | undefined;
    if (options !== undefined) {
      if (typeof options !== 'object' || options === null) return Promise.reject(new InvalidOptionError('request: options', 'an object { timeoutMs?, signal?, transfer? } or undefined', options));
      if (options.timeoutMs !== undefined) {
        try {
          timeoutMs = checkTimeout('request: options.timeoutMs', options.timeoutMs, { integer: true, min: 1 });
        } catch (e) {
          return Promise.reject(e);
        }
      }
      if (options.signal !== undefined) {
        signal = options.signal;
        if (typeof signal !== 'object' || signal === null || typeof signal.addEventListener !== 'function') {
          return Promise.reject(new InvalidOptionError('request: options.signal', 'an AbortSignal', signal));
        }
        if (signal.aborted) return Promise.reject(new RequestAbortedError(this.workerId, method, signal.reason));
      }
      if (options.transfer !== undefined) {
        if (!Array.isArray(options.transfer)) return Promise.reject(new InvalidOptionError('request: options.transfer', 'an array of transferables', options.transfer));
        transfer = options.transfer;
      }
    }
    const slot = this.#active;
    const direct = slot !== undefined && this.#queued === 0 && slot.inFlight.size < this.#limit;
    if (!direct && this.#queued >= this.options.maxQueue) return Promise.reject(new WorkerQueueFullError(this.workerId, method, this.options.maxQueue));
    const rec = new PendingRequest(method, arg, transfer, signal);
    if (direct) this.#send(slot, rec);
    else {
      this.#queue.push(rec);
      this.#queued++;
    }
    if (timeoutMs !== Infinity) {
      rec.timeoutMs = timeoutMs;
      rec.deadline = Date.now() + timeoutMs;
      this.#deadlines.add(rec);
    }
    if (signal !== undefined) {
      rec.onAbort = () => this.#expire(rec, new RequestAbortedError(this.workerId, method, signal.reason));
      signal.addEventListener('abort', rec.onAbort, { once: true });
    }
    return rec.promise;
  }

  #send(slot: ConnSlot, rec: PendingRequest): void {
    const id = slot.inFlight.add(rec);
    rec.id = id;
    rec.slot = slot;
    rec.state = RequestState.InFlight;
    slot.conn.send({ t: 'req', id, m: rec.method, a: rec.arg }, rec.transfer);
    rec.arg = undefined;
    rec.transfer = undefined;
  }

  /** Moves queued requests to the active worker while it has room. */
  #pump(): void {
    const slot = this.#active;
    if (slot === undefined || this.#state === 'closed') return;
    while (this.#queued > 0 && slot.inFlight.size < this.#limit) {
      const rec = this.#queue.shift()!;
      if (rec.state !== RequestState.Queued) continue;
      this.#queued--;
      this.#send(slot, rec);
    }
    if (this.#queued === 0 && this.#queue.size > 0) this.#queue.drain(); // only settled entries are left
  }

  /** A timeout or an abort: a queued request is dropped; a running one is cancelled in the worker. */
  #expire(rec: PendingRequest, error: Error): void {
    if (rec.state === RequestState.Queued) {
      rec.finish(RequestState.Done);
      this.#queued--;
      rec.reject(error);
      this.#checkIdle();
      return;
    }
    if (rec.state !== RequestState.InFlight) return;
    rec.finish(RequestState.Cancelling);
    rec.reject(error);
    const slot = rec.slot as ConnSlot;
    slot.conn.send({ t: 'cancel', id: rec.id });
    rec.graceTimer = setTimeout(() => {
      if (rec.state === RequestState.Cancelling && !slot.dead) this.#killAndReplace(slot, 'cancel_grace');
    }, this.options.cancelGraceMs);
  }

  // ------------------------------------------------------------------ frames

  #onFrame(slot: ConnSlot, f: ChildFrame): void {
    switch (f.t) {
      case 'res': {
        const rec = slot.inFlight.take(f.id);
        if (rec === undefined) return;
        if (rec.state === RequestState.InFlight) {
          rec.finish(RequestState.Done);
          rec.resolve(f.v);
        } else this.#endCancelled(rec);
        this.#afterReply(slot);
        return;
      }
      case 'err': {
        const rec = slot.inFlight.take(f.id);
        if (rec === undefined) return;
        if (rec.state === RequestState.InFlight) {
          rec.finish(RequestState.Done);
          rec.reject(this.#taskError(slot, rec.method, f.e));
        } else this.#endCancelled(rec);
        this.#afterReply(slot);
        return;
      }
      case 'pong':
        if (f.h !== undefined) this.#heap(slot, f.h);
        this.#health.onPong(slot, f.id);
        return;
      case 'stats':
        if (f.rss !== undefined) slot.rssBytes = f.rss;
        if (f.h !== undefined) this.#heap(slot, f.h);
        return;
      case 'ready':
        return;
    }
  }

  #taskError(slot: ConnSlot, method: string, e: WireError): Error {
    if (e?.code === 'unknown_method') return new UnknownMethodError(slot.conn.workerId, method, slot.conn.methods ?? []);
    return new WorkerTaskError(slot.conn.workerId, method, e);
  }

  #endCancelled(rec: PendingRequest): void {
    if (rec.graceTimer !== undefined) clearTimeout(rec.graceTimer);
    rec.graceTimer = undefined;
    rec.state = RequestState.Done;
  }

  #afterReply(slot: ConnSlot): void {
    slot.served++;
    this.#served++;
    if (slot === this.#active) {
      const max = this.options.recycle?.maxRequests;
      if (max !== undefined && slot.served >= max) this.#autoRecycle('requests');
      this.#pump();
    } else if (slot.draining && slot.inFlight.size === 0) this.#finishDrain(slot);
    this.#checkIdle();
  }

  #heap(slot: ConnSlot, bytes: number): void {
    slot.heapUsedBytes = bytes;
    const max = this.options.recycle?.maxHeapBytes;
    if (max !== undefined && bytes > max && slot === this.#active) this.#autoRecycle('heap');
  }

  // ------------------------------------------------------------------ connections

  async #startConn(): Promise<ConnSlot> {
    const workerId = `${this.options.name ?? this.options.profile.kind}-${++workerCounter}`;
    this.#lastWorkerId ||= workerId;
    const conn = await this.options.profile.start({ workerId, system: this.#host.system, actor: this.#host.self, readyTimeoutMs: this.options.readyTimeoutMs, logger: this.#host.logger });
    this.#starts++;
    const slot = new ConnSlot(conn);
    conn.onFrame((f) => this.#onFrame(slot, f));
    conn.onExit((e) => this.#onExit(slot, e));
    return slot;
  }

  #activate(slot: ConnSlot): void {
    this.#active = slot;
    this.#lastWorkerId = slot.conn.workerId;
    if (slot.methods !== undefined) this.#methods = slot.methods;
    this.#health.reset();
    const r = this.options.recycle;
    if (r?.ttlMs !== undefined) {
      slot.ttlTimer = setTimeout(() => {
        if (slot === this.#active) this.#autoRecycle('ttl');
      }, r.ttlMs);
    }
    if (r?.maxRssBytes !== undefined && slot.conn.pid !== undefined) {
      const max = r.maxRssBytes;
      slot.stopRss = watchRss(slot.conn.pid, RSS_POLL_MS, (rss) => {
        slot.rssBytes = rss;
        if (rss > max && slot === this.#active) this.#autoRecycle('rss');
      });
    }
    this.#pump();
  }

  /** Kills a connection for `cause` and, if it was the active one, starts its replacement in place. */
  #killAndReplace(slot: ConnSlot, cause: KillCause): void {
    slot.planned = { kind: 'kill', cause };
    if (slot === this.#active) {
      this.#active = undefined;
      this.#replace();
    }
    slot.conn.kill(cause);
  }

  #replace(): void {
    if (this.#replacing || this.#state === 'closed') return;
    this.#replacing = true;
    this.#startConn().then(
      (slot) => {
        this.#replacing = false;
        if (this.#state === 'closed') {
          slot.planned = { kind: 'kill', cause: 'shutdown' };
          slot.conn.kill('shutdown');
          return;
        }
        this.#activate(slot);
        this.#checkIdle();
      },
      (error: unknown) => {
        this.#replacing = false;
        if (this.#state === 'closed') return;
        this.#rejectQueued(() => error);
        this.#close();
        this.#host.fail(error);
      },
    );
  }

  #onExit(slot: ConnSlot, exit: WorkerExit): void {
    slot.dead = true;
    slot.clearTimers();
    this.#draining.delete(slot);
    const recorded = slot.recordedExit(exit);
    this.#lastExit = recorded;
    for (const rec of slot.inFlight.values()) {
      if (rec.graceTimer !== undefined) clearTimeout(rec.graceTimer);
      if (rec.state === RequestState.InFlight) {
        rec.finish(RequestState.Done);
        rec.reject(new WorkerExitError(recorded, rec.method));
      } else rec.state = RequestState.Done;
    }
    slot.inFlight.clear();
    this.#health.forget(slot);
    if (slot !== this.#active) {
      this.#host.logger.debug('worker connection ended', { report: 'worker_conn_exit', workerId: exit.workerId, exit: recorded });
      this.#checkIdle();
      return;
    }
    this.#active = undefined;
    if (this.#state !== 'closed') {
      const planned = slot.planned;
      if (planned?.kind === 'kill' && planned.cause === 'cancel_grace') {
        this.#replace();
        return;
      }
    }
    this.#rejectQueued((rec) => new WorkerExitError(recorded, rec.method));
    if (this.#state !== 'closed') {
      this.#close();
      this.#host.fail(new WorkerExitError(recorded));
    }
  }

  #rejectQueued(errorFor: (rec: PendingRequest) => unknown): void {
    for (const rec of this.#queue.drain()) {
      if (rec.state !== RequestState.Queued) continue;
      rec.finish(RequestState.Done);
      rec.reject(errorFor(rec));
    }
    this.#queued = 0;
  }

  #close(): void {
    this.#state = 'closed';
    this.#deadlines.clear();
    this.#health.stop();
    unregisterChannel(this.#host.system, this.#host.self.id, this);
    this.#onIdle?.(); // a stop waiting for the drain: the exit path settled (or the actor's end settles) the rest
  }

  // ------------------------------------------------------------------ recycling

  #autoRecycle(trigger: RecycleTrigger): void {
    if (this.#recycling !== undefined) return;
    this.recycle(trigger).catch(() => undefined); // logged in recycle
  }

  /**
   * Replaces the worker in place: the new one starts first; once READY, new requests go to
   * it and the old one finishes its in-flight requests (up to drainTimeoutMs) and is stopped.
   * Resolves once the new worker serves.
   */
  recycle(trigger: RecycleTrigger): Promise<void> {
    if (this.#state !== 'running') return Promise.reject(new WorkerStoppedError(this.#label(), '(recycle)'));
    if (this.#recycling !== undefined) return this.#recycling;
    if (this.#active === undefined) return Promise.resolve(); // a replacement is starting already
    const old = this.#active;
    const p = this.#startConn().then(
      (slot) => {
        this.#recycling = undefined;
        if (this.#state === 'closed' || old !== this.#active) {
          // stopped, or the old worker was replaced meanwhile: the new one is not needed
          slot.planned = { kind: 'kill', cause: 'shutdown' };
          slot.conn.kill('shutdown');
          return;
        }
        this.#recycles++;
        old.draining = true;
        old.planned = { kind: 'recycle', trigger };
        old.clearTimers();
        this.#draining.add(old);
        this.#host.logger.info('worker recycled', { report: 'worker_recycled', trigger, old: old.conn.workerId, new: slot.conn.workerId, served: old.served, inFlight: old.inFlight.size });
        this.#activate(slot);
        if (old.inFlight.size === 0) this.#finishDrain(old);
        else {
          old.drainTimer = setTimeout(() => {
            if (old.dead) return;
            old.planned = { kind: 'kill', cause: 'recycle_timeout' };
            old.conn.kill('recycle_timeout');
          }, this.options.recycle?.drainTimeoutMs ?? 30_000);
        }
      },
      (error: unknown) => {
        this.#recycling = undefined;
        this.#host.logger.warn('worker recycle failed: its replacement did not start; the old worker keeps serving', { report: 'worker_recycle_failed', trigger, workerId: old.conn.workerId, error });
        throw error;
      },
    );
    this.#recycling = p;
    return p;
  }

  #finishDrain(slot: ConnSlot): void {
    slot.clearTimers();
    void slot.conn.stop(EXIT_GRACE_MS);
  }

  // ------------------------------------------------------------------ health

  /** One ping over the connection: `{ ok: true, rttMs }`, or `{ ok: false, reason }`. */
  healthCheck(timeoutMs: number): Promise<HealthResult> {
    const slot = this.#active;
    if (this.#state !== 'running' || slot === undefined) return Promise.resolve({ ok: false, reason: 'not_running' });
    return this.#health.check(slot, timeoutMs);
  }

  // ------------------------------------------------------------------ stopping

  #checkIdle(): void {
    if (this.#onIdle !== undefined && this.#queued === 0 && this.load === 0) this.#onIdle();
  }

  /**
   * The orderly stop: takes no new requests, lets the in-flight and queued ones finish for
   * up to stopGraceMs, then stops the workers; what is left rejects with WorkerExitError.
   */
  stop(): Promise<void> {
    if (this.#stopped === undefined) this.#stopped = this.#state === 'running' ? this.#drainAndStop() : Promise.resolve();
    return this.#stopped;
  }

  async #drainAndStop(): Promise<void> {
    this.#state = 'stopping';
    this.#health.stop();
    if (this.#queued > 0 || this.load > 0) {
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, this.options.stopGraceMs);
        this.#onIdle = () => {
          clearTimeout(timer);
          resolve();
        };
      });
      this.#onIdle = undefined;
    }
    if ((this.#state as ChannelState) === 'closed') return; // the worker died meanwhile (the exit path settled everything)
    this.#close();
    const slots = [...this.#draining];
    if (this.#active !== undefined) slots.push(this.#active);
    else this.#rejectQueued((rec) => new WorkerStoppedError(this.#label(), rec.method));
    await Promise.all(slots.map((s) => s.conn.stop(EXIT_GRACE_MS).catch(() => undefined)));
  }

  /** The actor is gone (killed, crashed, or stopped): kill what is left, settle everything. */
  actorDown(): void {
    if (this.#state !== 'closed') this.#close();
    const slots = [...this.#draining];
    if (this.#active !== undefined) slots.push(this.#active);
    else this.#rejectQueued((rec) => new WorkerStoppedError(this.#label(), rec.method));
    for (const s of slots) {
      if (s.dead) continue;
      s.planned ??= { kind: 'kill', cause: 'shutdown' };
      s.conn.kill('shutdown');
    }
  }

  // ------------------------------------------------------------------ introspection

  #label(): string {
    return this.options.name !== undefined ? JSON.stringify(this.options.name) : JSON.stringify(this.workerId);
  }

  #stateName(): string {
    if (this.#state === 'closed') return 'stopped';
    if (this.#state === 'stopping') return 'stopping';
    if (this.#active === undefined) return 'starting';
    return this.#recycling !== undefined || this.#draining.size > 0 ? 'recycling' : 'running';
  }

  /** The counters `stats()` answers. */
  stats(): WorkerStats {
    const slot = this.#active;
    const conn: WorkerConn | undefined = slot?.conn;
    return {
      workerId: this.workerId,
      kind: this.options.profile.kind,
      ...(conn?.pid !== undefined ? { pid: conn.pid } : {}),
      ...(conn?.threadId !== undefined ? { threadId: conn.threadId } : {}),
      state: this.#stateName(),
      capacity: this.capacity,
      inFlight: this.load,
      queued: this.#queued,
      served: this.#served,
      servedByWorker: slot?.served ?? 0,
      ...(slot?.heapUsedBytes !== undefined ? { heapUsedBytes: slot.heapUsedBytes } : {}),
      ...(slot?.rssBytes !== undefined ? { rssBytes: slot.rssBytes } : {}),
      startedAt: slot?.startedAt ?? 0,
      starts: this.#starts,
      recycles: this.#recycles,
      ...(this.#lastExit !== undefined ? { lastExit: this.#lastExit } : {}),
    };
  }

  /** Who the worker is and what it serves. */
  metadata(): WorkerMetadata {
    const slot = this.#active;
    const conn = slot?.conn;
    return {
      workerId: this.workerId,
      kind: this.options.profile.kind,
      ...(conn?.pid !== undefined ? { pid: conn.pid } : {}),
      ...(conn?.threadId !== undefined ? { threadId: conn.threadId } : {}),
      capacity: this.capacity,
      ...(conn?.methods !== undefined ? { methods: conn.methods } : {}),
      meta: conn?.meta ?? {},
      startedAt: slot?.startedAt ?? 0,
    };
  }

  /** The dump's one line. */
  formatStatus(): Record<string, string | number | boolean | null> {
    const conn = this.#active?.conn;
    return {
      kind: this.options.profile.kind,
      workerId: this.workerId,
      pid: conn?.pid ?? null,
      threadId: conn?.threadId ?? null,
      state: this.#stateName(),
      inFlight: this.load,
      queued: this.#queued,
      served: this.#served,
    };
  }
}
