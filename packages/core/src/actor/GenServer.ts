import type { Logger } from 'winston';
import { InvalidOptionError, UnhandledMessageError } from '../errors/errors.js';
import type { ExitReason } from '../exit/ExitReason.js';
import type { ActorSystem, StartResult } from '../system/ActorSystem.js';
import { demonitorFrom, link, monitorFrom, unlink } from '../system/signals.js';
import type { SpawnOptions } from '../system/SpawnOptions.js';
import type { TimerRef } from '../system/TimerRef.js';
import type { ActorRef, MonitorRef } from './ActorRef.js';
import { protocolType } from './ActorRef.js';
import type { Cell } from './Cell.js';
import { CONTINUE, STOP_REQUESTED, TRAP_EXIT } from './flags.js';
import type { AnyReplyOf, CallOf, CallRequest, CastOf, InfoOf, Protocol, ReplyOf, SystemInfo } from './Protocol.js';

/**
 * Return it from `handleCall` to reply later with `this.reply(from, value)`.
 *
 * @example
 * handleCall(req, from) { this.waiting.push(from); return noReply; }
 */
export const noReply: unique symbol = Symbol('arbor.noReply');
/** The type of {@link noReply}. */
export type NoReply = typeof noReply;

/**
 * Return it from `init` to decline to start (OTP's `ignore`).
 *
 * @example
 * init(cfg) { if (!cfg.enabled) return ignore; }
 */
export const ignore: unique symbol = Symbol('arbor.ignore');
/** The type of {@link ignore}. */
export type Ignore = typeof ignore;

/**
 * Opaque handle on a caller waiting for a reply of type `R`. Answer it once with
 * `this.reply(from, value)`; later answers, and answers after the caller's timeout, are dropped.
 */
export interface From<R = unknown> {
  readonly __replyType?: (reply: R) => void;
}

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

/** The shape every behaviour instance has (a GenServer subclass, checked at spawn). */
export interface AnyBehaviour {
  state: any;
  init(arg: any): unknown;
  handleCall(request: any, from: any): unknown;
  handleCast(msg: any): unknown;
  handleInfo(msg: any): unknown;
  handleContinue(arg: any): unknown;
  terminate(reason: any): unknown;
}

/** A behaviour class: constructed with no arguments; `init(arg)` receives the start argument. */
export type BehaviourClass<B extends AnyBehaviour = AnyBehaviour> = new () => B;

/** The protocol of a behaviour instance type. */
export type ProtocolOf<B> = B extends { readonly [protocolType]?: infer P } ? (P extends Protocol ? P : never) : never;

/** The start argument of a behaviour instance type (the parameter of its `init`). */
export type InitArgOf<B> = B extends { init(arg: infer A): unknown } ? A : void;

let attachCell: (b: GenServer<any, any, any>, cell: Cell) => void;
/** Ties a behaviour instance to its cell. @internal */
export function attach(b: AnyBehaviour, cell: Cell): void {
  attachCell(b as GenServer<any, any, any>, cell);
}

/**
 * The gen_server behaviour: subclass it, keep your state in `this.state`, and handle
 * messages one at a time. Handlers may be sync or async; an async handler finishes
 * before the next message starts. Context methods (`this.self`, `this.stop()`,
 * `this.reply()`, `this.link()`, `this.monitor()`, ...) act on the running actor.
 *
 * @typeParam P - the protocol: what the actor accepts (see {@link Protocol})
 * @typeParam S - the state type
 * @typeParam A - the start argument passed to `init`
 *
 * @example
 * interface CounterProtocol { call: Call<'get', number>; cast: { type: 'inc'; by: number } }
 * class Counter extends GenServer<CounterProtocol, number, number> {
 *   override init(start: number) { this.state = start; }
 *   override handleCast(msg: { type: 'inc'; by: number }) { this.state += msg.by; }
 *   override handleCall(_req: { type: 'get' }) { return this.state; }
 * }
 */
export abstract class GenServer<P extends Protocol = {}, S = undefined, A = void> {
  declare readonly [protocolType]?: P;

  /** The actor's state. Read and replace it with `getState` / `replaceState` from outside. */
  state!: S;

  #cell: Cell | undefined;

  static {
    attachCell = (b, cell) => {
      b.#cell = cell;
    };
  }

  #ownCell(): Cell {
    const c = this.#cell;
    if (c === undefined) throw new InvalidOptionError('this', 'a started actor (spawn the behaviour; do not call `new` on it)', this);
    return c;
  }

  // ----------------------------------------------------------------- callbacks

  /** Sets up the state. Throw (or reject) to fail the start; return `ignore` to decline it. */
  init(_arg: A): void | Ignore | Promise<void | Ignore> {}

  /** Answers a call: return the reply (or a promise of it), or `noReply` and answer later. */
  handleCall(request: CallOf<P>, _from: From<AnyReplyOf<P>>): AnyReplyOf<P> | NoReply | Promise<AnyReplyOf<P> | NoReply> {
    throw new UnhandledMessageError(this.constructor.name, 'call', request);
  }

  /** Handles a cast. */
  handleCast(msg: CastOf<P>): void | Promise<void> {
    throw new UnhandledMessageError(this.constructor.name, 'cast', msg);
  }

  /** Handles anything else: messages from `send`, timers, and EXIT / DOWN messages. The default logs and drops them. */
  handleInfo(msg: InfoOf<P> | SystemInfo): void | Promise<void> {
    const cell = this.#ownCell();
    cell.system.logger.warn('unexpected info message dropped', {
      report: 'unexpected_info',
      actor: cell.id,
      behaviour: cell.kind,
      message: typeof msg === 'object' && msg !== null && 'type' in msg ? String((msg as { type: unknown }).type) : typeof msg,
    });
  }

  /** Runs after a handler called `this.continue(arg)`, before the next message. */
  handleContinue(arg: unknown): void | Promise<void> {
    throw new UnhandledMessageError(this.constructor.name, 'continue', arg);
  }

  /**
   * Runs before the actor exits after `this.stop()`, a handler crash or `stop(ref)`;
   * on an exit signal only when trapping exits and the signal comes from the parent.
   */
  terminate(_reason: ExitReason): void | Promise<void> {}

  // ----------------------------------------------------------------- context

  /** This actor's ref. */
  get self(): ActorRef<P> {
    return this.#ownCell();
  }

  /** The system this actor runs in. */
  get system(): ActorSystem {
    return this.#ownCell().system;
  }

  /** The system's winston logger. */
  get logger(): Logger {
    return this.#ownCell().system.logger;
  }

  /** Stops the actor after the current handler returns (and after its reply is sent). */
  stop(reason: ExitReason = 'normal'): void {
    const cell = this.#ownCell();
    cell.stopReason = reason;
    cell.flags |= STOP_REQUESTED;
  }

  /** Runs `handleContinue(arg)` after the current handler, before the next message. */
  continue(arg?: unknown): void {
    const cell = this.#ownCell();
    cell.continueArg = arg;
    cell.flags |= CONTINUE;
  }

  /** Answers a call whose handler returned `noReply`. */
  reply<R>(from: From<R>, value: R): void {
    this.#ownCell().system.reply(this.#ownCell(), from, value);
  }

  /** Turns exit trapping on or off: while on, exit signals arrive as EXIT info messages. */
  trapExit(on: boolean): void {
    const cell = this.#ownCell();
    if (on) cell.flags |= TRAP_EXIT;
    else cell.flags &= ~TRAP_EXIT;
  }

  /** Links this actor to another (both ways). Linking to a dead actor delivers `noproc` at once. */
  link(ref: ActorRef): void {
    link(this.#ownCell(), ref);
  }

  /** Removes a link (both ways). */
  unlink(ref: ActorRef): void {
    unlink(this.#ownCell(), ref);
  }

  /** Monitors another actor: a DOWN message arrives once when it exits (at once, `noproc`, if it is dead). */
  monitor(ref: ActorRef): MonitorRef {
    return monitorFrom(this.#ownCell(), ref);
  }

  /** Removes a monitor; with `flush`, also drops its DOWN message if already queued. */
  demonitor(monitor: MonitorRef, options?: { flush?: boolean }): boolean {
    return demonitorFrom(this.#ownCell(), monitor, options?.flush === true);
  }

  /** Starts an actor (not linked). */
  spawn<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptions): Promise<ActorRef<ProtocolOf<B>>> {
    return this.#ownCell().system.spawnFrom(null, behaviour, arg, options, false, false).then((r) => r.ref as ActorRef<ProtocolOf<B>>);
  }

  /** Starts an actor linked to this one; this actor becomes its parent. */
  spawnLink<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptions): Promise<ActorRef<ProtocolOf<B>>> {
    return this.#ownCell().system.spawnFrom(this.#ownCell(), behaviour, arg, options, true, false).then((r) => r.ref as ActorRef<ProtocolOf<B>>);
  }

  /**
   * Starts an actor linked to this one and returns OTP's start outcome as a value
   * (`ok` with the ref, `ignore`, or `error` with the reason) instead of rejecting.
   *
   * @example
   * const r = await this.startLink(Worker, cfg);
   * if (r.status === 'error') this.logger.warn('worker did not start', { reason: String(r.reason) });
   */
  startLink<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptions): Promise<StartResult<ProtocolOf<B>>> {
    return this.#ownCell().system.startFrom(this.#ownCell(), behaviour, arg, options) as Promise<StartResult<ProtocolOf<B>>>;
  }

  /** Starts an actor and monitors it. */
  spawnMonitor<B extends AnyBehaviour>(
    behaviour: BehaviourClass<B>,
    arg: InitArgOf<B>,
    options?: SpawnOptions,
  ): Promise<SpawnedMonitor<ProtocolOf<B>>> {
    return this.#ownCell()
      .system.spawnFrom(this.#ownCell(), behaviour, arg, options, false, true)
      .then((r) => ({ ref: r.ref as ActorRef<ProtocolOf<B>>, monitor: r.monitor! }));
  }

  /** Sends an exit signal to an actor, from this one. */
  exit(ref: ActorRef, reason: ExitReason): void {
    this.#ownCell().system.exitFrom(this.#ownCell(), ref, reason);
  }

  /** Calls another actor and awaits its reply. Calling yourself rejects with `CallSelfError`. */
  call<Q extends Protocol, T extends string>(ref: ActorRef<Q>, request: CallRequest<Q, T>, options?: CallOptions): Promise<ReplyOf<Q, { type: T }>> {
    return this.#ownCell().system.callFrom(this.#ownCell(), ref, request, options) as Promise<ReplyOf<Q, { type: T }>>;
  }

  /** Casts to another actor (or to yourself). */
  cast<Q extends Protocol>(ref: ActorRef<Q>, msg: CastOf<Q>): void {
    (ref as unknown as Cell).cast(msg);
  }

  /** Sends an info message. */
  send<Q extends Protocol>(ref: ActorRef<Q>, msg: InfoOf<Q>): void {
    this.#ownCell().system.send(ref, msg);
  }

  /** Sends `msg` as an info message to this actor after `ms` milliseconds; cancel it with `cancelTimer`. */
  sendAfter(msg: InfoOf<P>, ms: number): TimerRef {
    return this.#ownCell().system.sendAfter(this.#ownCell(), msg, ms);
  }

  /** Cancels a timer; returns the milliseconds it had left, or false if it already fired or was cancelled. */
  cancelTimer(timer: TimerRef): number | false {
    return timer.cancel();
  }
}

/** The protocol of a ref type. */
export type RefProtocol<R> = R extends ActorRef<infer P> ? P : never;
