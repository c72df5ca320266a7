import type { Cell } from './Cell.js';
import { noop, type SysRequest } from './Envelope.js';
import { DEAD } from './flags.js';
import type { CallOptions } from '../behaviour/Behaviour.js';
import { CallTimeoutError, NoProcError } from '../errors/errors.js';
import { addMonitor, demonitor } from './signals.js';
import { timeoutOf } from '../validation/timeout.js';

/**
 * Sends a system request (get_state, replace_state, suspend, resume) to a cell, queued in
 * mailbox order with its other messages (OTP's sys messages), and settles it with the
 * answer, or with `CallTimeoutError` after `options.timeout` (default 5000 ms): every
 * promise settles, even against a stuck actor. A suspended actor still serves it. @internal
 */
export function sysRequest(ref: Cell, op: SysRequest['op'], arg: unknown, options: CallOptions | undefined): Promise<unknown> {
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
    ref.queueSys({ op, arg, resolve: done(resolve), reject: done(reject) });
  });
}

/**
 * `system.stop(ref, reason)`: a `stop` sys request queued in mailbox order (the messages
 * sent before it are handled first; a suspended actor serves it at once), settled by a monitor when the actor is
 * dead, or with `CallTimeoutError` after `options.timeout` (default Infinity, as Elixir's;
 * the actor is then left running, as in OTP). @internal
 */
export function stopActor(ref: Cell, reason: unknown, options: CallOptions | undefined): Promise<void> {
  let timeout: number;
  try {
    // Elixir's GenServer.stop / Supervisor.stop default: wait as long as the stop takes (a
    // supervisor's is bounded by its children's shutdown specs).
    timeout = timeoutOf(options, Infinity);
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
    ref.queueSys({ op: 'stop', arg: reason, resolve: noop, reject: noop });
  });
}

/**
 * The system's shutdown: stops `cells` (given in reverse start order) top down, as OTP's
 * application stop does. First the roots (no parent, or a dead one) are asked to stop with
 * `shutdown`: a supervisor stops its own children in its order, by their shutdown specs,
 * and a parent's exit stops the actors it spawned linked. Then whatever is still alive (an
 * actor its parent had unlinked, say) is asked too. Those still alive after `timeout` ms
 * in all are killed. One monitor callback and one timer per round, not one stop() per actor.
 * @internal
 */
export async function stopAll(cells: readonly Cell[], timeout: number): Promise<void> {
  if (cells.length === 0) return;
  const deadline = timeout === Infinity ? Infinity : performance.now() + timeout;
  const roots = cells.filter((c) => c.parent === null || (c.parent.flags & DEAD) !== 0);
  await stopRound(roots, deadline);
  const left = cells.filter((c) => (c.flags & DEAD) === 0);
  if (left.length > 0) await stopRound(left, deadline);
  for (const cell of cells) if ((cell.flags & DEAD) === 0) cell.receiveExit(null, 'kill', false);
}

/** Asks `cells` to stop with `shutdown` and resolves when all are dead or at `deadline`. */
function stopRound(cells: readonly Cell[], deadline: number): Promise<void> {
  const wait = deadline - performance.now();
  if (cells.length === 0 || wait <= 0) return Promise.resolve();
  return new Promise<void>((resolve) => {
    let left = cells.length;
    const timer = deadline === Infinity ? undefined : setTimeout(resolve, wait);
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
}
