import type { ActorRef } from '../actor/ActorRef.js';
import { Cell } from '../actor/Cell.js';
import { noop, type SysRequest } from '../actor/Envelope.js';
import { DEAD } from '../actor/flags.js';
import type { CallOptions } from '../behaviour/Behaviour.js';
import { CallTimeoutError, NoProcError } from '../errors/errors.js';
import { addMonitor, demonitor } from './signals.js';
import { timeoutOf } from '../validation/timeout.js';
import { badRef } from './validateBehaviour.js';

/**
 * Sends a system request (get_state, replace_state, suspend, resume) to a cell and
 * settles it with the answer, or with `CallTimeoutError` after `options.timeout`
 * (default 5000 ms): every promise settles, even against a stuck actor. @internal
 */
export function sysRequest(ref: ActorRef, op: SysRequest['op'], arg: unknown, options: CallOptions | undefined): Promise<unknown> {
  if (!(ref instanceof Cell)) return Promise.reject(badRef(op, ref));
  let timeout: number;
  try {
    timeout = timeoutOf(options);
  } catch (e) {
    return Promise.reject(e);
  }
  return new Promise((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    if (timeout !== Infinity) timer = setTimeout(() => reject(new CallTimeoutError(ref, timeout)), timeout);
    const done =
      <T>(f: (v: T) => void) =>
      (v: T) => {
        if (timer !== undefined) clearTimeout(timer);
        f(v);
      };
    ref.requestSys({ op, arg, resolve: done(resolve), reject: done(reject) });
  });
}

/**
 * `system.stop(ref, reason)`: a `stop` sys request, settled by a monitor when the actor is
 * dead, or with `CallTimeoutError` after the timeout (the actor is then left running, as
 * in OTP). @internal
 */
export function stopActor(ref: ActorRef, reason: unknown, options: CallOptions | undefined): Promise<void> {
  if (!(ref instanceof Cell)) return Promise.reject(badRef('stop', ref));
  let timeout: number;
  try {
    timeout = timeoutOf(options);
  } catch (e) {
    return Promise.reject(e);
  }
  if ((ref.flags & DEAD) !== 0) return Promise.reject(new NoProcError(ref, 'stop'));
  return new Promise<void>((resolve, reject) => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const mref = addMonitor(() => {
      if (timer !== undefined) clearTimeout(timer);
      resolve();
    }, ref);
    if (timeout !== Infinity) {
      timer = setTimeout(() => {
        demonitor(mref);
        reject(new CallTimeoutError(ref, timeout));
      }, timeout);
    }
    ref.requestSys({ op: 'stop', arg: reason, resolve: noop, reject: noop });
  });
}

/**
 * Stops `cells` in the given order with `shutdown`, then kills those still alive after
 * `timeout` ms. One monitor callback and one timer for all, not one stop() per actor. @internal
 */
export async function stopAll(cells: readonly Cell[], timeout: number): Promise<void> {
  if (cells.length === 0) return;
  await new Promise<void>((resolve) => {
    let left = cells.length;
    const timer = timeout === Infinity ? undefined : setTimeout(resolve, timeout);
    const onDown = (): void => {
      if (--left === 0) {
        if (timer !== undefined) clearTimeout(timer);
        resolve();
      }
    };
    for (const cell of cells) {
      addMonitor(onDown, cell);
      cell.requestSys({ op: 'stop', arg: 'shutdown', resolve: noop, reject: noop });
    }
  });
  for (const cell of cells) if ((cell.flags & DEAD) === 0) cell.receiveExit(null, 'kill', false);
}
