import { monitorTarget, MonitorRef, setMonitorTarget, type ActorRef } from './ActorRef.js';
import type { Cell, Watcher } from './Cell.js';
import { Envelope, SIGNAL } from './Envelope.js';
import { DEAD } from './flags.js';
import type { RemoteActorRef } from './RemoteRef.js';

/**
 * Links and monitors across nodes, the kernel's half: a local cell links to or monitors a
 * {@link RemoteActorRef} (the kernel records its side and tells the ref), and a cluster
 * delivers what arrived from the other node (an exit signal, a DOWN, a link request).
 * The rules are the local ones (signals.ts); only the far side is a ref. @internal
 */

/** Who watches each active monitor on a remote ref (a cell, a callback or a down hook). */
const remoteWatchers = new Map<MonitorRef, Watcher>();

/** True when the watcher is a cell (a shape test, as in signals.ts). */
function isCellWatcher(w: Watcher): w is Cell {
  return typeof w === 'object' && (w as { cellDown?: unknown }).cellDown === undefined;
}

/** `from` links to a process on another node (no-op if already linked). */
export function linkRemote(from: Cell, target: RemoteActorRef): void {
  const links = (from.links ??= new Set());
  if (links.has(target)) return;
  links.add(target);
  target.link(from);
}

/** `from` removes its link to a process on another node. */
export function unlinkRemote(from: Cell, target: RemoteActorRef): void {
  if (from.links?.delete(target) === true) target.unlink(from);
}

/** `watcher` monitors a process on another node: the DOWN comes from {@link remoteDown}. */
export function monitorRemote(watcher: Watcher, target: RemoteActorRef): MonitorRef {
  const mref = new MonitorRef();
  setMonitorTarget(mref, target);
  remoteWatchers.set(mref, watcher);
  if (isCellWatcher(watcher)) (watcher.monitors ??= new Map()).set(mref, target);
  target.monitor(mref);
  return mref;
}

/** A monitor on a remote ref is removed locally (demonitor); true if it was active. */
export function demonitorRemote(mref: MonitorRef, target: RemoteActorRef): boolean {
  setMonitorTarget(mref, null);
  const watcher = remoteWatchers.get(mref);
  if (watcher === undefined) return false;
  remoteWatchers.delete(mref);
  if (isCellWatcher(watcher)) watcher.monitors?.delete(mref);
  target.demonitor(mref);
  return true;
}

/** The holder of a monitor on a remote ref exited (Cell.finish): the far side forgets it. */
export function dropRemoteWatcher(mref: MonitorRef, target: RemoteActorRef): void {
  setMonitorTarget(mref, null);
  if (remoteWatchers.delete(mref)) target.demonitor(mref);
}

/**
 * The remote process behind `mref` is down (or was never alive: `noproc`, or its node is
 * lost: `noconnection`): the watcher gets its DOWN once. A monitor removed meanwhile gets
 * nothing. True when a watcher was told.
 */
export function remoteDown(mref: MonitorRef, reason: unknown): boolean {
  const target = monitorTarget(mref);
  const watcher = remoteWatchers.get(mref);
  if (watcher === undefined || target === null) return false;
  remoteWatchers.delete(mref);
  setMonitorTarget(mref, null);
  const actor = target as ActorRef;
  if (typeof watcher === 'function') {
    queueMicrotask(() => watcher({ ref: mref, actor, reason }));
    return true;
  }
  if (!isCellWatcher(watcher)) {
    watcher.cellDown(mref, actor as Cell, reason);
    return true;
  }
  watcher.monitors?.delete(mref);
  watcher.deliver(new Envelope(SIGNAL, { type: 'DOWN', ref: mref, actor, reason }));
  return true;
}

/** A process on another node linked to local `target`; false when `target` is dead (the caller answers `noproc`). */
export function acceptRemoteLink(target: Cell, from: RemoteActorRef): boolean {
  if ((target.flags & DEAD) !== 0) return false;
  (target.links ??= new Set()).add(from);
  return true;
}

/** A process on another node removed its link to local `target`. */
export function acceptRemoteUnlink(target: Cell, from: RemoteActorRef): void {
  target.links?.delete(from);
}

/**
 * An exit signal from a process on another node reached local `target`: a link's own
 * signal (`linked`: delivered only while the link stands, and it ends the link) or one
 * sent with `exit(ref, reason)`. The local rules apply (trap, `normal`, `kill`).
 */
export function remoteExit(target: Cell, from: RemoteActorRef, reason: unknown, linked: boolean): void {
  if (linked && target.links?.delete(from) !== true) return;
  target.receiveExit(from, reason, linked);
}
