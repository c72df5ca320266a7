import type { ExitReason } from '../exit/ExitReason.js';
import type { ActorRef, MonitorRef } from './ActorRef.js';

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

/** The call requests of a protocol. */
export type CallOf<P> = P extends { call: infer C } ? C : never;
/** The cast messages of a protocol. */
export type CastOf<P> = P extends { cast: infer C } ? C : never;
/** The info messages of a protocol (without the system's EXIT and DOWN). */
export type InfoOf<P> = P extends { info: infer I } ? I : never;

/** The type tags of a protocol's call requests. */
export type CallTypeOf<P> = CallOf<P> extends { readonly type: infer T } ? T : never;

/**
 * The request shape `call` takes for type tag `T`: checked against the protocol (so extra
 * or missing fields fail to compile), while `T` picks the reply type.
 */
export type CallRequest<P, T> = CallOf<P> & { readonly type: T };

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
