import { monitorTarget, MonitorRef, setMonitorTarget, type ActorRef } from './ActorRef.js';
import type { Cell, DownHook, Watcher } from './Cell.js';
import { Envelope, SIGNAL } from './Envelope.js';
import { DEAD, TRAP_EXIT } from './flags.js';
import { InvalidOptionError, NoProcError } from '../errors/errors.js';
import { traceLink, traceMonitor } from './TraceSink.js';
import { RemoteActorRef } from './RemoteRef.js';
import type { Logger } from 'winston';

/**
 * Links, monitors and the exit-signal worklist: the bookkeeping behind `link`,
 * `monitor`, DOWN and EXIT. Shared by every system (one JS thread). @internal
 */

/** Pending link exits as (target, from, reason) triples, walked without recursion. */
const exitQueue: unknown[] = [];
let flushingExits = false;

/**
 * True when the watcher is a cell (gets a DOWN message), not a callback or a down hook.
 * A shape test, not `instanceof`: this module sits below Cell.ts, which imports it.
 */
function isCellWatcher(w: Watcher | undefined): w is Cell {
  return typeof w === 'object' && (w as Partial<DownHook>).cellDown === undefined;
}

/** Removes a monitor; true if it was still active. */
export function demonitor(monitor: MonitorRef): boolean {
  const target = monitorTarget(monitor);
  if (target === null) return false;
  if (target instanceof RemoteActorRef) return demonitorRemote(monitor, target);
  setMonitorTarget(monitor, null);
  const watcher = target.watchers?.get(monitor);
  if (isCellWatcher(watcher)) watcher.monitors?.delete(monitor);
  return target.watchers?.delete(monitor) ?? false;
}

/** Links `from` to `ref` (the caller checked `ref` is a process). Linking to a dead one delivers `noproc`. */
export function link(from: Cell, ref: Cell): void {
  if (ref === from) return;
  if ((ref.flags & DEAD) !== 0) {
    if ((from.flags & TRAP_EXIT) === 0) throw new NoProcError(ref, 'link');
    from.receiveExit(ref, 'noproc', true);
    return;
  }
  linkCells(from, ref);
}

export function linkCells(a: Cell, b: Cell): void {
  if ((a.flags & DEAD) !== 0) {
    b.receiveExit(a, a.exitReason, true);
    return;
  }
  (a.links ??= new Set()).add(b);
  (b.links ??= new Set()).add(a);
  if (a.tracer !== null || b.tracer !== null) traceLink('linked', a, b);
}

export function unlink(from: Cell, ref: Cell): void {
  const was = from.links?.delete(ref) === true;
  ref.links?.delete(from);
  if (was && (from.tracer !== null || ref.tracer !== null)) traceLink('unlinked', from, ref);
}

export function monitorFrom(watcher: Cell, ref: Cell): MonitorRef {
  return addMonitor(watcher, ref);
}

export function demonitorFrom(watcher: Cell, monitor: MonitorRef, flush: boolean): boolean {
  if (!(monitor instanceof MonitorRef)) throw new InvalidOptionError('demonitor: monitor', 'a MonitorRef returned by monitor', monitor);
  const active = demonitor(monitor);
  watcher.monitors?.delete(monitor);
  if (flush && watcher.mailbox !== null) {
    watcher.mailbox.removeAll((e) => e instanceof Envelope && e.kind === SIGNAL && (e.msg as { ref?: unknown }).ref === monitor);
  }
  return active;
}

export function addMonitor(watcher: Watcher, target: Cell): MonitorRef {
  const mref = new MonitorRef();
  if ((target.flags & DEAD) !== 0) {
    notifyDown(watcher, mref, target, 'noproc');
    return mref;
  }
  setMonitorTarget(mref, target);
  (target.watchers ??= new Map()).set(mref, watcher);
  if (isCellWatcher(watcher)) {
    (watcher.monitors ??= new Map()).set(mref, target);
    if (watcher.tracer !== null || target.tracer !== null) traceMonitor(watcher, watcher.id, target);
  } else if (target.tracer !== null) {
    traceMonitor(null, typeof watcher === 'function' ? 'external' : watcher.id, target);
  }
  return mref;
}

/**
 * A monitor by a down hook on behalf of `holder`, listed on `holder` as a monitor it holds
 * (its status shows it; its exit removes it from the target). Null when the target was
 * already dead: the hook has run, inside this call.
 */
export function addHookMonitor(holder: Cell, hook: DownHook, target: Cell): MonitorRef | null {
  const mref = addMonitor(hook, target);
  if (monitorTarget(mref) === null) return null;
  (holder.monitors ??= new Map()).set(mref, target);
  return mref;
}

/** A hook monitor fired: it leaves its holder's list. */
export function hookMonitorDown(holder: Cell, mref: MonitorRef): void {
  holder.monitors?.delete(mref);
}

export function notifyDown(watcher: Watcher, mref: MonitorRef, target: Cell, reason: unknown): void {
  deliverDown(watcher, mref, target, reason, target.host.logger);
}

/** Tells `watcher` that `actor` (a local cell or a process on another node) is down, once; a throwing callback or hook is logged. */
function deliverDown(watcher: Watcher, mref: MonitorRef, actor: Cell | RemoteActorRef, reason: unknown, logger: Logger): void {
  setMonitorTarget(mref, null);
  if (typeof watcher === 'function') {
    queueMicrotask(() => {
      try {
        watcher({ ref: mref, actor, reason });
      } catch (e) {
        logger.error('monitor callback threw', { report: 'monitor_callback_error', actor: actor.id, reason: String(e) });
      }
    });
    return;
  }
  if (!isCellWatcher(watcher)) {
    try {
      watcher.cellDown(mref, actor as Cell, reason);
    } catch (e) {
      logger.error('down hook threw', { report: 'monitor_callback_error', actor: actor.id, reason: String(e) });
    }
    return;
  }
  watcher.monitors?.delete(mref);
  watcher.deliver(new Envelope(SIGNAL, { type: 'DOWN', ref: mref, actor, reason }));
}

/** Delivers a link's exit signal without recursion, however long the chain of links. @internal */
export function queueExit(target: Cell, from: Cell, reason: unknown): void {
  const q = exitQueue;
  q.push(target, from, reason);
  if (flushingExits) return;
  flushingExits = true;
  try {
    for (let i = 0; i < q.length; i += 3) (q[i] as Cell).receiveExit(q[i + 1] as Cell, q[i + 2], true);
  } finally {
    q.length = 0;
    flushingExits = false;
  }
}

/**
 * Links and monitors across nodes, the kernel's half: a local cell links to or monitors a
 * {@link RemoteActorRef} (the kernel records its side and tells the ref), and a cluster
 * delivers what arrived from the other node (an exit signal, a DOWN, a link request).
 * The rules are the local ones (signals.ts); only the far side is a ref. @internal
 */

/** Who watches each active monitor on a remote ref (a cell, a callback or a down hook). */
const remoteWatchers = new Map<MonitorRef, { readonly watcher: Watcher; readonly logger: Logger }>();

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

/** `watcher` monitors a process on another node: the DOWN comes from {@link remoteDown}; `logger` reports a throwing callback. */
export function monitorRemote(watcher: Watcher, target: RemoteActorRef, logger: Logger): MonitorRef {
  const mref = new MonitorRef();
  setMonitorTarget(mref, target);
  remoteWatchers.set(mref, { watcher, logger });
  if (isCellWatcher(watcher)) (watcher.monitors ??= new Map()).set(mref, target);
  target.monitor(mref);
  return mref;
}

/** A monitor on a remote ref is removed locally (demonitor); true if it was active. */
export function demonitorRemote(mref: MonitorRef, target: RemoteActorRef): boolean {
  setMonitorTarget(mref, null);
  const entry = remoteWatchers.get(mref);
  if (entry === undefined) return false;
  remoteWatchers.delete(mref);
  if (isCellWatcher(entry.watcher)) entry.watcher.monitors?.delete(mref);
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
  const entry = remoteWatchers.get(mref);
  if (entry === undefined || target === null) return false;
  remoteWatchers.delete(mref);
  deliverDown(entry.watcher, mref, target, reason, entry.logger);
  return true;
}

/**
 * A process on another node linked to local `target`; false when `target` is dead (the caller
 * answers `noproc`). `asParent`: it spawn_linked `target` (a remote supervisor), so its exit
 * signal stops `target` even when trapping, as a parent's does.
 */
export function acceptRemoteLink(target: Cell, from: RemoteActorRef, asParent = false): boolean {
  if ((target.flags & DEAD) !== 0) return false;
  (target.links ??= new Set()).add(from);
  if (asParent && target.parent === null && target.remoteParent === null) target.remoteParent = from;
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
