import { nanoid } from 'nanoid';
import type { Logger } from 'winston';
import { MonitorRef, type ActorRef } from '../kernel/ActorRef.js';
import { Cell, setRunning, running, type Watcher } from '../kernel/Cell.js';
import { Envelope, INFO, isThenable, PendingCall } from '../kernel/Envelope.js';
import { CONTINUE, DEAD, INIT, STOP_REQUESTED, TRAP_EXIT } from '../kernel/flags.js';
import { attach, type AnyBehaviour, type BehaviourClass, type CallOptions, type InitArgOf, type ProtocolOf, type SpawnedMonitor } from '../behaviour/Behaviour.js';
import { ignore } from '../kernel/markers.js';
import type { CallRequest, CastMessage, InfoMessage, Protocol, ReplyOf, UnknownProtocol } from '../actor/Protocol.js';
import type { NamedProtocol, NameFor, TypedName } from '../names/ActorName.js';
import {
  AlreadyNamedError,
  AlreadyStartedError,
  CallSelfError,
  InitError,
  InitIgnoredError,
  InvalidOptionError,
  NameTakenError,
  NoProcError,
  SystemStoppedError,
} from '../errors/errors.js';
import type { ExitReason } from '../exit/ExitReason.js';
import { createLogger } from '../log/logger.js';
import { logCrash, logTerminateError } from '../log/reports.js';
import { statusOf, type ActorStatus } from '../kernel/ActorStatus.js';
import { CallDeadlines } from '../kernel/CallDeadlines.js';
import { LiveCells } from '../kernel/LiveCells.js';
import { Scheduler, type SchedulerOptions } from '../kernel/Scheduler.js';
import { validateSpawnOptions, type SpawnOptions, type SpawnOptionsOf } from './SpawnOptions.js';
import { addMonitor, demonitor, linkCells } from '../kernel/signals.js';
import { describeName, isViaName, type NameProvider, type ViaName } from '../names/NameProvider.js';
import { stopActor, stopAll, sysRequest } from '../kernel/sysRequest.js';
import { TimerRef } from '../kernel/TimerRef.js';
import { validateBehaviourClass, validateInstance } from './validateBehaviour.js';
import { checkFunction } from '../validation/function.js';
import { checkLogger } from '../validation/logger.js';
import { checkLocalName } from '../validation/name.js';
import { checkOptions } from '../validation/options.js';
import { badRef } from '../validation/ref.js';
import { checkTimeout, timeoutOf } from '../validation/timeout.js';

/** Options of {@link createSystem}. */
export interface SystemOptions {
  /** A name for logs and errors (default `"arbor"`). */
  readonly name?: string;
  /** A winston logger (default: {@link createLogger}, level from `ARBOR_LOG_LEVEL`). */
  readonly logger?: Logger;
  /** Time slice and per-actor budget of the scheduler. */
  readonly scheduler?: SchedulerOptions;
}

/** What `start` returns: the OTP start outcomes as values. */
export type StartResult<P extends Protocol> =
  | { readonly status: 'ok'; readonly ref: ActorRef<P> }
  | { readonly status: 'ignore' }
  | { readonly status: 'error'; readonly reason: unknown };

/** Called once when a monitored actor exits. */
export type DownCallback = (down: { readonly ref: MonitorRef; readonly actor: ActorRef; readonly reason: ExitReason }) => void;

/** A start's outcome; `ok` carries the monitor made by spawnMonitor (undefined otherwise). */
type Outcome =
  | { readonly status: 'ok'; readonly ref: Cell; readonly monitor: MonitorRef | undefined }
  | { readonly status: 'ignore' }
  | { readonly status: 'error'; readonly reason: unknown };

function publicOutcome(o: Outcome): StartResult<any> {
  return o.status === 'ok' ? { status: 'ok', ref: o.ref } : o;
}

/**
 * An actor system: spawns actors, routes their messages on one fair scheduler, and keeps
 * their names, links and monitors. One per process is the default (`defaultSystem()`);
 * tests may run several.
 *
 * @example
 * const system = createSystem();
 * const counter = await system.spawn(Counter, 0, { name: 'counter' });
 * system.cast(counter, { type: 'inc', by: 2 });
 * await system.call(counter, { type: 'get' }); // 2
 * await system.shutdown();
 */
export class ActorSystem {
  readonly name: string;
  readonly logger: Logger;
  /** @internal */
  readonly scheduler: Scheduler;
  /** @internal */
  readonly deadlines = new CallDeadlines();
  readonly #live = new LiveCells();
  readonly #names = new Map<string, Cell>();
  /** Registries that name actors in this system: each `via` name given to spawn adds its provider (read by the dump). @internal */
  readonly nameProviders = new Set<NameProvider>();
  #stopped = false;

  constructor(options: SystemOptions = {}) {
    checkOptions('options', options as SystemOptions | undefined, '{ name?, logger?, scheduler? }');
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new InvalidOptionError('options.name', 'a non-empty string', options.name);
    }
    this.name = options.name ?? 'arbor';
    this.logger = options.logger === undefined ? createLogger() : checkLogger('options.logger', options.logger);
    this.scheduler = new Scheduler(checkOptions('options.scheduler', options.scheduler, '{ sliceMs?, budget? }'));
  }

  // ------------------------------------------------------------------ spawning

  /**
   * Starts an actor and resolves with its ref once `init` has returned. Rejects with
   * `InitError` if init fails, `InitIgnoredError` if it returns `ignore`, and
   * `AlreadyStartedError` if `options.name` is taken.
   *
   * @example
   * const ref = await system.spawn(Counter, 0, { name: 'counter' });
   */
  spawn<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<ActorRef<ProtocolOf<B>>> {
    return this.settleStart(behaviour, this.startCell(null, behaviour, arg, options, false, null), false) as Promise<ActorRef<ProtocolOf<B>>>;
  }

  /**
   * Starts an actor and returns OTP's start outcomes as values: `ok` with the ref,
   * `ignore`, or `error` with the reason (init failure, or `AlreadyStartedError`).
   * Misuse (not a behaviour, bad options) still rejects.
   *
   * @example
   * const r = await system.start(Worker, cfg);
   * if (r.status === 'ok') use(r.ref);
   */
  start<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<StartResult<ProtocolOf<B>>> {
    return Promise.resolve(this.startCell(null, behaviour, arg, options, false, null)).then((o) =>
      o.status === 'ok' ? { status: 'ok', ref: o.ref } : o,
    );
  }

  /**
   * Starts an actor and monitors it from outside any actor: `onDown` runs once when it exits.
   *
   * @example
   * const { ref } = await system.spawnMonitor(Worker, cfg, ({ reason }) => console.log('down', reason));
   */
  spawnMonitor<B extends AnyBehaviour>(
    behaviour: BehaviourClass<B>,
    arg: InitArgOf<B>,
    onDown: DownCallback,
    options?: SpawnOptionsOf<NoInfer<B>>,
  ): Promise<SpawnedMonitor<ProtocolOf<B>>> {
    if (typeof onDown !== 'function') return Promise.reject(new InvalidOptionError('spawnMonitor: onDown', 'a function ({ ref, actor, reason }) => void', onDown));
    return Promise.resolve(this.startCell(null, behaviour, arg, options, false, onDown as Watcher)).then((o) => {
      const r = this.unwrapOutcome(behaviour, o);
      return { ref: r.ref, monitor: r.monitor! };
    });
  }

  /** @internal */
  spawnFrom(
    parent: Cell | null,
    behaviour: BehaviourClass,
    arg: unknown,
    options: SpawnOptions | undefined,
    link: boolean,
    monitor: boolean,
  ): Promise<{ ref: Cell; monitor: MonitorRef | undefined }> {
    return this.settleStart(behaviour, this.startCell(parent, behaviour, arg, options, link, monitor ? parent : null), true) as Promise<{
      ref: Cell;
      monitor: MonitorRef | undefined;
    }>;
  }

  /**
   * Starts an actor linked to `parent` (when given) and returns the OTP start outcome as a
   * value. `created`, if given, is told of the cell as soon as it exists, before its init
   * runs (a supervisor's start timeout kills it even while init is pending). @internal
   */
  startFrom(
    parent: Cell | null,
    behaviour: BehaviourClass,
    arg: unknown,
    options: SpawnOptions | undefined,
    created?: (cell: Cell) => void,
  ): Promise<StartResult<any>> {
    const o = this.startCell(parent, behaviour, arg, options, parent !== null, null, created);
    if (o instanceof Promise) return o.then(publicOutcome);
    return Promise.resolve(publicOutcome(o));
  }

  /** Turns a start outcome into spawn's promise, without extra hops when init was synchronous. */
  private settleStart(behaviour: BehaviourClass, o: Outcome | Promise<Outcome>, withMonitor: boolean): Promise<unknown> {
    if (o instanceof Promise) return o.then((x) => this.pickOutcome(behaviour, x, withMonitor));
    try {
      return Promise.resolve(this.pickOutcome(behaviour, o, withMonitor));
    } catch (e) {
      return Promise.reject(e);
    }
  }

  private pickOutcome(behaviour: BehaviourClass, o: Outcome, withMonitor: boolean): unknown {
    const r = this.unwrapOutcome(behaviour, o);
    return withMonitor ? r : r.ref;
  }

  private unwrapOutcome(behaviour: BehaviourClass, o: Outcome): { ref: Cell; monitor: MonitorRef | undefined } {
    if (o.status === 'ok') return o;
    const kind = behaviour.name || 'anonymous';
    if (o.status === 'ignore') throw new InitIgnoredError(kind);
    if (o.reason instanceof AlreadyStartedError) throw o.reason;
    throw new InitError(kind, o.reason);
  }

  private startCell(
    parent: Cell | null,
    behaviour: BehaviourClass,
    arg: unknown,
    options: SpawnOptions | undefined,
    link: boolean,
    watcher: Watcher | null,
    created?: (cell: Cell) => void,
  ): Outcome | Promise<Outcome> {
    let cell: Cell;
    let b: AnyBehaviour;
    try {
      if (this.#stopped) throw new SystemStoppedError(this.name);
      validateBehaviourClass(behaviour);
      const limits = options === undefined ? null : validateSpawnOptions(options);
      b = new behaviour();
      validateInstance(b, behaviour);
      const name = options?.name;
      if (typeof name === 'string') {
        const holder = this.#names.get(name);
        if (holder !== undefined) return { status: 'error', reason: new AlreadyStartedError(name, holder) };
      }
      cell = new Cell(nanoid(12), this, b, behaviour.name || 'anonymous', link ? parent : null, limits);
      attach(b, cell);
      cell.flags = INIT | (options?.trapExit === true ? TRAP_EXIT : 0);
      this.#live.add(cell);
      if (typeof name === 'string') {
        cell.name = name;
        this.#names.set(name, cell);
      } else if (name !== undefined) {
        let holder: ActorRef | undefined;
        try {
          holder = name.via.registerName(name.key, cell);
        } catch (e) {
          // A provider that refuses (a stopped registry, duplicate keys) must not leave a half-started cell behind.
          this.#live.remove(cell);
          cell.flags = DEAD;
          throw e;
        }
        if (holder !== undefined) {
          this.#live.remove(cell);
          cell.flags = DEAD;
          return { status: 'error', reason: new AlreadyStartedError(describeName(name), holder) };
        }
      }
    } catch (e) {
      return Promise.reject(e);
    }
    if (link && parent !== null) linkCells(parent, cell);
    created?.(cell);
    const mref = watcher === null ? undefined : addMonitor(watcher, cell);
    let r: unknown;
    const prev = running;
    setRunning(cell);
    try {
      r = b.onInit(arg);
    } catch (e) {
      setRunning(prev);
      return this.failInit(cell, e);
    }
    setRunning(prev);
    if (r !== undefined && isThenable(r)) {
      return Promise.resolve(r).then(
        (v) => this.completeInit(cell, v, mref),
        (e) => this.failInit(cell, e),
      );
    }
    return this.completeInit(cell, r, mref);
  }

  private completeInit(cell: Cell, value: unknown, mref: MonitorRef | undefined): Outcome {
    if ((cell.flags & DEAD) !== 0) return { status: 'error', reason: cell.exitReason };
    if (value === ignore) {
      cell.finish('normal');
      return { status: 'ignore' };
    }
    if ((cell.flags & STOP_REQUESTED) !== 0) {
      const reason = cell.stopReason;
      cell.finish(reason);
      return { status: 'error', reason };
    }
    cell.flags &= ~INIT;
    if ((cell.flags & CONTINUE) === 0 || !cell.afterHandler()) cell.wake();
    return { status: 'ok', ref: cell, monitor: mref };
  }

  private failInit(cell: Cell, error: unknown): Outcome {
    if ((cell.flags & DEAD) === 0) {
      this.reportCrash(cell, error);
      cell.finish(error);
    }
    return { status: 'error', reason: error };
  }

  // ------------------------------------------------------------------ messaging

  /**
   * Calls an actor and resolves with its reply, whose type follows from the request.
   * Rejects with `CallTimeoutError` (default 5000 ms; a late reply is dropped),
   * `NoProcError` (target not alive), `CallExitError` (target exited before replying)
   * or `CallSelfError`.
   *
   * @example
   * const n: number = await system.call(counter, { type: 'get' }, { timeout: 1000 });
   */
  call<P extends Protocol, const T extends string>(ref: ActorRef<P>, request: CallRequest<P, T>, options?: CallOptions): Promise<ReplyOf<P, { type: T }>> {
    return this.callFrom(null, ref, request, options) as Promise<ReplyOf<P, { type: T }>>;
  }

  /** @internal */
  callFrom(caller: Cell | null, ref: ActorRef, request: unknown, options: CallOptions | undefined): Promise<unknown> {
    if (!(ref instanceof Cell)) return Promise.reject(badRef('call', ref));
    let timeout: number;
    try {
      timeout = timeoutOf(options);
    } catch (e) {
      return Promise.reject(e);
    }
    if ((ref.flags & DEAD) !== 0) return Promise.reject(new NoProcError(ref, 'call'));
    if (caller === ref || running === ref) return Promise.reject(new CallSelfError(ref));
    const pc = new PendingCall(request, ref, timeout);
    // A failure resolves the promise with a rejecting one (callerFrames.ts): no reject is kept.
    const p = new Promise<unknown>((resolve) => {
      pc.resolve = resolve;
    });
    if (timeout !== Infinity) ref.system.deadlines.track(pc, timeout);
    try {
      ref.deliver(pc);
    } catch (e) {
      pc.fail(e);
    }
    return p;
  }

  /**
   * Casts a message: it never fails (a dead target is a no-op), except that a bounded
   * mailbox with overflow `'reject'` throws `MailboxFullError`.
   *
   * @example
   * system.cast(counter, { type: 'inc', by: 1 });
   */
  cast<P extends Protocol>(ref: ActorRef<P>, msg: CastMessage<P>): void {
    if (!(ref instanceof Cell)) throw badRef('cast', ref);
    ref.cast(msg);
  }

  /**
   * Sends an info message (handled by `handleInfo`). A dead target is a no-op.
   *
   * @example
   * system.send(ref, { type: 'tick' });
   */
  send<P extends Protocol>(ref: ActorRef<P>, msg: InfoMessage<P>): void {
    if (!(ref instanceof Cell)) throw badRef('send', ref);
    ref.deliver(new Envelope(INFO, msg));
  }

  /**
   * Sends `msg` as an info message after `ms` milliseconds. Cancelled by itself if the
   * target exits first.
   *
   * @example
   * const timer = system.sendAfter(ref, { type: 'tick' }, 1000);
   * system.cancelTimer(timer);
   */
  sendAfter<P extends Protocol>(ref: ActorRef<P>, msg: InfoMessage<P>, ms: number): TimerRef {
    if (!(ref instanceof Cell)) throw badRef('sendAfter', ref);
    const delay = checkTimeout('sendAfter: ms', ms, { infinity: false });
    const timer = new TimerRef(ref, delay, () => {
      try {
        ref.deliver(new Envelope(INFO, msg));
      } catch (e) {
        this.logger.debug('timer message dropped by a full mailbox', { report: 'timer_dropped', actor: ref.id, reason: String(e) });
      }
    });
    if ((ref.flags & DEAD) === 0) (ref.timers ??= new Set()).add(timer);
    else timer.clear();
    return timer;
  }

  /** Cancels a timer; returns the milliseconds it had left, or false if it already fired or was cancelled. */
  cancelTimer(timer: TimerRef): number | false {
    if (!(timer instanceof TimerRef)) throw new InvalidOptionError('cancelTimer: timer', 'a TimerRef returned by sendAfter', timer);
    return timer.cancel();
  }

  /** @internal */
  reply(cell: Cell, from: unknown, value: unknown): void {
    if (!(from instanceof PendingCall)) throw new InvalidOptionError('from', 'the `from` argument handleCall received', from);
    cell.inflight?.delete(from);
    from.target.inflight?.delete(from);
    from.ok(value);
  }

  // ------------------------------------------------------------------ exits, links, monitors

  /**
   * Sends an exit signal from outside any actor: `'kill'` always kills (reason `killed`);
   * a trapping actor gets an EXIT message; otherwise `'normal'` is ignored and any other
   * reason kills it. Misses on dead actors are no-ops.
   *
   * @example
   * system.exit(ref, 'shutdown');
   */
  exit(ref: ActorRef, reason: ExitReason): void {
    this.exitFrom(null, ref, reason);
  }

  /** @internal */
  exitFrom(from: Cell | null, ref: ActorRef, reason: unknown): void {
    if (!(ref instanceof Cell)) throw badRef('exit', ref);
    // A missing reason is a mistake, not an exit signal: it would kill the target (OTP's exit/2 takes a reason).
    if (reason === undefined) throw new InvalidOptionError('exit: reason', "an exit reason ('normal', 'shutdown', 'kill', an Error or any other value)", reason);
    ref.receiveExit(from, reason, false);
  }

  /**
   * Monitors an actor from outside any actor: `onDown` runs once (in a microtask) when it
   * exits, or at once with `noproc` if it is not alive.
   *
   * @example
   * system.monitor(ref, ({ reason }) => console.log('exited with', reason));
   */
  monitor(ref: ActorRef, onDown: DownCallback): MonitorRef {
    if (!(ref instanceof Cell)) throw badRef('monitor', ref);
    checkFunction('monitor: onDown', onDown, 'a function ({ ref, actor, reason }) => void');
    return addMonitor(onDown as Watcher, ref);
  }

  /** Removes a monitor made with `monitor`; true if it was still active. */
  demonitor(monitor: MonitorRef): boolean {
    if (!(monitor instanceof MonitorRef)) throw new InvalidOptionError('demonitor: monitor', 'a MonitorRef returned by monitor', monitor);
    return demonitor(monitor);
  }

  // ------------------------------------------------------------------ names

  /**
   * Registers a local name for a live actor (one name per actor). Throws `NameTakenError`
   * if a live actor holds it, `AlreadyNamedError` if the actor has a name, `NoProcError`
   * if the actor is dead. The name is released when the actor exits.
   *
   * @example
   * system.register('counter', ref);
   * system.whereis('counter'); // ref
   */
  register<P extends Protocol>(name: NameFor<NoInfer<P>> & string, ref: ActorRef<P>): void;
  register(name: string, ref: ActorRef): void {
    checkLocalName('register: name', name);
    if (!(ref instanceof Cell)) throw badRef('register', ref);
    if ((ref.flags & DEAD) !== 0) throw new NoProcError(ref, 'register');
    const holder = this.#names.get(name);
    if (holder !== undefined) throw new NameTakenError(name, holder);
    if (ref.name !== undefined) throw new AlreadyNamedError(ref, ref.name);
    ref.name = name;
    this.#names.set(name, ref);
  }

  /** Releases a name; returns false if nobody held it. */
  unregister(name: string): boolean {
    if (typeof name !== 'string') throw new InvalidOptionError('unregister: name', 'a string', name);
    const holder = this.#names.get(name);
    if (holder === undefined) return false;
    this.#names.delete(name);
    holder.name = undefined;
    return true;
  }

  /**
   * The live actor registered under `name`, or undefined. A name declared with
   * `defineName<P>` (or a typed registry's `via(key)`) gives an `ActorRef<P>`; a plain
   * string or `via` name an `ActorRef<UnknownProtocol>`, which takes no messages until
   * typed. `whereis<P>('name')` still types it by assertion (unchecked: prefer `defineName`).
   *
   * @example
   * const counterName = defineName<CounterProtocol>('counter');
   * const counter = system.whereis(counterName); // ActorRef<CounterProtocol> | undefined
   */
  whereis<P extends Protocol>(name: TypedName<P> | ViaName<P>): ActorRef<NamedProtocol<P>> | undefined;
  whereis<P extends Protocol = UnknownProtocol>(name: string | ViaName): ActorRef<P> | undefined;
  whereis(name: string | ViaName): ActorRef | undefined {
    if (typeof name === 'string') return this.#names.get(name);
    if (!isViaName(name)) throw new InvalidOptionError('whereis: name', 'a string or via(registry, key)', name);
    return name.via.whereisName(name.key);
  }

  /**
   * Lists a name provider's names (its `keysOf`) in the dump. Registries do it themselves;
   * call it for your own {@link NameProvider}. Returns a function that removes it.
   *
   * @example
   * const remove = system.addNameProvider(myNames);
   */
  addNameProvider(provider: NameProvider): () => void {
    if (typeof provider !== 'object' || provider === null || typeof provider.keysOf !== 'function') {
      throw new InvalidOptionError('provider', 'a NameProvider (label, registerName, unregisterName, whereisName, keysOf)', provider);
    }
    this.nameProviders.add(provider);
    return () => void this.nameProviders.delete(provider);
  }

  /** Every registered name. */
  registered(): string[] {
    return [...this.#names.keys()];
  }

  // ------------------------------------------------------------------ introspection (sys)

  /** True while the actor has not exited. */
  isAlive(ref: ActorRef): boolean {
    if (!(ref instanceof Cell)) throw badRef('isAlive', ref);
    return (ref.flags & DEAD) === 0;
  }

  /** The live actor with this id, or undefined (a scan: for debugging tools, not hot paths). */
  lookup(id: string): ActorRef | undefined {
    if (typeof id !== 'string') throw new InvalidOptionError('lookup: id', "a string (an actor's ref.id)", id);
    return this.#live.find(id);
  }

  /** Every live actor's ref, in start order. */
  actors(): ActorRef[] {
    return this.#live.toArray();
  }

  /** How many actors are alive. */
  get size(): number {
    return this.#live.size;
  }

  /**
   * A synchronous snapshot of an actor: status, mailbox length, links, monitors, parent,
   * trapExit, messages handled. Works on dead actors too (status `dead`, with the reason).
   */
  getStatus(ref: ActorRef): ActorStatus {
    if (!(ref instanceof Cell)) throw badRef('getStatus', ref);
    return statusOf(ref);
  }

  /**
   * The actor's state, read in mailbox order (after the messages sent before; never in the
   * middle of a handler), even while it is suspended.
   */
  getState<S = unknown>(ref: ActorRef, options?: CallOptions): Promise<S> {
    return sysRequest(ref, 'get_state', undefined, options) as Promise<S>;
  }

  /** Replaces the state with `fn(state)` between two messages; resolves with the new state. */
  replaceState<S = unknown>(ref: ActorRef, fn: (state: S) => S, options?: CallOptions): Promise<S> {
    if (typeof fn !== 'function') return Promise.reject(new InvalidOptionError('fn', 'a function (state) => newState', fn));
    return sysRequest(ref, 'replace_state', fn, options) as Promise<S>;
  }

  /** Suspends the actor: it keeps its mailbox but handles only system requests until resumed. */
  suspend(ref: ActorRef, options?: CallOptions): Promise<void> {
    return sysRequest(ref, 'suspend', undefined, options) as Promise<void>;
  }

  /** Resumes a suspended actor. */
  resume(ref: ActorRef, options?: CallOptions): Promise<void> {
    return sysRequest(ref, 'resume', undefined, options) as Promise<void>;
  }

  /**
   * Stops an actor in order: after the messages sent before the stop, `terminate(reason)`
   * runs and it exits with `reason`. Resolves once it is dead; rejects with
   * `CallTimeoutError` if that takes longer than `timeout` (default `Infinity`, as Elixir's
   * `GenServer.stop` / `Supervisor.stop`: a supervisor stopping its children takes as long
   * as their shutdown specs allow; the actor is left running after a timeout, as in OTP),
   * or `NoProcError` if it is not alive.
   *
   * @example
   * await system.stop(ref, 'shutdown');
   */
  stop(ref: ActorRef, reason: ExitReason = 'normal', options?: CallOptions): Promise<void> {
    return stopActor(ref, reason, options);
  }

  // ------------------------------------------------------------------ lifecycle

  /**
   * Stops every actor top down, as OTP's application stop, kills those still alive after
   * `timeout` ms, and refuses new spawns. Resolves when all are dead. The roots (actors with
   * no live parent) are stopped like `system.stop(ref, 'shutdown')`: their `terminate` runs.
   * The others stop from the `shutdown` exit signal of their supervisor or parent: one that
   * traps exits runs `terminate('shutdown')`, one that does not dies of the signal without
   * running `terminate` (as in OTP). Trap exits in an actor whose `terminate` must run at shutdown.
   *
   * @example
   * await system.shutdown({ timeout: 10_000 });
   */
  async shutdown(options?: { timeout?: number }): Promise<void> {
    const timeout = timeoutOf(options); // an async function: a bad timeout rejects
    this.#stopped = true;
    await stopAll(this.#live.toArray().reverse(), timeout);
  }

  /** True once `shutdown` has been called. */
  get stopped(): boolean {
    return this.#stopped;
  }

  /** @internal */
  forget(cell: Cell): void {
    this.#live.remove(cell);
    if (cell.name !== undefined && this.#names.get(cell.name) === cell) this.#names.delete(cell.name);
  }

  /** @internal */
  reportCrash(cell: Cell, reason: unknown): void {
    logCrash(this.logger, cell, reason);
  }

  /** @internal */
  reportTerminateError(cell: Cell, error: unknown): void {
    logTerminateError(this.logger, cell, error);
  }

}

