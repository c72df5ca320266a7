import type { Logger } from 'winston';
import type { BehaviourClass, AnyBehaviour, CallOptions, InitArgOf, ProtocolOf, SpawnedMonitor } from '../behaviour/Behaviour.js';
import type { CallRequest, CastMessage, InfoMessage, Protocol, ReplyOf, UnknownProtocol } from '../actor/Protocol.js';
import type { NamedProtocol, NameFor, TypedName } from '../names/ActorName.js';
import { InvalidOptionError, NoProcError } from '../errors/errors.js';
import type { ExitReason } from '../exit/ExitReason.js';
import { type ActorRef, type ActorStatus, addMonitor, demonitor, isDead, monitorRemote, MonitorRef, RemoteActorRef, type SchedulerOptions, statusOf, stopActor, stopAll, sysRequest, TimerRef, type Watcher } from '../kernel/index.js';
import { createLogger } from '../log/logger.js';
import { isViaName, type NameProvider, type ViaName } from '../names/NameProvider.js';
import type { SpawnOptionsOf } from './SpawnOptions.js';
import { callFrom, castFrom, exitFrom, sendAfterFrom, sendFrom } from './messaging.js';
import { spawnFrom, startOutcome, type Spawned } from './start.js';
import { SystemCore } from './SystemCore.js';
import { checkFunction } from '../validation/function.js';
import { checkLogger } from '../validation/logger.js';
import { checkLocalName } from '../validation/name.js';
import { checkOptions } from '../validation/options.js';
import { asCell, asTarget } from '../validation/ref.js';
import { timeoutOf } from '../validation/timeout.js';
import type { TraceOptions } from '../trace/checkTraceOptions.js';
import { tracesIn, type Trace, type TraceInfo } from '../trace/Trace.js';
import { traceActor } from '../trace/traceActor.js';

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

let readCore: (system: ActorSystem) => SystemCore;

/**
 * The private core of a system: its scheduler, deadlines, live list and names. For core's
 * own layers and tests only; not exported from the package. @internal
 *
 * @example
 * coreOfSystem(system).scheduler.yields; // slices that yielded to the event loop
 */
export function coreOfSystem(system: ActorSystem): SystemCore {
  return readCore(system);
}

/**
 * An actor system: spawns actors, routes their messages on one fair scheduler, and keeps
 * their names, links and monitors. One per process is the default (`defaultSystem()`);
 * tests may run several. A facade: the kernel (the processes), the start protocol and the
 * local names sit behind it, in a private core.
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
  readonly #shutdownHooks = new Set<() => void | Promise<void>>();
  readonly #core: SystemCore;

  static {
    readCore = (system) => system.#core;
  }

  constructor(options: SystemOptions = {}) {
    checkOptions('options', options as SystemOptions | undefined, '{ name?, logger?, scheduler? }');
    if (options.name !== undefined && (typeof options.name !== 'string' || options.name === '')) {
      throw new InvalidOptionError('options.name', 'a non-empty string', options.name);
    }
    this.name = options.name ?? 'arbor';
    this.logger = options.logger === undefined ? createLogger() : checkLogger('options.logger', options.logger);
    this.#core = new SystemCore(this, this.name, this.logger, checkOptions('options.scheduler', options.scheduler, '{ sliceMs?, budget? }') ?? {});
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
    return spawnFrom(this.#core, null, behaviour, arg, options, false, null, false) as Promise<ActorRef<ProtocolOf<B>>>;
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
    return startOutcome(this.#core, behaviour, arg, options);
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
    return (spawnFrom(this.#core, null, behaviour, arg, options, false, onDown as Watcher, true) as Promise<Spawned>).then((r) => ({ ref: r.ref, monitor: r.monitor! }));
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
    return callFrom(null, ref, request, options) as Promise<ReplyOf<P, { type: T }>>;
  }

  /**
   * Casts a message: it never fails (a dead target is a no-op), except that a bounded
   * mailbox with overflow `'reject'` throws `MailboxFullError`.
   *
   * @example
   * system.cast(counter, { type: 'inc', by: 1 });
   */
  cast<P extends Protocol>(ref: ActorRef<P>, msg: CastMessage<P>): void {
    castFrom(ref, msg);
  }

  /**
   * Sends an info message (handled by `handleInfo`). A dead target is a no-op.
   *
   * @example
   * system.send(ref, { type: 'tick' });
   */
  send<P extends Protocol>(ref: ActorRef<P>, msg: InfoMessage<P>): void {
    sendFrom(ref, msg);
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
    return sendAfterFrom(ref, msg, ms);
  }

  /**
   * Cancels a timer; returns the milliseconds it had left, or false if it already fired or was cancelled.
   *
   * @example
   * system.cancelTimer(timer); // 740, or false
   */
  cancelTimer(timer: TimerRef): number | false {
    if (!(timer instanceof TimerRef)) throw new InvalidOptionError('cancelTimer: timer', 'a TimerRef returned by sendAfter', timer);
    return timer.cancel();
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
    exitFrom(null, ref, reason);
  }

  /**
   * Monitors an actor from outside any actor: `onDown` runs once (in a microtask) when it
   * exits, or at once with `noproc` if it is not alive.
   *
   * @example
   * system.monitor(ref, ({ reason }) => console.log('exited with', reason));
   */
  monitor(ref: ActorRef, onDown: DownCallback): MonitorRef {
    const target = asTarget('monitor', ref);
    checkFunction('monitor: onDown', onDown, 'a function ({ ref, actor, reason }) => void');
    return target instanceof RemoteActorRef ? monitorRemote(onDown as Watcher, target, this.logger) : addMonitor(onDown as Watcher, target);
  }

  /**
   * Removes a monitor made with `monitor`; true if it was still active.
   *
   * @example
   * system.demonitor(mref); // true
   */
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
    const cell = asCell('register', ref);
    if (isDead(cell)) throw new NoProcError(cell, 'register');
    this.#core.names.register(name, cell);
  }

  /**
   * Releases a name; returns false if nobody held it.
   *
   * @example
   * system.unregister('counter'); // true
   */
  unregister(name: string): boolean {
    if (typeof name !== 'string') throw new InvalidOptionError('unregister: name', 'a string', name);
    return this.#core.names.unregister(name);
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
    if (typeof name === 'string') return this.#core.names.get(name);
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
    const providers = this.#core.nameProviders;
    providers.add(provider);
    return () => void providers.delete(provider);
  }

  /**
   * The name providers the dump lists (registries, and those added with `addNameProvider`).
   *
   * @example
   * for (const p of system.nameProviders()) console.log(p.label);
   */
  nameProviders(): NameProvider[] {
    return [...this.#core.nameProviders];
  }

  /**
   * Every registered name.
   *
   * @example
   * system.registered(); // ['counter']
   */
  registered(): string[] {
    return this.#core.names.names();
  }

  // ------------------------------------------------------------------ introspection (sys)

  /**
   * True while the actor has not exited.
   *
   * @example
   * system.isAlive(ref); // true
   */
  isAlive(ref: ActorRef): boolean {
    return !isDead(asCell('isAlive', ref));
  }

  /**
   * The live actor with this id, or undefined (a scan: for debugging tools, not hot paths).
   *
   * @example
   * system.lookup(ref.id) === ref; // true while it lives
   */
  lookup(id: string): ActorRef | undefined {
    if (typeof id !== 'string') throw new InvalidOptionError('lookup: id', "a string (an actor's ref.id)", id);
    return this.#core.live.find(id);
  }

  /**
   * Every live actor's ref, in start order.
   *
   * @example
   * system.actors().length === system.size; // true
   */
  actors(): ActorRef[] {
    return this.#core.live.toArray();
  }

  /**
   * Starts a bounded live trace of one actor (OTP's `sys:trace`, with recon_trace's
   * limits): each event (received, handled, replied, sent, spawned, linked, unlinked,
   * monitored, exited) goes to `options.tracer`, synchronously, until `max` events
   * (default 1000), more than `ratePerSec` in one second, `trace.stop()`, the actor's exit,
   * a throwing tracer or a new trace on the same actor. `trace(ref, false)` ends the
   * actor's trace and returns whether it had one. A dead actor throws `NoProcError`.
   *
   * @example
   * const trace = system.trace(ref, { tracer: (e) => console.log(e.seq, e.kind), max: 100, ratePerSec: 50 });
   * system.cast(ref, { type: 'inc', by: 1 });
   * system.trace(ref, false); // true
   * (await trace.ended).reason; // 'stopped'
   */
  trace(ref: ActorRef, options: TraceOptions): Trace;
  trace(ref: ActorRef, options: false): boolean;
  trace(ref: ActorRef, options: TraceOptions | false): Trace | boolean {
    return traceActor(ref, options);
  }

  /**
   * The live traces of this system's actors, oldest first.
   *
   * @example
   * system.traces().map((t) => t.actor.id);
   */
  traces(): TraceInfo[] {
    return tracesIn(this.#core).map((t) => t.info());
  }

  /** How many actors are alive. */
  get size(): number {
    return this.#core.live.size;
  }

  /**
   * A synchronous snapshot of an actor: status, mailbox length, links, monitors, parent,
   * trapExit, messages handled. Works on dead actors too (status `dead`, with the reason).
   *
   * @example
   * system.getStatus(ref).status; // 'waiting'
   */
  getStatus(ref: ActorRef): ActorStatus {
    return statusOf(asCell('getStatus', ref));
  }

  /**
   * The actor's state, read in mailbox order (after the messages sent before; never in the
   * middle of a handler), even while it is suspended.
   *
   * @example
   * const n = await system.getState<number>(counter);
   */
  getState<S = unknown>(ref: ActorRef, options?: CallOptions): Promise<S> {
    return this.#sys(ref, 'get_state', undefined, options) as Promise<S>;
  }

  /**
   * Replaces the state with `fn(state)` between two messages; resolves with the new state.
   *
   * @example
   * await system.replaceState<number>(counter, (n) => n + 1);
   */
  replaceState<S = unknown>(ref: ActorRef, fn: (state: S) => S, options?: CallOptions): Promise<S> {
    if (typeof fn !== 'function') return Promise.reject(new InvalidOptionError('fn', 'a function (state) => newState', fn));
    return this.#sys(ref, 'replace_state', fn, options) as Promise<S>;
  }

  /**
   * Suspends the actor: it keeps its mailbox but handles only system requests until resumed.
   *
   * @example
   * await system.suspend(ref);
   */
  suspend(ref: ActorRef, options?: CallOptions): Promise<void> {
    return this.#sys(ref, 'suspend', undefined, options) as Promise<void>;
  }

  /**
   * Resumes a suspended actor.
   *
   * @example
   * await system.resume(ref);
   */
  resume(ref: ActorRef, options?: CallOptions): Promise<void> {
    return this.#sys(ref, 'resume', undefined, options) as Promise<void>;
  }

  #sys(ref: ActorRef, op: 'get_state' | 'replace_state' | 'suspend' | 'resume', arg: unknown, options: CallOptions | undefined): Promise<unknown> {
    try {
      return sysRequest(asCell(op, ref), op, arg, options);
    } catch (e) {
      return Promise.reject(e);
    }
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
    try {
      return stopActor(asCell('stop', ref), reason, options);
    } catch (e) {
      return Promise.reject(e);
    }
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
    this.#core.stopped = true;
    await stopAll(this.#core.live.toArray().reverse(), timeout);
    for (const hook of [...this.#shutdownHooks].reverse()) {
      this.#shutdownHooks.delete(hook);
      try {
        await hook();
      } catch (e) {
        this.logger.error(`system ${this.name}: a shutdown hook failed: ${String(e)}`, { report: 'shutdown_hook_failed', system: this.name, reason: String(e) });
      }
    }
  }

  /**
   * Runs `hook` at `shutdown()` once every actor has stopped: where a library lets go of what
   * lives beside the actors (a connection, a cluster membership), after the actors' own exits
   * went out. Hooks run one at a time, the last added first, each once; `shutdown` resolves
   * when all have settled. One that throws or rejects is logged (`shutdown_hook_failed`) and
   * the others still run. Returns a function that removes it.
   *
   * @example
   * const off = system.onShutdown(() => connection.close());
   */
  onShutdown(hook: () => void | Promise<void>): () => void {
    if (typeof hook !== 'function') throw new InvalidOptionError('system.onShutdown: hook', 'a function', hook);
    this.#shutdownHooks.add(hook);
    return () => void this.#shutdownHooks.delete(hook);
  }

  /**
   * The scheduler's settings (the defaults filled in): the time slice and per-actor budget.
   *
   * @example
   * system.scheduler; // { sliceMs: 1, budget: 256 }
   */
  get scheduler(): Readonly<Required<SchedulerOptions>> {
    const { sliceMs, budget } = this.#core.scheduler;
    return { sliceMs, budget };
  }

  /** True once `shutdown` has been called. */
  get stopped(): boolean {
    return this.#core.stopped;
  }
}
