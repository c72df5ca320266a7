import {
  addMonitor,
  adopt,
  type Cell,
  isCell,
  hostOf,
  isDead,
  linkRemote,
  monitorRemote,
  parentOf,
  RemoteActorRef,
  sendExit,
  unlink,
  unlinkRemote,
} from '../kernel/index.js';

/**
 * A supervisor's child: a local process, or a process on another node (a
 * `RemoteActorRef` from a cluster package, started by a child spec's start function).
 * A supervisor treats both alike: it is linked to the child, learns of its exit by the
 * link's EXIT (a lost node gives `noconnection`), and stops it with exit signals and a
 * monitor. Only what can be known locally differs: a remote child is never known dead
 * before its DOWN arrives. @internal
 *
 * @example
 * linkChild(sup, child); exitChild(sup, child, 'shutdown');
 */
export type ChildRef = Cell | RemoteActorRef;

/** True for a ref a supervisor can hold as a child. @internal */
export function isChildRef(value: unknown): value is ChildRef {
  return isCell(value) || value instanceof RemoteActorRef;
}

/**
 * Links `sup` to a child its start returned: a local child started unlinked is adopted
 * (one the supervisor started linked keeps the links its init left, as in OTP); a remote
 * child is linked unless its start already did (a remote `spawn_link`). @internal
 */
export function linkChild(sup: Cell, child: ChildRef): void {
  if (child instanceof RemoteActorRef) {
    linkRemote(sup, child);
    return;
  }
  if (parentOf(child) !== sup) adopt(sup, child);
}

/** Removes the supervisor's link to `child`. @internal */
export function unlinkChild(sup: Cell, child: ChildRef): void {
  if (child instanceof RemoteActorRef) unlinkRemote(sup, child);
  else unlink(sup, child);
}

/** Sends `child` an exit signal from `sup`. @internal */
export function exitChild(sup: Cell, child: ChildRef, reason: unknown): void {
  if (child instanceof RemoteActorRef) child.exit(sup, reason);
  else sendExit(sup, child, reason);
}

/** True when `child` is known to have exited (a remote child: never known locally). @internal */
export function isChildDead(child: ChildRef): boolean {
  return child instanceof RemoteActorRef ? false : isDead(child);
}

/** Calls `onDown` once with the reason `child` exited (a lost node: `noconnection`). @internal */
export function monitorChild(sup: Cell, child: ChildRef, onDown: (reason: unknown) => void): void {
  const watcher = ({ reason }: { reason: unknown }): void => onDown(reason);
  if (child instanceof RemoteActorRef) monitorRemote(watcher, child, hostOf(sup).logger);
  else addMonitor(watcher, child);
}
