import type { Logger } from 'winston';
import type { Cell } from '../kernel/index.js';
import type { ChildRef } from './ChildRef.js';
import type { SystemInfo } from '../actor/Protocol.js';
import type { ExitReason } from '../exit/ExitReason.js';
import { isNormalExit } from '../exit/ExitReason.js';
import type { StartResult } from '../system/ActorSystem.js';
import type { ChildRecord } from './children.js';
import type { NormalizedSpec } from './ChildSpec.js';
import { logSupervisor } from './reports.js';
import type { ChildStopped } from './shutdownChild.js';
import { backoffDelay, RestartWindow, type NormalizedPolicy } from './SupervisorFlags.js';

/** A supervisor's own retry message: a restart to try (again) later. @internal */
export interface RetryMessage {
  readonly type: '$restart';
  readonly token: number;
  /** True when the restart was already counted against the intensity (a delayed first try). */
  readonly counted: boolean;
}

/**
 * What a supervisor tells its restart core: its cell, its child table and its strategy.
 * The core decides when to restart, delay, retry or give up; the supervisor says which
 * children a restart covers and how one of them starts. @internal
 *
 * @example
 * // A one_for_one table of running children, its retries known by the record itself:
 * const host: RestartHost<Retry> = {
 *   cell: () => this.self as unknown as Cell,
 *   logger: () => this.logger,
 *   stop: (reason) => this.stop(reason),
 *   sendAfter: (msg, ms) => void this.sendAfter(msg, ms),
 *   takeChild: (cell) => {
 *     const rec = this.#running.get(cell);
 *     this.#running.delete(cell);
 *     return rec;
 *   },
 *   retryMessage: (rec, token, counted) => ({ type: '$restart', record: rec, token, counted }),
 *   retryTarget: (msg) => (this.#restarting.has(msg.record) ? msg.record : undefined),
 *   restartSet: (rec) => [rec],
 *   holds: () => true,
 *   startAgain: (rec) => this.#start(rec, true),
 *   restarting: (rec) => void this.#restarting.add(rec),
 *   restarted: (rec) => void this.#restarting.delete(rec),
 * };
 */
export interface RestartHost<M extends RetryMessage> {
  /** The supervisor's own cell. */
  cell(): Cell;
  logger(): Logger;
  /** Stops the supervisor (after the running handler). */
  stop(reason: ExitReason): void;
  /** Sends the supervisor `msg` after `ms` (always through a timer). */
  sendAfter(msg: M, ms: number): void;
  /** The record of the running child `cell`, taken out of the table of running children; undefined for a cell that is not a child. */
  takeChild(child: ChildRef): ChildRecord | undefined;
  /** The retry message for `rec`. */
  retryMessage(rec: ChildRecord, token: number, counted: boolean): M;
  /** The record a retry message is for, if it is still waiting for that restart (its token is checked by the core). */
  retryTarget(msg: M): ChildRecord | undefined;
  /**
   * The children a restart of `rec` covers, in start order, the running ones other than
   * `rec` stopped (the strategy; a dynamic supervisor's is `[rec]`).
   */
  restartSet(rec: ChildRecord): readonly ChildRecord[] | Promise<readonly ChildRecord[]>;
  /** Whether `rec`, of a restart set, is still to be started (a sibling may have been removed meanwhile). */
  holds(rec: ChildRecord): boolean;
  /** Starts `rec`'s child again (its `restarts` count once it succeeds), logging `child_started` through `reportStarted`. */
  startAgain(rec: ChildRecord): Promise<StartResult<any>>;
  /** `rec` exited and is not restarted (its restart type says no). */
  notRestarted?(rec: ChildRecord): void;
  /** `rec` is now waiting for a restart. */
  restarting?(rec: ChildRecord): void;
  /** `rec` waits for a restart no more: it started again, was ignored, or the supervisor gave up. */
  restarted?(rec: ChildRecord): void;
  /**
   * Before a delayed restart (backoff): stop now what the restart of `rec` covers, so all
   * of it starts after the delay. None by default.
   */
  stopForDelay?(rec: ChildRecord): Promise<unknown>;
  /**
   * True when an EXIT of a child is always handled asynchronously (the supervisor's loop
   * waits for it even when nothing is restarted), as `Supervisor` does.
   */
  readonly asyncExits?: boolean;
}

/**
 * The restart rules shared by `Supervisor` and `DynamicSupervisor`: the restart window
 * (intensity and period), the restart type's rule, backoff, retries (`$restart` messages
 * cancelled by a record's token), giving up (`shutdown` when the intensity is exceeded),
 * the dispatch of EXIT signals to the child they are of, and the supervisor reports. Each
 * supervisor holds one and keeps its own child table and strategy behind a `RestartHost`.
 * @internal
 *
 * @example
 * override init(def) {
 *   this.#restarts = new RestartCore(normalizePolicy(def), host);
 *   this.trapExit(true);
 * }
 * override handleInfo(msg) {
 *   return this.#restarts.handleInfo(msg);
 * }
 */
export class RestartCore<M extends RetryMessage> {
  readonly policy: NormalizedPolicy;
  readonly #window: RestartWindow;
  readonly #host: RestartHost<M>;
  readonly #exited: (rec: ChildRecord, cell: ChildRef, reason: unknown) => void | Promise<void>;

  constructor(policy: NormalizedPolicy, host: RestartHost<M>) {
    this.policy = policy;
    this.#window = new RestartWindow(policy.intensity, policy.period);
    this.#host = host;
    this.#exited = host.asyncExits === true ? async (rec, cell, reason) => this.#childExited(rec, cell, reason) : (rec, cell, reason) => this.#childExited(rec, cell, reason);
  }

  /**
   * Handles an EXIT signal or a retry message; other messages are ignored. An EXIT from
   * outside any actor is the parent asking the supervisor to stop; one from a cell that is
   * not a child is ignored.
   */
  handleInfo(msg: M | SystemInfo): void | Promise<void> {
    if (msg.type === 'EXIT') {
      const from = msg.from as ChildRef | undefined;
      if (from === undefined) {
        // An exit signal from outside any actor: treat it as the parent asking us to stop.
        if (msg.reason !== 'normal') this.#host.stop(msg.reason);
        return;
      }
      const rec = this.#host.takeChild(from);
      if (rec !== undefined) return this.#exited(rec, from, msg.reason);
      return;
    }
    if (msg.type === '$restart') {
      const retry = msg as M;
      const rec = this.#host.retryTarget(retry);
      if (rec === undefined || rec.token !== retry.token) return;
      if (!retry.counted && !this.#window.add()) return this.#giveUp(rec);
      return this.#restart(rec);
    }
  }

  /** Logs `child_started` for `rec`, which now runs as `cell`. */
  reportStarted(rec: ChildRecord, cell: ChildRef): void {
    const h = this.#host;
    logSupervisor(h.logger(), 'child_started', h.cell(), reportId(rec, cell), cell, undefined, rec.restarts);
  }

  /** Logs `shutdown_error` when stopping `rec`'s child `cell` went wrong (OTP's rule). */
  reportStopped(rec: ChildRecord, cell: ChildRef, out: ChildStopped): void {
    if (!stopReport(rec.spec, out)) return;
    const h = this.#host;
    logSupervisor(h.logger(), 'shutdown_error', h.cell(), reportId(rec, cell), cell, out.reason, rec.restarts);
  }

  #childExited(rec: ChildRecord, cell: ChildRef, reason: unknown): void | Promise<void> {
    const h = this.#host;
    const backoff = this.policy.backoff;
    rec.exited(reason, backoff?.maxMs);
    if (!isNormalExit(reason)) logSupervisor(h.logger(), 'child_crashed', h.cell(), reportId(rec, cell), cell, reason, rec.restarts);
    if (!mustRestart(rec.spec, reason)) {
      h.notRestarted?.(rec);
      return;
    }
    if (!this.#window.add()) return this.#giveUp(rec);
    rec.status = 'restarting';
    h.restarting?.(rec);
    if (backoff !== null) {
      const stopping = h.stopForDelay?.(rec);
      if (stopping === undefined) return this.#scheduleRetry(rec, backoffDelay(backoff, rec.backoffAttempt++), true);
      // Stop the affected siblings now; start them all after the delay.
      return stopping.then(() => this.#scheduleRetry(rec, backoffDelay(backoff, rec.backoffAttempt++), true));
    }
    return this.#restart(rec);
  }

  /** Restarts what the restart of `rec` covers, in order; a start that fails is retried later. */
  async #restart(rec: ChildRecord): Promise<void> {
    const h = this.#host;
    const set = h.restartSet(rec);
    for (const r of Array.isArray(set) ? (set as readonly ChildRecord[]) : await set) {
      if (r.ref !== undefined || !h.holds(r)) continue;
      const res = await h.startAgain(r);
      if (res.status === 'error') {
        logSupervisor(h.logger(), 'restart_failed', h.cell(), reportId(r, undefined), undefined, res.reason, r.restarts);
        r.status = 'restarting';
        const backoff = this.policy.backoff;
        this.#scheduleRetry(r, backoff === null ? 0 : backoffDelay(backoff, r.backoffAttempt++), false);
        return;
      }
      h.restarted?.(r);
      if (res.status === 'ignore') r.restarts++;
      if (res.status === 'ok') logSupervisor(h.logger(), 'child_restarted', h.cell(), reportId(r, r.ref), r.ref, undefined, r.restarts);
    }
  }

  #scheduleRetry(rec: ChildRecord, delay: number, counted: boolean): void {
    // Always through a timer, even with no delay: a retry sent straight to the mailbox of
    // this async handler would run in the same macrotask, so a child whose init keeps
    // failing synchronously would starve timers and I/O until the intensity is reached.
    this.#host.sendAfter(this.#host.retryMessage(rec, rec.renewToken(), counted), delay);
  }

  #giveUp(rec: ChildRecord): void {
    const h = this.#host;
    h.restarted?.(rec);
    logSupervisor(h.logger(), 'intensity_reached', h.cell(), reportId(rec, undefined), undefined, rec.lastExitReason, this.#window.count);
    h.stop('shutdown');
  }
}

/** The restart type's rule: permanent always; transient unless the exit is normal, shutdown or `{ shutdown }`; temporary never. @internal */
export function mustRestart(spec: NormalizedSpec, reason: unknown): boolean {
  return spec.restart === 'permanent' || (spec.restart === 'transient' && !isNormalExit(reason));
}

/** True when stopping a child went wrong enough for a `shutdown_error` report (OTP's rule). @internal */
export function stopReport(spec: NormalizedSpec, out: ChildStopped): boolean {
  if (out.clean) return false;
  if (out.reason === 'normal' && spec.restart !== 'permanent') return false;
  return true;
}

/** The child id of a report: the spec's id, or for a dynamic child with none, its actor's id (none when it has no actor). */
function reportId(rec: ChildRecord, cell: ChildRef | undefined): string | undefined {
  return rec.spec.id || cell?.id;
}
