import { protocolType } from '../kernel/index.js';
import type { Protocol, UnknownProtocol } from '../actor/Protocol.js';
import { InvalidOptionError } from '../errors/errors.js';
import { isViaName, type ProtocolMark, type ViaName } from './NameProvider.js';

/**
 * A local name declared once with the protocol of the actor it names (see
 * {@link defineName}). At run time it is the string itself; its type makes
 * `system.whereis(name)` return `ActorRef<P>` and makes spawning under it check that the
 * behaviour's protocol is `P`.
 *
 * @example
 * const counterName: TypedName<CounterProtocol> = defineName<CounterProtocol>('counter');
 */
export type TypedName<P extends Protocol> = string & { readonly [protocolType]: ProtocolMark<P> };

/**
 * The names an actor of protocol `P` may be spawned or registered under: any plain string
 * or untyped `via` name, a {@link TypedName} of `P`, a {@link ViaName} of `P`.
 *
 * @example
 * const name: NameFor<CounterProtocol> = counterName; // defineName<EchoProtocol>('echo') fails
 */
export type NameFor<P extends Protocol> = [P] extends [never] ? string | ViaName : (string & { readonly [protocolType]?: ProtocolMark<P> }) | ViaName<P>;

/** The protocol a typed ref gets from a name: `P`, or nothing sendable for an untyped (`any`) name. @internal */
export type NamedProtocol<P> = 0 extends 1 & P ? UnknownProtocol : P;

/**
 * Declares a name with the protocol of the actor it names, once, next to the protocol:
 * then `system.whereis(name)` is `ActorRef<P> | undefined` without an assertion, and
 * `spawn(B, arg, { name })` fails to compile unless `B`'s protocol is `P`. A string gives
 * a local name (the returned value is that string); a `via(registry, key)` name gives a
 * typed `ViaName`. Throws `InvalidOptionError` for anything else.
 *
 * @example
 * export const counterName = defineName<CounterProtocol>('counter');
 * await system.spawn(Counter, 0, { name: counterName });
 * const counter = system.whereis(counterName); // ActorRef<CounterProtocol> | undefined
 */
export function defineName<P extends Protocol>(name: string): TypedName<P>;
export function defineName<P extends Protocol>(name: ViaName): ViaName<P>;
export function defineName(name: string | ViaName): string | ViaName {
  if ((typeof name === 'string' && name !== '') || isViaName(name)) return name;
  throw new InvalidOptionError('defineName: name', 'a non-empty string or via(registry, key)', name);
}
