import { CallExitError, MailboxFullError, MessageDroppedError, NoProcError } from '../errors/errors.js';
import { isNormalExit } from '../exit/ExitReason.js';
import { dropRemoteWatcher, notifyDown, queueExit } from './signals.js';
import { clearTimer, type TimerRef } from './TimerRef.js';
import type { ActorRef, MonitorRef } from './ActorRef.js';
import { CALL, Envelope, INFO, isSysEntry, isThenable, noop, PendingCall, SIGNAL, SYS, type SysRequest } from './Envelope.js';
import type { AnyBehaviour } from '../behaviour/Behaviour.js';
import type { Host } from './Host.js';
import { noReply } from './markers.js';
import { BUSY, CONTINUE, DEAD, INIT, SCHEDULED, STOP_REQUESTED, STOPPING, SUSPENDED, TRAP_EXIT } from './flags.js';
import { Mailbox } from './Mailbox.js';
import { RemoteActorRef } from './RemoteRef.js';
import { traceExited, traceHandled, traceReceived, traceReplied, type TraceSink } from './TraceSink.js';


/** A cell cannot take the run queue while any of these is set (SUSPENDED still serves sys requests). */
const NOT_RUNNABLE = SCHEDULED | BUSY | SUSPENDED | INIT | STOPPING | DEAD;
const NOT_SYS_RUNNABLE = SCHEDULED | BUSY | INIT | STOPPING | DEAD;

/** How a bounded mailbox handles a message that does not fit. */
export type OverflowPolicy = 'drop_newest' | 'drop_oldest' | 'reject';

/** A bounded mailbox's settings. */
export interface MailboxLimits {
  readonly capacity: number;
  readonly overflow: OverflowPolicy;
}

/**
 * Core bookkeeping told of a watched cell's exit synchronously, inside that exit: no DOWN
 * message, no microtask (a registry's table drops an exited owner's entries this way, so
 * it keeps up however many owners exit at once). `cellDown` must be cheap, must not throw
 * and must not run user code; `id` names the watcher in `monitoredBy`. @internal
 *
 * @example
 * const hook: DownHook = { id: registry.id, cellDown: (mref, cell) => table.ownerDown(cell, mref) };
 * addMonitor(hook, owner);
 */
export interface DownHook {
  readonly id: string;
  cellDown(ref: MonitorRef, cell: Cell, reason: unknown): void;
}

/**
 * Who watches a cell: another cell (gets a DOWN message), outside code (gets a callback in
 * a microtask) or core bookkeeping (a {@link DownHook}, told synchronously). @internal
 */
export type Watcher = Cell | ((down: { ref: MonitorRef; actor: ActorRef; reason: unknown }) => void) | DownHook;

/** The cell whose handler is running right now (synchronous part only). @internal */
export let running: Cell | null = null;

/** @internal */
export function setRunning(cell: Cell | null): void {
  running = cell;
}

/**
 * The actor process: mailbox, flags, links, monitors and the drive loop that feeds
 * messages to the behaviour one at a time. Cells are refs: the public `ActorRef` type
 * exposes only `id`. @internal
 */
export class Cell implements ActorRef {
  mailbox: Mailbox | null = null;
  flags = 0;
  name: string | undefined = undefined;
  /** Linked processes: local cells, and refs of processes on other nodes. */
  links: Set<Cell | RemoteActorRef> | null = null;
  /** Monitors this cell holds: monitor ref -> monitored cell (or process on another node). */
  monitors: Map<MonitorRef, Cell | RemoteActorRef> | null = null;
  /** Monitors on this cell: monitor ref -> watcher. */
  watchers: Map<MonitorRef, Watcher> | null = null;
  /** Calls taken off the mailbox and not answered yet (async handler or deferred reply). */
  inflight: Set<PendingCall> | null = null;
  timers: Set<TimerRef> | null = null;
  /** Internal stop requests (a stop outside a hook, the system's shutdown): served before the next message. */
  sys: SysRequest[] | null = null;
  /** How many `SYS` envelopes (public sys requests, in mailbox order) the mailbox holds. */
  sysQueued = 0;
  handled = 0;
  readonly startedAt = Date.now();
  exitReason: unknown = undefined;
  /** The message being handled, or the last one handled. */
  current: unknown = undefined;
  continueArg: unknown = undefined;
  stopReason: unknown = undefined;
  /** Neighbours in the system's list of live cells (start order). */
  prevLive: Cell | null = null;
  nextLive: Cell | null = null;
  /** The live trace attached to this cell, or null (the emit points test it, and do nothing else when null). */
  tracer: TraceSink | null = null;
  /** The process on another node that spawn_linked it (a remote supervisor): a parent for exit signals. */
  remoteParent: RemoteActorRef | null = null;

  constructor(
    readonly id: string,
    /** The system this cell runs in, as the kernel sees it. */
    readonly host: Host,
    public behaviour: AnyBehaviour | null,
    readonly kind: string,
    /** The actor that spawnLinked it (or the supervisor that adopted it); set once. */
    public parent: Cell | null,
    readonly limits: MailboxLimits | null,
  ) {}

  get alive(): boolean {
    return (this.flags & DEAD) === 0;
  }

  // ---------------------------------------------------------------- delivery

  /** Queues a cast. Never throws unless the mailbox bound's policy is `reject`. */
  cast(msg: unknown): void {
    if ((this.flags & DEAD) !== 0) return;
    if (this.limits !== null && !this.#admit(null)) return;
    const mb = this.mailbox ?? (this.mailbox = new Mailbox());
    mb.push(msg);
    if ((this.flags & NOT_RUNNABLE) === 0) this.host.scheduler.schedule(this);
  }

  /** Queues an envelope; SIGNAL envelopes bypass the mailbox bound. */
  deliver(env: Envelope): void {
    if ((this.flags & DEAD) !== 0) {
      if (env instanceof PendingCall) env.fail(new NoProcError(this, 'call'));
      return;
    }
    if (this.limits !== null && env.kind !== SIGNAL && !this.#admit(env)) return;
    const mb = this.mailbox ?? (this.mailbox = new Mailbox());
    mb.push(env);
    if ((this.flags & NOT_RUNNABLE) === 0) this.host.scheduler.schedule(this);
  }

  /** Applies the mailbox bound to an incoming entry; false when it is dropped. */
  #admit(incoming: Envelope | null): boolean {
    const limits = this.limits!;
    const mb = this.mailbox;
    // Queued sys requests (getState, stop, ...) are not messages: they never count against the bound.
    if (mb === null || mb.length - this.sysQueued < limits.capacity) return true;
    switch (limits.overflow) {
      case 'reject':
        throw new MailboxFullError(this, limits.capacity);
      case 'drop_newest':
        if (incoming instanceof PendingCall) incoming.fail(new MessageDroppedError(this, 'drop_newest'));
        return false;
      case 'drop_oldest': {
        const old = mb.removeFirst((e) => !(e instanceof Envelope && e.kind >= SIGNAL));
        if (old instanceof PendingCall) old.fail(new MessageDroppedError(this, 'drop_oldest'));
        return true;
      }
    }
  }

  /**
   * Queues a public sys request in mailbox order (OTP: cast(x) then getState() sees x).
   * A suspended actor still serves it; it bypasses the mailbox bound.
   */
  queueSys(req: SysRequest): void {
    if ((this.flags & DEAD) !== 0) {
      req.reject(new NoProcError(this, req.op));
      return;
    }
    (this.mailbox ??= new Mailbox()).push(new Envelope(SYS, req));
    this.sysQueued++;
    if ((this.flags & NOT_SYS_RUNNABLE) === 0) this.host.scheduler.schedule(this);
  }

  /** Queues an internal stop request, served before the next message (even while suspended). */
  requestSys(req: SysRequest): void {
    if ((this.flags & DEAD) !== 0) {
      req.reject(new NoProcError(this, req.op));
      return;
    }
    (this.sys ??= []).push(req);
    if ((this.flags & NOT_SYS_RUNNABLE) === 0) this.host.scheduler.schedule(this);
  }

  /** Puts the cell on the run queue if it has work and may run. */
  wake(): void {
    if ((this.flags & NOT_SYS_RUNNABLE) !== 0) return;
    const hasMail = this.mailbox !== null && this.mailbox.head !== this.mailbox.tail && (this.flags & SUSPENDED) === 0;
    if (hasMail || this.sys !== null || this.sysQueued !== 0) this.host.scheduler.schedule(this);
  }

  // ------------------------------------------------------------- drive loop

  /**
   * Handles up to `budget` messages. Returns true when messages remain and the cell
   * may run again (the scheduler requeues it), false otherwise. The turn also ends early
   * (returning true) once it has lasted the scheduler's time slice, timed from the end of
   * its first message. The clock is read after the 1st and 2nd message, then halfway to
   * the slice's end at the pace so far and at most 128 messages apart: slow handlers yield
   * after two messages, a turn of fast ones reads the clock three times, and a turn of one
   * message never.
   */
  run(budget: number): boolean {
    let handled = 0;
    let checkAt = 1;
    let turnStart = -1;
    for (;;) {
      if (this.sys !== null) this.#runSys();
      if ((this.flags & (DEAD | BUSY | SUSPENDED | STOPPING | INIT)) !== 0) {
        // Suspended: only system requests are served (OTP's sys loop), out of the mailbox.
        if (this.sysQueued === 0 || (this.flags & (DEAD | BUSY | STOPPING | INIT)) !== 0 || !this.#serveSuspended()) return false;
        continue;
      }
      const mb = this.mailbox;
      if (mb === null) return false;
      if (mb.head === mb.tail) {
        mb.shrinkIfEmpty();
        return false;
      }
      if (budget-- === 0) return true;
      if (handled === checkAt) {
        const scheduler = this.host.scheduler;
        const now = scheduler.now();
        if (turnStart < 0) {
          turnStart = now;
          checkAt = 2;
        } else {
          const spent = now - turnStart;
          if (spent >= scheduler.sliceMs) return true;
          // Next check halfway to the slice's end at the pace so far, and at most 128 messages on.
          const ahead = ((scheduler.sliceMs - spent) * (handled - 1)) / (2 * spent);
          checkAt = handled + (ahead >= 128 ? 128 : ahead < 1 ? 1 : Math.floor(ahead));
        }
      }
      handled++;
      const m = mb.shift();
      if (this.sysQueued !== 0 && isSysEntry(m)) {
        // A sys request in its turn: not a message of the behaviour (not counted, not `current`).
        this.sysQueued--;
        if (this.tracer !== null) traceReceived(this.tracer, 'system', ((m as Envelope).msg as SysRequest).op);
        running = this;
        this.#serveSys((m as Envelope).msg as SysRequest);
        running = null;
        continue;
      }
      this.current = m;
      this.handled++;
      const tracer = this.tracer;
      if (tracer !== null) traceReceived(tracer, m instanceof Envelope ? (m.kind === CALL ? 'call' : 'info') : 'cast', m instanceof Envelope ? m.msg : m);
      let r: unknown;
      running = this;
      try {
        r = m instanceof Envelope ? this.#dispatch(m) : this.behaviour!.onCast(m as never);
      } catch (e) {
        running = null;
        if (tracer !== null) traceHandled(tracer, 'crash');
        this.crash(e);
        return false;
      }
      running = null;
      if (r !== undefined && isThenable(r)) {
        this.#awaitHandler(r, m instanceof PendingCall ? m : null, tracer);
        return false;
      }
      if (tracer !== null) traceHandled(tracer, handledOutcome(this, m));
      if ((this.flags & (CONTINUE | STOP_REQUESTED)) !== 0 && this.afterHandler()) return false;
    }
  }

  /** Runs the handler for an envelope; returns a thenable when the handler is async. */
  #dispatch(env: Envelope): unknown {
    const b = this.behaviour!;
    if (env.kind === CALL) {
      const pc = env as PendingCall;
      const r = b.onCall(pc.msg as never, pc as never);
      if (r === noReply) {
        (this.inflight ??= new Set()).add(pc);
        return undefined;
      }
      if (r !== undefined && isThenable(r)) {
        (this.inflight ??= new Set()).add(pc);
        return r;
      }
      if (this.tracer !== null) traceReplied(this.tracer, r);
      pc.ok(r);
      return undefined;
    }
    if (env.kind === SIGNAL) {
      const msg = env.msg as { type: string; from?: Cell | RemoteActorRef; reason: unknown };
      // A trapping gen_server stops when its parent exits (OTP).
      if (msg.type === 'EXIT' && msg.from !== undefined && (msg.from === this.parent || msg.from === this.remoteParent)) {
        this.terminateWith(msg.reason, false);
        return undefined;
      }
    }
    return b.onInfo(env.msg as never);
  }

  /** Handles a `continue` or `stop` request left by the last handler. True when the loop must stop. */
  afterHandler(): boolean {
    for (;;) {
      if ((this.flags & STOP_REQUESTED) !== 0) {
        this.flags &= ~(STOP_REQUESTED | CONTINUE);
        this.terminateWith(this.stopReason, false);
        return true;
      }
      if ((this.flags & CONTINUE) === 0) return false;
      this.flags &= ~CONTINUE;
      const arg = this.continueArg;
      this.continueArg = undefined;
      let r: unknown;
      running = this;
      try {
        r = this.behaviour!.onContinue(arg);
      } catch (e) {
        running = null;
        this.crash(e);
        return true;
      }
      running = null;
      if (r !== undefined && isThenable(r)) {
        this.#awaitHandler(r, null, null);
        return true;
      }
    }
  }

  /**
   * Parks the cell until an async handler settles. A kill meanwhile discards the result.
   * `tracer`: the trace that saw the message received (null for `onContinue`).
   */
  #awaitHandler(p: PromiseLike<unknown>, call: PendingCall | null, tracer: TraceSink | null): void {
    this.flags |= BUSY;
    p.then(
      (value) => {
        if ((this.flags & DEAD) !== 0) return;
        this.flags &= ~BUSY;
        if (call !== null && value !== noReply) {
          this.inflight?.delete(call);
          if (tracer !== null) traceReplied(tracer, value);
          call.ok(value);
        }
        if (tracer !== null) traceHandled(tracer, (this.flags & STOP_REQUESTED) !== 0 ? 'stop' : call !== null && !call.settled ? 'noreply' : 'ok');
        if (this.afterHandler()) return;
        this.wake();
      },
      (error) => {
        if ((this.flags & DEAD) !== 0) return;
        this.flags &= ~BUSY;
        if (tracer !== null) traceHandled(tracer, 'crash');
        this.crash(error);
      },
    );
  }

  #runSys(): void {
    const queue = this.sys!;
    this.sys = null;
    for (let i = 0; i < queue.length; i++) {
      const req = queue[i]!;
      if ((this.flags & (DEAD | STOPPING)) !== 0) {
        req.reject(new NoProcError(this, req.op));
        continue;
      }
      this.#serveSys(req);
    }
  }

  /**
   * Serves the queued sys requests of a suspended actor, oldest first, leaving the other
   * messages in place; true once one of them resumed it (the loop goes on with the mail).
   */
  #serveSuspended(): boolean {
    const mb = this.mailbox!;
    while (this.sysQueued > 0) {
      const env = mb.removeFirst(isSysEntry) as Envelope;
      this.sysQueued--;
      if (this.tracer !== null) traceReceived(this.tracer, 'system', (env.msg as SysRequest).op);
      running = this;
      this.#serveSys(env.msg as SysRequest);
      running = null;
      if ((this.flags & (DEAD | STOPPING)) !== 0) return false;
      if ((this.flags & SUSPENDED) === 0) return true;
    }
    return false;
  }

  /** Serves one sys request; a `replaceState` function that throws rejects the request. */
  #serveSys(req: SysRequest): void {
    try {
      switch (req.op) {
        case 'get_state':
          req.resolve(this.behaviour!.state);
          break;
        case 'replace_state': {
          const b = this.behaviour!;
          b.state = (req.arg as (s: unknown) => unknown)(b.state);
          req.resolve(b.state);
          break;
        }
        case 'suspend':
          this.flags |= SUSPENDED;
          req.resolve(undefined);
          break;
        case 'resume':
          this.flags &= ~SUSPENDED;
          req.resolve(undefined);
          break;
        case 'stop':
          req.resolve(undefined);
          this.terminateWith(req.arg, false);
          break;
      }
    } catch (e) {
      req.reject(e);
    }
  }

  // ------------------------------------------------------------- exits

  /** A handler threw or rejected: log a crash report, run terminate, exit with the error. */
  crash(error: unknown): void {
    this.host.reportCrash(this, error);
    this.terminateWith(error, true);
  }

  /** Runs `terminate(reason)` (sync or async), then exits with the reason. */
  terminateWith(reason: unknown, alreadyReported: boolean): void {
    if ((this.flags & (DEAD | STOPPING)) !== 0) return;
    this.flags |= STOPPING;
    if (!alreadyReported && !isNormalExit(reason)) this.host.reportCrash(this, reason);
    let r: unknown;
    try {
      r = this.behaviour!.onTerminate(reason as never);
    } catch (e) {
      this.host.reportTerminateError(this, e);
      this.finish(e);
      return;
    }
    if (r !== undefined && isThenable(r)) {
      r.then(
        () => this.finish(reason),
        (e) => {
          this.host.reportTerminateError(this, e);
          this.finish(e);
        },
      );
    } else {
      this.finish(reason);
    }
  }

  /**
   * An exit signal reached this cell: from a link (`linked`) or from `exit(ref, reason)`.
   * OTP rules: `kill` sent directly cannot be trapped; a trapping cell gets an EXIT
   * message; otherwise `normal` is ignored and anything else kills the cell.
   */
  receiveExit(from: Cell | RemoteActorRef | null, reason: unknown, linked: boolean): void {
    if ((this.flags & DEAD) !== 0) return;
    if (reason === 'kill' && !linked) {
      this.finish('killed');
      return;
    }
    if ((this.flags & TRAP_EXIT) !== 0) {
      // A suspended gen_server still stops for its parent (OTP's sys suspend loop), as a sys request.
      if ((this.flags & SUSPENDED) !== 0 && from !== null && (from === this.parent || from === this.remoteParent)) {
        this.requestSys({ op: 'stop', arg: reason, resolve: noop, reject: noop });
        return;
      }
      this.deliver(new Envelope(SIGNAL, { type: 'EXIT', from: from ?? undefined, reason }));
      return;
    }
    if (reason === 'normal' && from !== this) return;
    this.finish(reason);
  }

  /** The cell is dead from here on: settle its calls, free its name, notify links and monitors. */
  finish(reason: unknown): void {
    if ((this.flags & DEAD) !== 0) return;
    this.flags |= DEAD;
    this.exitReason = reason;
    if (this.tracer !== null) traceExited(this.tracer, reason);
    const host = this.host;
    // A call whose handler crashed is in neither the mailbox nor inflight.
    if (this.current instanceof PendingCall) this.current.fail(new CallExitError(this, reason));
    if (this.mailbox !== null) {
      const entries = this.mailbox.drain();
      this.mailbox = null;
      for (const e of entries) {
        if (e instanceof PendingCall) e.fail(new CallExitError(this, reason));
        else if (isSysEntry(e)) {
          const req = (e as Envelope).msg as SysRequest;
          req.reject(new NoProcError(this, req.op));
        }
      }
      this.sysQueued = 0;
    }
    if (this.inflight !== null) {
      for (const pc of this.inflight) pc.fail(new CallExitError(this, reason));
      this.inflight = null;
    }
    if (this.sys !== null) {
      const sys = this.sys;
      this.sys = null;
      for (const req of sys) req.reject(new NoProcError(this, req.op));
    }
    if (this.timers !== null) {
      for (const t of this.timers) clearTimer(t);
      this.timers = null;
    }
    host.forget(this);
    if (this.monitors !== null) {
      for (const [mref, target] of this.monitors) {
        if (target instanceof RemoteActorRef) dropRemoteWatcher(mref, target);
        else target.watchers?.delete(mref);
      }
      this.monitors = null;
    }
    if (this.watchers !== null) {
      const watchers = this.watchers;
      this.watchers = null;
      for (const [mref, w] of watchers) notifyDown(w, mref, this, reason);
    }
    this.behaviour = null;
    this.current = undefined;
    if (this.links !== null) {
      const links = this.links;
      this.links = null;
      for (const l of links) {
        if (l instanceof RemoteActorRef) {
          try {
            l.linkedExit(this, reason);
          } catch (e) {
            host.logger.error('remote link exit failed', { report: 'remote_link_error', actor: this.id, reason: String(e) });
          }
          continue;
        }
        l.links?.delete(this);
        queueExit(l, this, reason);
      }
    }
  }

  /** A short text for the crash report's `lastMessage` key. */
  describeCurrent(): string {
    const m = this.current;
    if (m instanceof PendingCall) return `call:${messageType(m.msg)}`;
    if (m instanceof Envelope) return `${m.kind === INFO ? 'info' : 'signal'}:${messageType(m.msg)}`;
    return m === undefined ? 'none' : `cast:${messageType(m)}`;
  }

  toString(): string {
    return `ActorRef<${this.name !== undefined ? `${this.name} ` : ''}${this.kind}#${this.id}>`;
  }

  toJSON(): string {
    return this.id;
  }

  [Symbol.for('nodejs.util.inspect.custom')](): string {
    return this.toString();
  }
}

/** How a synchronous handler of `m` ended, for the trace (it returned: ok, noreply or stop). */
function handledOutcome(cell: Cell, m: unknown): 'ok' | 'noreply' | 'stop' {
  if ((cell.flags & (STOP_REQUESTED | STOPPING | DEAD)) !== 0) return 'stop';
  return m instanceof PendingCall && !m.settled ? 'noreply' : 'ok';
}

function messageType(msg: unknown): string {
  if (typeof msg === 'object' && msg !== null && typeof (msg as { type?: unknown }).type === 'string') {
    return (msg as { type: string }).type;
  }
  return msg === null ? 'null' : typeof msg;
}
