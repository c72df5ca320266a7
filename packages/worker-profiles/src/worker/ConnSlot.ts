import type { KillCause, RecycleTrigger, WorkerExit } from '../contract/WorkerExit.js';
import type { WorkerConn } from '../contract/WorkerProfile.js';
import { InFlightTable } from './InFlightTable.js';
import type { PendingRequest } from './PendingRequest.js';

/**
 * Why Arbor ended a connection, when it did. @internal
 *
 * @example
 * slot.planned = { kind: 'kill', cause: 'cancel_grace' };
 */
export type PlannedEnd =
  | { readonly kind: 'kill'; readonly cause: KillCause }
  | { readonly kind: 'recycle'; readonly trigger: RecycleTrigger }
  | { readonly kind: 'health'; readonly missed: number };

/**
 * One worker connection as the channel sees it: its in-flight table (id → request, ids in
 * order), its counters, and its timers. A recycle or a cancel-grace kill makes a new one;
 * the actor and its ref stay. @internal
 *
 * @example
 * const slot = new ConnSlot(conn); rec.id = slot.inFlight.add(rec);
 */
export class ConnSlot {
  readonly inFlight = new InFlightTable<PendingRequest>();
  readonly methods: ReadonlySet<string> | undefined;
  readonly startedAt = Date.now();
  served = 0;
  heapUsedBytes: number | undefined = undefined;
  rssBytes: number | undefined = undefined;
  dead = false;
  draining = false;
  planned: PlannedEnd | undefined = undefined;
  ttlTimer: NodeJS.Timeout | undefined = undefined;
  drainTimer: NodeJS.Timeout | undefined = undefined;
  stopRss: (() => void) | undefined = undefined;

  constructor(readonly conn: WorkerConn) {
    this.methods = conn.methods === undefined ? undefined : new Set(conn.methods);
  }

  /** Stops its timers and RSS polling. */
  clearTimers(): void {
    if (this.ttlTimer !== undefined) clearTimeout(this.ttlTimer);
    if (this.drainTimer !== undefined) clearTimeout(this.drainTimer);
    this.stopRss?.();
    this.ttlTimer = this.drainTimer = this.stopRss = undefined;
  }

  /** The exit as the actor records it: a recycled worker that left normally is `recycled`; a health kill is `timeout`. */
  recordedExit(exit: WorkerExit): WorkerExit {
    const p = this.planned;
    if (p === undefined) return exit;
    const base = { workerId: exit.workerId, kind: exit.kind, at: exit.at, ...(exit.pid !== undefined ? { pid: exit.pid } : {}), ...(exit.threadId !== undefined ? { threadId: exit.threadId } : {}) };
    if (p.kind === 'recycle' && exit.reason === 'normal') return { ...base, reason: 'recycled', trigger: p.trigger };
    if (p.kind === 'health') return { ...base, reason: 'timeout', missed: p.missed };
    return exit;
  }
}
