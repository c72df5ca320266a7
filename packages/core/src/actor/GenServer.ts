import type { ActorRef, From, Ignore, NoReply } from '../kernel/index.js';
import { Behaviour } from '../behaviour/Behaviour.js';
import { UnhandledMessageError } from '../errors/errors.js';
import type { ExitReason } from '../exit/ExitReason.js';
import type { CallHandlers } from './CallHandlers.js';
import type { AnyReplyOf, CallOf, CastOf, InfoOf, Protocol, SystemInfo } from './Protocol.js';

export { ignore, noReply, type From, type Ignore, type NoReply } from '../kernel/index.js';
export type { AnyBehaviour, BehaviourClass, InitArgOf, ProtocolOf } from '../behaviour/Behaviour.js';
export type { CallOptions, SpawnedMonitor } from '../behaviour/Behaviour.js';
export type { CallHandler, CallHandlers } from './CallHandlers.js';

/**
 * The gen_server behaviour: subclass it, keep your state in `this.state`, and handle
 * messages one at a time. Handlers may be sync or async; an async handler finishes
 * before the next message starts. Context methods (`this.self`, `this.stop()`,
 * `this.reply()`, `this.link()`, `this.monitor()`, ...) act on the running actor.
 *
 * GenServer is one behaviour kind built on {@link Behaviour}, the extension API: its
 * hooks forward each message to the gen_server callbacks below.
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
export abstract class GenServer<P extends Protocol = {}, S = undefined, A = void> extends Behaviour<P, S, A> {
  /** The callbacks spawn checks are methods (see `Behaviour.callbacks`). */
  static override readonly callbacks: readonly string[] = ['init', 'handleCall', 'handleCast', 'handleInfo', 'handleContinue', 'terminate'];

  // ------------------------------------------------------- hooks (the loop calls these)

  /** The loop's hook: forwards to `init` (override that, not this). */
  override onInit(arg: A): void | Ignore | Promise<void | Ignore> {
    return this.init(arg);
  }

  /** The loop's hook: forwards to `handleCall` (override that, not this). */
  override onCall(request: CallOf<P>, from: From): unknown {
    return this.handleCall(request, from);
  }

  /** The loop's hook: forwards to `handleCast` (override that, not this). */
  override onCast(msg: CastOf<P>): void | Promise<void> {
    return this.handleCast(msg);
  }

  /** The loop's hook: forwards to `handleInfo` (override that, not this). */
  override onInfo(msg: InfoOf<P> | SystemInfo): void | Promise<void> {
    return this.handleInfo(msg);
  }

  /** The loop's hook: forwards to `handleContinue` (override that, not this). */
  override onContinue(arg: unknown): void | Promise<void> {
    return this.handleContinue(arg);
  }

  /** The loop's hook: forwards to `terminate` (override that, not this). */
  override onTerminate(reason: ExitReason): void | Promise<void> {
    return this.terminate(reason);
  }

  // ----------------------------------------------------------------- callbacks

  /**
   * The calls as one handler per request tag, instead of overriding `handleCall`: each
   * handler must return its own request's reply (a wrong reply, or a missing tag, fails to
   * compile), where `handleCall` may return any of the protocol's replies. Used only when
   * `handleCall` is not overridden.
   *
   * @example
   * override readonly calls: CallHandlers<CounterProtocol> = {
   *   get: () => this.state,
   *   add: (req) => (this.state += req.by),
   * };
   */
  declare readonly calls?: CallHandlers<P>;

  /** Sets up the state. Throw (or reject) to fail the start; return `ignore` to decline it. */
  init(_arg: A): void | Ignore | Promise<void | Ignore> {}

  /**
   * Answers a call: return the reply (or a promise of it), or `noReply` and answer later.
   * The default runs the request's handler in {@link GenServer.calls}, if there is one.
   */
  handleCall(request: CallOf<P>, from: From<AnyReplyOf<P>>): AnyReplyOf<P> | NoReply | Promise<AnyReplyOf<P> | NoReply> {
    const calls = this.calls as Readonly<Record<string, (request: unknown, from: unknown) => AnyReplyOf<P> | NoReply>> | undefined;
    const type = typeof request === 'object' && request !== null ? (request as { readonly type?: unknown }).type : undefined;
    if (calls !== undefined && typeof type === 'string' && Object.hasOwn(calls, type)) return calls[type]!(request, from);
    throw new UnhandledMessageError(this.constructor.name, 'call', request, calls === undefined ? undefined : `calls[${JSON.stringify(type)}]`);
  }

  /** Handles a cast. */
  handleCast(msg: CastOf<P>): void | Promise<void> {
    throw new UnhandledMessageError(this.constructor.name, 'cast', msg);
  }

  /** Handles anything else: messages from `send`, timers, and EXIT / DOWN messages. The default logs and drops them. */
  handleInfo(msg: InfoOf<P> | SystemInfo): void | Promise<void> {
    this.dropUnexpected(msg);
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
}

/** The protocol of a ref type. */
export type RefProtocol<R> = R extends ActorRef<infer P> ? P : never;
