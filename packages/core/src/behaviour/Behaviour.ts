import type { Logger } from 'winston';
import type { CallOf, CallRequest, CastMessage, CastOf, InfoMessage, InfoOf, Protocol, ReplyOf, SystemInfo } from '../actor/Protocol.js';
import { InvalidOptionError, UnhandledMessageError } from '../errors/errors.js';
import type { ExitReason } from '../exit/ExitReason.js';
import { type ActorRef, behaviourBrand, type Cell, demonitorFrom, type From, hostOf, type Ignore, link, linkRemote, monitorFrom, monitorRemote, MonitorRef, protocolType, RemoteActorRef, replyTo, requestContinue, requestStop, setTrapExit, TimerRef, unlink, unlinkRemote } from '../kernel/index.js';
import type { ActorSystem, StartResult } from '../system/ActorSystem.js';
import { callFrom, castFrom, exitFrom, sendAfterFrom, sendFrom } from '../system/messaging.js';
import type { SpawnOptionsOf } from '../system/SpawnOptions.js';
import { spawnFrom, startFrom, type Spawned } from '../system/start.js';
import { coreOf } from '../system/SystemCore.js';
import { checkOptions } from '../validation/options.js';
import { asTarget } from '../validation/ref.js';
import { setAttacher } from './attach.js';
import type { StatusDetails } from './StatusDetails.js';

/** Options of `call`. */
export interface CallOptions {
  /** Milliseconds to wait for the reply (default 5000); `Infinity` waits forever. */
  readonly timeout?: number;
}

/** What `spawnMonitor` returns: the new actor and the monitor on it. */
export interface SpawnedMonitor<P extends Protocol> {
  readonly ref: ActorRef<P>;
  readonly monitor: MonitorRef;
}

/** The shape every behaviour instance has (a {@link Behaviour} subclass, checked at spawn). */
export interface AnyBehaviour {
  state: any;
  onInit(arg: any): unknown;
  onCall(request: any, from: any): unknown;
  onCast(msg: any): unknown;
  onInfo(msg: any): unknown;
  onContinue(arg: any): unknown;
  onTerminate(reason: any): unknown;
  formatStatus(): StatusDetails | undefined;
}

/** A behaviour class: constructed with no arguments; `onInit(arg)` receives the start argument. */
export type BehaviourClass<B extends AnyBehaviour = AnyBehaviour> = new () => B;

/** The protocol of a behaviour instance type. */
export type ProtocolOf<B> = B extends { readonly [protocolType]?: infer P } ? (P extends Protocol ? P : never) : never;

/** The start argument of a behaviour instance type: the parameter of its `init` (GenServer) or of its `onInit` hook. */
export type InitArgOf<B> = B extends { init(arg: infer A): unknown } ? A : B extends { onInit(arg: infer A): unknown } ? A : void;

/** Reads a behaviour instance's `#cell` (installed by `Behaviour`'s static block); undefined for anything else. */
let cellOfInstance: (value: object) => Cell | undefined;

/**
 * The actor a behaviour instance runs as, and its system: what `this.self` and
 * `this.system` answer, for a library that takes the calling actor explicitly (as ets
 * does: `Ets.create(this, ...)`). Only a started instance of a {@link Behaviour} subclass
 * answers: a lookalike object, an overriding `self` getter, an instance made with `new` and
 * never spawned give `undefined`. The one supported way to get "the calling actor" from a
 * value; `currentActor()` is the other, for code that gets no `this`.
 *
 * @example
 * function ownerOf(ctx: unknown): ActorRef {
 *   const c = behaviourContext(ctx);
 *   if (c === undefined) throw new TypeError('pass `this` from a handler');
 *   return c.self;
 * }
 */
export function behaviourContext(value: unknown): BehaviourContext | undefined {
  if (typeof value !== 'object' || value === null) return undefined;
  const cell = cellOfInstance(value);
  return cell === undefined ? undefined : { self: cell, system: coreOf(cell).facade };
}

/** What {@link behaviourContext} answers: the actor a behaviour instance runs as, and its system. */
export interface BehaviourContext {
  readonly self: ActorRef;
  readonly system: ActorSystem;
}

/**
 * The extension API: the base every behaviour kind is built on (OTP's proc_lib + sys +
 * the gen loop). The runtime delivers each message to one hook, one at a time, and waits
 * for a hook that returns a promise before the next message. Subclass it to define a new
 * behaviour kind with its own callbacks and protocol: `GenServer` is one such subclass,
 * the supervisors, `Agent` and `Task` are others.
 *
 * Hooks (override the ones your kind needs):
 * - `onInit(arg)`: set up; throw to fail the start, return `ignore` to decline it.
 * - `onCall(request, from)`: return the reply (or a promise of it), or `noReply` and
 *   answer later with `this.reply(from, value)`.
 * - `onCast(msg)`, `onInfo(msg)`: `onInfo` also receives the runtime's EXIT (while
 *   trapping exits) and DOWN messages, and timer messages from `sendAfter`.
 * - `onContinue(arg)`: runs after a hook called `this.continue(arg)`, before the next message.
 * - `onTerminate(reason)`: runs before the actor exits after a stop or a crash.
 * - `formatStatus()`: a few key/values `getStatus` and the dump show (OTP's format_status).
 *
 * A hook that throws or rejects crashes the actor: its links and monitors are told, and a
 * supervisor restarts it. `state` is what `getState`/`replaceState` read and write.
 *
 * @typeParam P - the protocol: what the actor accepts (see {@link Protocol})
 * @typeParam S - the state type
 * @typeParam A - the start argument passed to `onInit`
 *
 * @example
 * // A behaviour kind that answers every call with how many messages it has seen.
 * interface SeenProtocol { call: Call<'seen', number>; cast: { type: 'note' } }
 * class Seen extends Behaviour<SeenProtocol, number> {
 *   override onInit() { this.state = 0; }
 *   override onCast() { this.state++; }
 *   override onCall() { return this.state; }
 *   override formatStatus() { return { seen: this.state }; }
 * }
 */
export abstract class Behaviour<P extends Protocol = {}, S = undefined, A = void> {
  declare readonly [protocolType]?: P;

  /**
   * The names of the callbacks this behaviour kind calls on its users' subclasses: spawn
   * checks, once per class, that each is a method (so a typo'd field fails at spawn with
   * the name, not at the first message). The hooks themselves are always checked.
   */
  static readonly callbacks: readonly string[] = [];

  /** The actor's state, as `getState` / `replaceState` read and replace it from outside. */
  state!: S;

  #cell: Cell | undefined;

  static {
    setAttacher((b, cell) => {
      (b as Behaviour<any, any, any>).#cell = cell;
    });
    cellOfInstance = (value) => (#cell in value ? (value as Behaviour<any, any, any>).#cell : undefined);
    // How the start protocol tells a behaviour class without importing this one.
    Object.defineProperty(Behaviour.prototype, behaviourBrand, { value: true });
  }

  #ownCell(): Cell {
    const c = this.#cell;
    if (c === undefined) throw new InvalidOptionError('this', 'a started actor (spawn the behaviour; do not call `new` on it)', this);
    return c;
  }

  // ----------------------------------------------------------------- hooks

  /** Sets up the actor. Throw (or reject) to fail the start; return `ignore` to decline it. */
  onInit(_arg: A): void | Ignore | Promise<void | Ignore> {}

  /** Answers a call: return the reply (or a promise of it), or `noReply` and answer later with `reply`. */
  onCall(request: CallOf<P>, _from: From): unknown {
    throw new UnhandledMessageError(this.constructor.name, 'call', request, 'onCall');
  }

  /** Handles a cast. */
  onCast(msg: CastOf<P>): void | Promise<void> {
    throw new UnhandledMessageError(this.constructor.name, 'cast', msg, 'onCast');
  }

  /** Handles info messages: `send`, timers, and the runtime's EXIT / DOWN. The default logs and drops them. */
  onInfo(msg: InfoOf<P> | SystemInfo): void | Promise<void> {
    this.dropUnexpected(msg);
  }

  /** Runs after a hook called `this.continue(arg)`, before the next message. */
  onContinue(arg: unknown): void | Promise<void> {
    throw new UnhandledMessageError(this.constructor.name, 'continue', arg, 'onContinue');
  }

  /**
   * Runs before the actor exits after `stop`, a crash or `system.stop(ref)`; on an exit
   * signal only when trapping exits and the signal comes from the parent.
   */
  onTerminate(_reason: ExitReason): void | Promise<void> {}

  /**
   * A few key/values describing the actor for `getStatus` (`details`) and the dump (OTP's
   * `format_status`). Called synchronously, between or during messages: keep it cheap and
   * side-effect free. Undefined (the default) shows nothing; a throw shows `formatStatusError`.
   *
   * @example
   * override formatStatus() { return { state: this.state.mode, failures: this.state.failures }; }
   */
  formatStatus(): StatusDetails | undefined {
    return undefined;
  }

  /** Logs an info message the behaviour does not handle, and drops it (what `onInfo` does by default). */
  protected dropUnexpected(msg: unknown): void {
    const cell = this.#ownCell();
    hostOf(cell).logger.warn('unexpected info message dropped', {
      report: 'unexpected_info',
      actor: cell.id,
      behaviour: cell.kind,
      message: typeof msg === 'object' && msg !== null && 'type' in msg ? String((msg as { type: unknown }).type) : typeof msg,
    });
  }

  // ----------------------------------------------------------------- context

  /** This actor's ref. */
  get self(): ActorRef<P> {
    return this.#ownCell();
  }

  /** The system this actor runs in. */
  get system(): ActorSystem {
    return coreOf(this.#ownCell()).facade;
  }

  /** The system's winston logger. */
  get logger(): Logger {
    return hostOf(this.#ownCell()).logger;
  }

  /**
   * Stops the actor with `reason`: `onTerminate(reason)` runs, then it exits. Called from a
   * hook, it takes effect after the hook returns (and after its reply is sent); called from
   * anywhere else (a timer, a promise callback), after the message being handled. A reason
   * other than `normal`, `shutdown` or `{ shutdown }` is a crash (reported, and restarted by
   * a supervisor).
   */
  stop(reason: ExitReason = 'normal'): void {
    requestStop(this.#ownCell(), reason);
  }

  /** Runs `onContinue(arg)` after the current hook, before the next message. */
  continue(arg?: unknown): void {
    requestContinue(this.#ownCell(), arg);
  }

  /** Answers a call whose hook returned `noReply`. Answers after the first, or after the caller's timeout, are dropped. */
  reply<R>(from: From<R>, value: R): void {
    replyTo(this.#ownCell(), from, value);
  }

  /** Turns exit trapping on or off: while on, exit signals arrive as EXIT info messages. */
  trapExit(on: boolean): void {
    const cell = this.#ownCell();
    if (typeof on !== 'boolean') throw new InvalidOptionError('trapExit: on', 'a boolean', on);
    setTrapExit(cell, on);
  }

  /** Links this actor to another (both ways). Linking to a dead actor delivers `noproc` at once. */
  link(ref: ActorRef): void {
    const own = this.#ownCell();
    const target = asTarget('link', ref);
    if (target instanceof RemoteActorRef) linkRemote(own, target);
    else link(own, target);
  }

  /** Removes a link (both ways). */
  unlink(ref: ActorRef): void {
    const own = this.#ownCell();
    const target = asTarget('unlink', ref);
    if (target instanceof RemoteActorRef) unlinkRemote(own, target);
    else unlink(own, target);
  }

  /** Monitors another actor: a DOWN message arrives once when it exits (at once, `noproc`, if it is dead). */
  monitor(ref: ActorRef): MonitorRef {
    const own = this.#ownCell();
    const target = asTarget('monitor', ref);
    return target instanceof RemoteActorRef ? monitorRemote(own, target, hostOf(own).logger) : monitorFrom(own, target);
  }

  /** Removes a monitor; with `flush`, also drops its DOWN message if already queued. */
  demonitor(monitor: MonitorRef, options?: { flush?: boolean }): boolean {
    checkOptions('demonitor: options', options, '{ flush? }');
    return demonitorFrom(this.#ownCell(), monitor, options?.flush === true);
  }

  /** Starts an actor (not linked). */
  spawn<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<ActorRef<ProtocolOf<B>>> {
    const cell = this.#ownCell();
    return spawnFrom(coreOf(cell), null, behaviour, arg, options, false, null, false) as Promise<ActorRef<ProtocolOf<B>>>;
  }

  /** Starts an actor linked to this one; this actor becomes its parent. */
  spawnLink<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<ActorRef<ProtocolOf<B>>> {
    const cell = this.#ownCell();
    return spawnFrom(coreOf(cell), cell, behaviour, arg, options, true, null, false) as Promise<ActorRef<ProtocolOf<B>>>;
  }

  /**
   * Starts an actor linked to this one and returns OTP's start outcome as a value
   * (`ok` with the ref, `ignore`, or `error` with the reason) instead of rejecting.
   *
   * @example
   * const r = await this.startLink(Worker, cfg);
   * if (r.status === 'error') this.logger.warn('worker did not start', { reason: String(r.reason) });
   */
  startLink<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<StartResult<ProtocolOf<B>>> {
    const cell = this.#ownCell();
    return startFrom(coreOf(cell), cell, behaviour, arg, options) as Promise<StartResult<ProtocolOf<B>>>;
  }

  /** Starts an actor and monitors it. */
  spawnMonitor<B extends AnyBehaviour>(
    behaviour: BehaviourClass<B>,
    arg: InitArgOf<B>,
    options?: SpawnOptionsOf<NoInfer<B>>,
  ): Promise<SpawnedMonitor<ProtocolOf<B>>> {
    const cell = this.#ownCell();
    return (spawnFrom(coreOf(cell), cell, behaviour, arg, options, false, cell, true) as Promise<Spawned>).then((r) => ({
      ref: r.ref as ActorRef<ProtocolOf<B>>,
      monitor: r.monitor!,
    }));
  }

  /** Sends an exit signal to an actor, from this one. */
  exit(ref: ActorRef, reason: ExitReason): void {
    exitFrom(this.#ownCell(), ref, reason);
  }

  /** Calls another actor and awaits its reply. Calling yourself rejects with `CallSelfError`. */
  call<Q extends Protocol, const T extends string>(ref: ActorRef<Q>, request: CallRequest<Q, T>, options?: CallOptions): Promise<ReplyOf<Q, { type: T }>> {
    return callFrom(this.#ownCell(), ref, request, options) as Promise<ReplyOf<Q, { type: T }>>;
  }

  /** Casts to another actor (or to yourself). */
  cast<Q extends Protocol>(ref: ActorRef<Q>, msg: CastMessage<Q>): void {
    castFrom(ref, msg);
  }

  /** Sends an info message. */
  send<Q extends Protocol>(ref: ActorRef<Q>, msg: InfoMessage<Q>): void {
    sendFrom(ref, msg);
  }

  /** Sends `msg` as an info message to this actor after `ms` milliseconds; cancel it with `cancelTimer`. */
  sendAfter(msg: InfoOf<P>, ms: number): TimerRef {
    return sendAfterFrom(this.#ownCell(), msg, ms);
  }

  /** Cancels a timer; returns the milliseconds it had left, or false if it already fired or was cancelled. */
  cancelTimer(timer: TimerRef): number | false {
    return coreOf(this.#ownCell()).facade.cancelTimer(timer);
  }
}
