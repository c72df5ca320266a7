import type { ExitReason } from '../exit/ExitReason.js';
import { type ActorRef, MonitorRef } from '../kernel/index.js';

/** Runtime key of the phantom reply type carried by call requests (types only; never set). */
export const replyType: unique symbol = Symbol('arbor.replyType');

/**
 * A call request: `{ type: T, ...payload }` whose reply is `R`.
 *
 * @example
 * type Get = Call<'get', number>;                  // call(ref, { type: 'get' }) -> Promise<number>
 * type Add = Call<'add', number, { by: number }>;  // call(ref, { type: 'add', by: 2 })
 */
export type Call<T extends string, R, Payload extends object = {}> = { readonly type: T } & Payload & {
  readonly [replyType]?: R;
};

/**
 * What an actor accepts: `call` requests (built with {@link Call}), `cast` messages and
 * `info` messages (sent with `send`). Leave a kind out and sending it fails to compile.
 *
 * @example
 * interface CounterProtocol {
 *   call: Call<'get', number>;
 *   cast: { type: 'inc'; by: number };
 * }
 */
export interface Protocol {
  call?: { readonly type: string };
  cast?: unknown;
  info?: unknown;
}

/**
 * The protocol of a ref whose protocol is not known: a string name looked up with
 * `whereis`, an untyped registry's entries. Nothing can be called, cast or sent to such a
 * ref until it is typed (declare names with `defineName<P>`, registries with their `P`).
 *
 * @example
 * const ref: ActorRef<UnknownProtocol> | undefined = system.whereis('counter');
 */
export type UnknownProtocol = {};

/** The call requests of a protocol. */
export type CallOf<P> = P extends { call: infer C } ? C : never;
/** The cast messages of a protocol. */
export type CastOf<P> = P extends { cast: infer C } ? C : never;
/** The info messages of a protocol (without the system's EXIT and DOWN). */
export type InfoOf<P> = P extends { info: infer I } ? I : never;

/** The `type` tags of a union of messages (never for never). @internal */
type TagsOf<M> = M extends { readonly type: infer T } ? T : never;

/** The type tags of a protocol's call requests (never when it has no calls). */
export type CallTypeOf<P> = TagsOf<CallOf<P>>;

/** The type tags of a protocol's cast messages (never when its casts have no `type`). */
export type CastTypeOf<P> = TagsOf<CastOf<P>>;

/** True for `any` (an untyped ref's protocol). @internal */
type IsAny<P> = 0 extends 1 & P ? true : false;

/**
 * What a call to an actor that takes no calls must be: a sentence (no request has this
 * type), so the compile error says why. A tag that is one of its casts gets a hint.
 */
export type NoCallsError<P, T> = [keyof P] extends [never]
  ? UnknownRefError
  : T extends CastTypeOf<P>
  ? `this actor takes no calls: '${T & string}' is one of its casts, send it with cast(ref, msg)`
  : "this actor takes no calls (its Protocol has no `call`)";

/**
 * The `type` a call request may have: `T` itself when the protocol accepts it, else the
 * accepted tags, so a wrong tag fails with them listed
 * (`Type '"nope"' is not assignable to type '"get" | "add"'`).
 */
export type CallTag<P, T> = IsAny<P> extends true ? T : [CallOf<P>] extends [never] ? T : T extends CallTypeOf<P> ? T : CallTypeOf<P>;

/**
 * The request shape `call` takes for type tag `T`: checked against the protocol (so extra
 * or missing fields fail to compile), while `T` picks the reply type. A tag the protocol
 * does not accept fails to compile with the accepted tags listed; a call to an actor with
 * no calls fails with {@link NoCallsError}.
 *
 * @example
 * const req: CallRequest<CounterProtocol, 'add'> = { type: 'add', by: 2 };
 */
export type CallRequest<P, T> = ([CallOf<P>] extends [never] ? NoCallsError<P, T> : CallOf<P>) & { readonly type: CallTag<P, T> };

/**
 * What `cast(ref, msg)` takes: the protocol's cast messages, or (for an actor that takes
 * no casts) a sentence saying so, so the compile error names the problem.
 *
 * @example
 * const msg: CastMessage<CounterProtocol> = { type: 'inc', by: 1 };
 */
export type CastMessage<P> = [CastOf<P>] extends [never] ? ([keyof P] extends [never] ? UnknownRefError : "this actor takes no casts (its Protocol has no `cast`)") : CastOf<P>;

/**
 * What `send(ref, msg)` takes: the protocol's info messages, or (for an actor that takes
 * no info messages) a sentence saying so, so the compile error names the problem.
 *
 * @example
 * const msg: InfoMessage<CounterProtocol> = { type: 'tick' };
 */
export type InfoMessage<P> = [InfoOf<P>] extends [never] ? ([keyof P] extends [never] ? UnknownRefError : "this actor takes no info messages (its Protocol has no `info`)") : InfoOf<P>;

/** What a message to a ref of {@link UnknownProtocol} must be: a sentence saying how to type the ref. @internal */
type UnknownRefError = "this ref's protocol is unknown (a plain string or via name, an untyped registry): declare the name with defineName<P>(name), or give the registry its protocol";

/** The reply type of request `Q` in protocol `P`: what `call` resolves to. */
export type ReplyOf<P, Q> = Q extends { readonly type: infer T }
  ? Extract<CallOf<P>, { readonly type: T }> extends { readonly [replyType]?: infer R }
    ? R
    : never
  : never;

/** Every reply type of protocol `P`: what `handleCall` may return. */
export type AnyReplyOf<P> = CallOf<P> extends infer C ? (C extends { readonly [replyType]?: infer R } ? R : never) : never;

/** The message a trapping actor receives when a linked actor exits, or `exit(ref, reason)` is sent to it. */
export interface ExitMessage {
  readonly type: 'EXIT';
  /** The linked actor that exited, or the sender of `exit()`; undefined when sent from outside any actor. */
  readonly from: ActorRef | undefined;
  readonly reason: ExitReason;
}

/** The message a monitoring actor receives, once, when the monitored actor exits (or did not exist: `noproc`). */
export interface DownMessage {
  readonly type: 'DOWN';
  readonly ref: MonitorRef;
  readonly actor: ActorRef;
  readonly reason: ExitReason;
}

/** Info messages the runtime itself delivers. */
export type SystemInfo = ExitMessage | DownMessage;
