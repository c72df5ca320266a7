import { running, type Cell } from './Cell.js';
import { BUSY, DEAD, INIT, STOPPING, SUSPENDED, TRAP_EXIT } from './flags.js';
import { readDetails, type StatusDetails } from '../behaviour/StatusDetails.js';

/** What an actor is doing, as `getStatus` reports it. */
export type ActorState = 'initializing' | 'running' | 'waiting' | 'suspended' | 'stopping' | 'dead';

/**
 * A snapshot of one actor, in the spirit of `sys:get_status` and observer.
 *
 * @example
 * const s = system.getStatus(ref); // { status: 'waiting', mailboxLength: 0, ... }
 */
export interface ActorStatus {
  readonly id: string;
  readonly name: string | undefined;
  readonly behaviour: string;
  readonly status: ActorState;
  readonly mailboxLength: number;
  readonly messagesHandled: number;
  readonly trapExit: boolean;
  readonly parent: string | undefined;
  /** Ids of linked actors. */
  readonly links: readonly string[];
  /** Ids of the actors this one monitors. */
  readonly monitors: readonly string[];
  /** Ids of the actors monitoring this one (`'external'` for callbacks outside any actor). */
  readonly monitoredBy: readonly string[];
  /** The message being handled (or last handled), as `kind:type`. */
  readonly currentMessage: string;
  readonly startedAt: number;
  readonly uptimeMs: number;
  /** The exit reason, once dead. */
  readonly exitReason: unknown;
  /** What the behaviour's `formatStatus()` reports (undefined if nothing, or once dead). */
  readonly details: StatusDetails | undefined;
}

/** Reads a cell's status. @internal */
export function statusOf(cell: Cell): ActorStatus {
  const f = cell.flags;
  const mailboxLength = cell.mailbox?.length ?? 0;
  const status: ActorState =
    (f & DEAD) !== 0
      ? 'dead'
      : (f & STOPPING) !== 0
        ? 'stopping'
        : (f & INIT) !== 0
          ? 'initializing'
          : (f & SUSPENDED) !== 0
            ? 'suspended'
            : (f & BUSY) !== 0 || mailboxLength > 0 || running === cell
              ? 'running'
              : 'waiting';
  return {
    id: cell.id,
    name: cell.name,
    behaviour: cell.kind,
    status,
    mailboxLength,
    messagesHandled: cell.handled,
    trapExit: (f & TRAP_EXIT) !== 0,
    parent: cell.parent?.id ?? cell.remoteParent?.id,
    links: cell.links === null ? [] : [...cell.links].map((c) => c.id),
    monitors: cell.monitors === null ? [] : [...cell.monitors.values()].map((c) => c.id),
    monitoredBy: cell.watchers === null ? [] : [...cell.watchers.values()].map((w) => (typeof w === 'function' ? 'external' : w.id)),
    currentMessage: cell.describeCurrent(),
    startedAt: cell.startedAt,
    uptimeMs: (f & DEAD) !== 0 ? 0 : Date.now() - cell.startedAt,
    exitReason: cell.exitReason,
    details: readDetails(cell.behaviour),
  };
}
