import type { CallOptions } from '../behaviour/Behaviour.js';
import { InvalidOptionError } from '../errors/errors.js';
import { callCell, castTo, type Cell, isCell, RemoteActorRef, sendExit, sendInfo, startTimer, TimerRef } from '../kernel/index.js';
import { asCell, badRef } from '../validation/ref.js';
import { checkTimeout, timeoutOf } from '../validation/timeout.js';

/**
 * Messaging with its input checks, shared by the `ActorSystem` facade (caller null: from
 * outside any actor), the behaviour API and the default-system functions. The kernel does
 * the delivery; these check the ref, the timeout and the reason first. @internal
 *
 * @example
 * const reply = await callFrom(null, ref, { type: 'get' }, { timeout: 1000 });
 */

/** A call from `caller` (null: outside any actor); misuse rejects. */
export function callFrom(caller: Cell | null, ref: unknown, request: unknown, options: CallOptions | undefined): Promise<unknown> {
  let target: Cell;
  let timeout: number;
  try {
    if (isCell(ref)) target = ref;
    else if (ref instanceof RemoteActorRef) return ref.call(caller, request, timeoutOf(options));
    else throw badRef('call', ref);
    timeout = timeoutOf(options);
  } catch (e) {
    return Promise.reject(e);
  }
  return callCell(caller, target, request, timeout);
}

/** A cast; a bad ref throws. */
export function castFrom(ref: unknown, msg: unknown): void {
  if (isCell(ref)) castTo(ref, msg);
  else if (ref instanceof RemoteActorRef) ref.cast(msg);
  else throw badRef('cast', ref);
}

/** An info message; a bad ref throws. */
export function sendFrom(ref: unknown, msg: unknown): void {
  if (isCell(ref)) sendInfo(ref, msg);
  else if (ref instanceof RemoteActorRef) ref.send(msg);
  else throw badRef('send', ref);
}

/** `msg` as info after `ms` milliseconds (0 to 2^31-1). */
export function sendAfterFrom(ref: unknown, msg: unknown, ms: unknown): TimerRef {
  const cell = asCell('sendAfter', ref);
  return startTimer(cell, msg, checkTimeout('sendAfter: ms', ms, { infinity: false }));
}

/** An exit signal from `from` (null: outside any actor). A missing reason is misuse, not a signal. */
export function exitFrom(from: Cell | null, ref: unknown, reason: unknown): void {
  const target = isCell(ref) ? ref : ref instanceof RemoteActorRef ? ref : null;
  if (target === null) throw badRef('exit', ref);
  // A missing reason would kill the target (OTP's exit/2 takes a reason).
  if (reason === undefined) throw new InvalidOptionError('exit: reason', "an exit reason ('normal', 'shutdown', 'kill', an Error or any other value)", reason);
  if (target instanceof RemoteActorRef) target.exit(from, reason);
  else sendExit(from, target, reason);
}
