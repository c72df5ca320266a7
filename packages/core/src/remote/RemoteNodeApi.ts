import {
  acceptRemoteLink as acceptLink,
  acceptRemoteUnlink as acceptUnlink,
  addMonitor,
  type ActorRef,
  type Cell,
  CellClass,
  isCell,
  isDead,
  MonitorRef,
  RemoteActorRef,
  remoteDown,
  remoteExit,
} from '../kernel/index.js';
import { InvalidOptionError } from '../errors/errors.js';
import { asCell } from '../validation/ref.js';
import { checkFunction } from '../validation/function.js';

/**
 * The public extension API for processes on other nodes: what a cluster package (such as
 * `@arbor/cluster`) calls when a frame arrives, on top of subclassing {@link RemoteActorRef}
 * for what goes out. Each function applies core's local rules to a local actor, with the
 * remote ref standing for the far side. A third-party transport can be built on these alone.
 *
 * @example
 * // a `link` frame from node B for local actor `a`
 * if (!acceptRemoteLink(a, fromB)) fromB.linkedExit(a, 'noproc');
 */

function asRemote(operation: string, value: unknown, argument: string): RemoteActorRef {
  if (value instanceof RemoteActorRef) return value;
  throw new InvalidOptionError(`${operation}: ${argument}`, 'a RemoteActorRef (a ref of a process on another node)', value);
}

/**
 * The constructor of local refs (the class of every ref `spawn` returns), for codecs that
 * match values by class (msgpackr extensions). Only for `instanceof` and identity checks;
 * it cannot be constructed.
 *
 * @example
 * packr.addExtension({ Class: LocalActorRef, type: 1, write: (ref) => exportRef(ref), read: importRef });
 */
export const LocalActorRef: abstract new (...args: never[]) => ActorRef = CellClass;

/**
 * A process on another node links to local actor `local`: core records the link on `local`'s
 * side. False when `local` is dead: answer the far side with a `noproc` link exit. With
 * `{ parent: true }` (a remote spawn_link, e.g. by a supervisor on another node) `from` is
 * also `local`'s parent: its exit signal stops `local` even when it traps exits, as OTP's
 * gen_server does for its parent. A local parent, or an earlier one, is kept.
 *
 * @example
 * if (!acceptRemoteLink(local, from)) send(['exit', from.id, local.id, 'noproc']);
 */
export function acceptRemoteLink(local: ActorRef, from: RemoteActorRef, options?: { readonly parent?: boolean }): boolean {
  const cell = asCell('acceptRemoteLink', local, 'local');
  if (options !== undefined && (typeof options !== 'object' || options === null || (options.parent !== undefined && typeof options.parent !== 'boolean'))) {
    throw new InvalidOptionError('acceptRemoteLink: options', '{ parent?: boolean }', options);
  }
  return acceptLink(cell, asRemote('acceptRemoteLink', from, 'from'), options?.parent === true);
}

/**
 * A process on another node removed its link to `local`.
 *
 * @example
 * acceptRemoteUnlink(local, from);
 */
export function acceptRemoteUnlink(local: ActorRef, from: RemoteActorRef): void {
  const cell = asCell('acceptRemoteUnlink', local, 'local');
  acceptUnlink(cell, asRemote('acceptRemoteUnlink', from, 'from'));
}

/**
 * An exit signal from a process on another node reaches `local`. With `linked` it is a
 * link's own signal: delivered only while the link stands (an unlink that crossed it wins),
 * and it ends the link; without, it is `exit(ref, reason)` (`'kill'` cannot be trapped).
 * A node that is lost delivers `'noconnection'` on every link this way.
 *
 * @example
 * deliverRemoteExit(local, from, 'noconnection', { linked: true });
 */
export function deliverRemoteExit(local: ActorRef, from: RemoteActorRef, reason: unknown, options: { readonly linked: boolean }): void {
  const cell = asCell('deliverRemoteExit', local, 'local');
  const remote = asRemote('deliverRemoteExit', from, 'from');
  if (typeof options !== 'object' || options === null || typeof options.linked !== 'boolean') {
    throw new InvalidOptionError('deliverRemoteExit: options', '{ linked: boolean }', options);
  }
  remoteExit(cell, remote, reason, options.linked);
}

/**
 * The process behind monitor `mref` (made by a local watcher on a {@link RemoteActorRef},
 * which got it in `monitor(mref)`) is down: the watcher gets its DOWN once, with `reason`
 * (`'noproc'`, `'noconnection'` or the exit reason). False when the monitor was removed.
 *
 * @example
 * deliverRemoteDown(mref, 'noconnection');
 */
export function deliverRemoteDown(mref: MonitorRef, reason: unknown): boolean {
  if (!(mref instanceof MonitorRef)) throw new InvalidOptionError('deliverRemoteDown: mref', 'the MonitorRef a RemoteActorRef got in monitor(mref)', mref);
  return remoteDown(mref, reason);
}

/**
 * Watches a local actor on behalf of another node: `onDown(reason)` runs synchronously inside
 * the actor's exit (keep it cheap: queue a frame), or at once with `'noproc'` when it is not
 * alive. `watcherId` names the watcher in the actor's status (`monitoredBy`). Remove it with
 * the system's `demonitor`.
 *
 * @example
 * const mref = monitorForRemote(local, 'node-b', (reason) => frames.push(['down', id, reason]));
 */
export function monitorForRemote(local: ActorRef, watcherId: string, onDown: (reason: unknown) => void): MonitorRef {
  const cell: Cell = asCell('monitorForRemote', local, 'local');
  if (typeof watcherId !== 'string' || watcherId === '') throw new InvalidOptionError('monitorForRemote: watcherId', 'a non-empty string', watcherId);
  checkFunction('monitorForRemote: onDown', onDown, 'a function (reason) => void');
  return addMonitor({ id: watcherId, cellDown: (_m, _c, reason) => onDown(reason) }, cell);
}

/**
 * True for a local ref whose actor is alive; false for a dead one, a remote ref or a non-ref.
 *
 * @example
 * if (!isLocalAlive(ref)) reply(['noproc', cid]);
 */
export function isLocalAlive(ref: unknown): boolean {
  return isCell(ref) && !isDead(ref);
}
