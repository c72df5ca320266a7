import { CallSelfError, InvalidOptionError, NoProcError } from '../errors/errors.js';
import type { AnyBehaviour } from '../behaviour/Behaviour.js';
import { Cell, running, setRunning, type MailboxLimits } from './Cell.js';
import { Envelope, INFO, isThenable, noop, PendingCall } from './Envelope.js';
import { BUSY, CONTINUE, DEAD, INIT, STOP_REQUESTED, STOPPING, TRAP_EXIT } from './flags.js';
import type { Host } from './Host.js';
import { ignore } from './markers.js';
import { linkCells } from './signals.js';
import { clearTimer, TimerRef } from './TimerRef.js';
import { traceReplied, traceSent } from './TraceSink.js';

/**
 * What code outside the kernel may do to a process: read whether it is dead, its parent, its
 * exit reason and its behaviour; start it, stop it, trap exits, deliver to it, call it. The
 * flag bits stay in here. @internal
 *
 * @example
 * if (!isDead(child)) sendExit(sup, child, 'shutdown');
 */

/** True for a value that is a process (an `ActorRef` made by spawn). */
export function isCell(value: unknown): value is Cell {
  return value instanceof Cell;
}

/** True once the process has exited. */
export function isDead(cell: Cell): boolean {
  return (cell.flags & DEAD) !== 0;
}

/** True while the process traps exits. */
export function trapsExits(cell: Cell): boolean {
  return (cell.flags & TRAP_EXIT) !== 0;
}

/** The reason it exited with (undefined while alive). */
export function exitReasonOf(cell: Cell): unknown {
  return cell.exitReason;
}

/** The process that spawned it linked, or the supervisor that adopted it. */
export function parentOf(cell: Cell): Cell | null {
  return cell.parent;
}

/** Its behaviour instance (null once dead). */
export function behaviourOf(cell: Cell): AnyBehaviour | null {
  return cell.behaviour;
}

/** The host it runs in. */
export function hostOf(cell: Cell): Host {
  return cell.host;
}

/** The process whose handler (or init) is running now, in its synchronous part, dead or alive; null otherwise. */
export function runningCell(): Cell | null {
  return running;
}

/** The process whose handler (or init) is running now, in its synchronous part; undefined otherwise. */
export function currentCell(): Cell | undefined {
  const cell = running;
  return cell === null || (cell.flags & DEAD) !== 0 ? undefined : cell;
}

/**
 * Makes `parent` the parent of a process started some other way, and links them. If the
 * parent died meanwhile (or the child did), the exit signal goes out now.
 */
export function adopt(parent: Cell, child: Cell): void {
  if (child.parent === null && child !== parent) child.parent = parent;
  if ((child.flags & DEAD) !== 0) linkCells(child, parent);
  else linkCells(parent, child);
}

// ------------------------------------------------------------------ start

/** A new process, not yet initialised (its init has not run; it takes no turn until `completeInit`). */
export function createCell(
  host: Host,
  id: string,
  behaviour: AnyBehaviour,
  kind: string,
  parent: Cell | null,
  limits: MailboxLimits | null,
  trapExit: boolean,
): Cell {
  const cell = new Cell(id, host, behaviour, kind, parent, limits);
  cell.flags = INIT | (trapExit ? TRAP_EXIT : 0);
  return cell;
}

/** Marks a process that never ran as dead, without exit signals (a start refused before init). */
export function discardCell(cell: Cell): void {
  cell.flags = DEAD;
}

/** Runs `fn` as the process (so `currentActor()` and call-self checks see it); returns what it returns. */
export function runAs<T>(cell: Cell, fn: () => T): T {
  const prev = running;
  setRunning(cell);
  try {
    return fn();
  } finally {
    setRunning(prev);
  }
}

/** How an init ended, as the start protocol answers it. */
export type InitOutcome = { readonly status: 'ok' } | { readonly status: 'ignore' } | { readonly status: 'error'; readonly reason: unknown };

/** Init returned `value`: the process starts taking messages (or ignores, or stops as asked during init). */
export function completeInit(cell: Cell, value: unknown): InitOutcome {
  if ((cell.flags & DEAD) !== 0) return { status: 'error', reason: cell.exitReason };
  if (value === ignore) {
    cell.finish('normal');
    return { status: 'ignore' };
  }
  if ((cell.flags & STOP_REQUESTED) !== 0) {
    const reason = cell.stopReason;
    cell.finish(reason);
    return { status: 'error', reason };
  }
  cell.flags &= ~INIT;
  if ((cell.flags & CONTINUE) === 0 || !cell.afterHandler()) cell.wake();
  return { status: 'ok' };
}

/** Init threw or rejected: a crash report, then the process exits with the error. */
export function failInit(cell: Cell, error: unknown): void {
  if ((cell.flags & DEAD) !== 0) return;
  cell.host.reportCrash(cell, error);
  cell.finish(error);
}

// ------------------------------------------------------------------ control from its own behaviour

/** The process stops with `reason` once its current hook returns (or after the current message). */
export function requestStop(cell: Cell, reason: unknown): void {
  if ((cell.flags & (DEAD | STOPPING)) !== 0) return;
  if (running === cell || (cell.flags & (INIT | BUSY)) !== 0) {
    cell.stopReason = reason;
    cell.flags |= STOP_REQUESTED;
    return;
  }
  cell.requestSys({ op: 'stop', arg: reason, resolve: noop, reject: noop });
}

/** The process runs `onContinue(arg)` after its current hook, before the next message. */
export function requestContinue(cell: Cell, arg: unknown): void {
  cell.continueArg = arg;
  cell.flags |= CONTINUE;
}

/** Turns exit trapping on or off. */
export function setTrapExit(cell: Cell, on: boolean): void {
  if (on) cell.flags |= TRAP_EXIT;
  else cell.flags &= ~TRAP_EXIT;
}

// ------------------------------------------------------------------ delivery

/** Queues a cast (a no-op on a dead process; a full `reject` mailbox throws). */
export function castTo(cell: Cell, msg: unknown): void {
  const from = running;
  if (from !== null && from.tracer !== null) traceSent(from.tracer, 'cast', cell, msg);
  cell.cast(msg);
}

/** Queues an info message. */
export function sendInfo(cell: Cell, msg: unknown): void {
  const from = running;
  if (from !== null && from.tracer !== null) traceSent(from.tracer, 'info', cell, msg);
  cell.deliver(new Envelope(INFO, msg));
}

/** An exit signal from `from` (null: from outside any actor); `linked` for a link's own signal. */
export function sendExit(from: Cell | null, to: Cell, reason: unknown, linked = false): void {
  to.receiveExit(from, reason, linked);
}

/** Sends `msg` as info to `cell` after `delay` ms; cancelled by itself when the process exits. */
export function startTimer(cell: Cell, msg: unknown, delay: number): TimerRef {
  const timer = new TimerRef(cell, delay, () => {
    try {
      cell.deliver(new Envelope(INFO, msg));
    } catch (e) {
      cell.host.logger.debug('timer message dropped by a full mailbox', { report: 'timer_dropped', actor: cell.id, reason: String(e) });
    }
  });
  if ((cell.flags & DEAD) === 0) (cell.timers ??= new Set()).add(timer);
  else clearTimer(timer);
  return timer;
}

/**
 * Calls a process and resolves with the reply (a failure resolves with a rejecting promise,
 * see callerFrames.ts). `caller` is the calling process, or null from outside any actor.
 */
export function callCell(caller: Cell | null, target: Cell, request: unknown, timeout: number): Promise<unknown> {
  if ((target.flags & DEAD) !== 0) return Promise.reject(new NoProcError(target, 'call'));
  if (caller === target || running === target) return Promise.reject(new CallSelfError(target));
  const from = running;
  if (from !== null && from.tracer !== null) traceSent(from.tracer, 'call', target, request);
  const pc = new PendingCall(request, target, timeout);
  const p = new Promise<unknown>((resolve) => {
    pc.resolve = resolve;
  });
  if (timeout !== Infinity) target.host.deadlines.track(pc, timeout);
  try {
    target.deliver(pc);
  } catch (e) {
    pc.fail(e);
  }
  return p;
}

/** Answers a call a hook deferred with `noReply`; later answers are dropped. */
export function replyTo(cell: Cell, from: unknown, value: unknown): void {
  if (!(from instanceof PendingCall)) throw new InvalidOptionError('from', 'the `from` argument handleCall received', from);
  cell.inflight?.delete(from);
  from.target.inflight?.delete(from);
  if (cell.tracer !== null && !from.settled) traceReplied(cell.tracer, value);
  from.ok(value);
}

/** True for a promise or any object with a `then` method. */
export { isThenable };
