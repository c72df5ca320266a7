import type { From, NoReply } from '../kernel/index.js';
import type { CallOf, CallTypeOf, ReplyOf } from './Protocol.js';

/**
 * The handler of one call request of protocol `P`, tag `T`: it gets that request (narrowed
 * to its payload) and must return that request's reply, a promise of it, or `noReply`
 * (then answer later with `this.reply(from, value)`, `from` typed by the same reply).
 *
 * @example
 * const get: CallHandler<CounterProtocol, 'get'> = () => 0; // () => 'zero' fails to compile
 */
export type CallHandler<P, T> = (
  request: Extract<CallOf<P>, { readonly type: T }>,
  from: From<ReplyOf<P, { type: T }>>,
) => ReplyOf<P, { type: T }> | NoReply | Promise<ReplyOf<P, { type: T }> | NoReply>;

/**
 * A GenServer's calls as a map of one handler per request tag (see `GenServer.calls`):
 * unlike `handleCall`, whose return type is the union of every reply, each handler is
 * checked against its own request's reply, and a missing tag fails to compile.
 *
 * @example
 * class Counter extends GenServer<CounterProtocol, number, number> {
 *   override readonly calls: CallHandlers<CounterProtocol> = {
 *     get: () => this.state,                        // must be a number
 *     add: (req) => (this.state += req.by),         // req: { type: 'add'; by: number }
 *   };
 * }
 */
export type CallHandlers<P> = { readonly [T in CallTypeOf<P> & string]: CallHandler<P, T> };
