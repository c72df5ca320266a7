import type { ActorRef } from '../kernel/index.js';
import type { AnyBehaviour, BehaviourClass, CallOptions, InitArgOf, ProtocolOf } from '../behaviour/Behaviour.js';
import type { CallRequest, CastMessage, InfoMessage, Protocol, ReplyOf } from '../actor/Protocol.js';
import { asCell } from '../validation/ref.js';
import { callFrom, castFrom, exitFrom, sendFrom } from './messaging.js';
import { systemOf as systemOfCell } from './SystemCore.js';
import type { ExitReason } from '../exit/ExitReason.js';
import { ActorSystem, type SystemOptions } from './ActorSystem.js';
import { Inbox } from './Inbox.js';
import type { SpawnOptionsOf } from './SpawnOptions.js';
import type { TraceOptions } from '../trace/checkTraceOptions.js';
import type { Trace } from '../trace/Trace.js';

let fallback: ActorSystem | undefined;

/**
 * Creates an actor system. Most applications use one (see {@link defaultSystem});
 * tests create one each.
 *
 * @example
 * const system = createSystem({ name: 'test', logger: createLogger('silent') });
 */
export function createSystem(options?: SystemOptions): ActorSystem {
  return new ActorSystem(options);
}

/**
 * The process-wide system that `spawn` uses, created on first use.
 *
 * @example
 * defaultSystem().whereis('counter');
 */
export function defaultSystem(): ActorSystem {
  if (fallback === undefined || fallback.stopped) fallback = new ActorSystem();
  return fallback;
}

/**
 * Spawns an actor in the default system.
 *
 * @example
 * const counter = await spawn(Counter, 0);
 */
export function spawn<B extends AnyBehaviour>(behaviour: BehaviourClass<B>, arg: InitArgOf<B>, options?: SpawnOptionsOf<NoInfer<B>>): Promise<ActorRef<ProtocolOf<B>>> {
  return defaultSystem().spawn(behaviour, arg, options);
}

function systemOf(operation: string, ref: ActorRef): ActorSystem {
  return systemOfCell(asCell(operation, ref));
}

/**
 * Calls an actor (in whatever system it lives) and resolves with the reply, typed by the request.
 *
 * @example
 * const n = await call(counter, { type: 'get' }); // number
 */
export function call<P extends Protocol, const T extends string>(
  ref: ActorRef<P>,
  request: CallRequest<P, T>,
  options?: CallOptions,
): Promise<ReplyOf<P, { type: T }>> {
  return callFrom(null, ref, request, options) as Promise<ReplyOf<P, { type: T }>>;
}

/**
 * Casts a message; never fails (except into a full mailbox whose overflow is `'reject'`).
 *
 * @example
 * cast(counter, { type: 'inc', by: 1 });
 */
export function cast<P extends Protocol>(ref: ActorRef<P>, msg: CastMessage<P>): void {
  castFrom(ref, msg);
}

/**
 * Sends an info message.
 *
 * @example
 * send(ref, { type: 'tick' });
 */
export function send<P extends Protocol>(ref: ActorRef<P>, msg: InfoMessage<P>): void {
  sendFrom(ref, msg);
}

/**
 * Sends an exit signal from outside any actor.
 *
 * @example
 * exit(ref, 'kill');
 */
export function exit(ref: ActorRef, reason: ExitReason): void {
  exitFrom(null, ref, reason);
}

/**
 * Starts a bounded live trace of an actor (in whatever system it lives), or with `false`
 * ends its trace; see `ActorSystem.trace`.
 *
 * @example
 * const t = trace(ref, { tracer: (e) => console.log(e.kind), max: 10 });
 * trace(ref, false); // true
 */
export function trace(ref: ActorRef, options: TraceOptions): Trace;
export function trace(ref: ActorRef, options: false): boolean;
export function trace(ref: ActorRef, options: TraceOptions | false): Trace | boolean {
  return options === false ? systemOf('trace', ref).trace(ref, false) : systemOf('trace', ref).trace(ref, options);
}

/** True while the actor has not exited. */
export function isAlive(ref: ActorRef): boolean {
  return systemOf('isAlive', ref).isAlive(ref);
}

/**
 * Opens an {@link Inbox} in a system (the default one if omitted).
 *
 * @example
 * const inbox = await openInbox(system);
 */
export function openInbox(system: ActorSystem = defaultSystem()): Promise<Inbox> {
  return Inbox.open(system); // rejects with InvalidOptionError unless `system` is an ActorSystem
}
