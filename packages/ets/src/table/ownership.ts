import { badRef, checkRef, isActorRef, type ActorRef, type ActorSystem } from '@arbor/core';
import { OwnershipError } from './errors.js';
import type { TableState } from './TableState.js';

/**
 * The info message an actor receives when it becomes a table's owner, through
 * `giveAway` (`gift` is the giver's) or as heir of an owner that exited (`gift` is the
 * heir data). `table` is a handle bound to the receiver, so it has the owner's rights.
 *
 * @example
 * override handleInfo(msg: EtsTransfer<SetTable<string, number>> | SystemInfo) {
 *   if (msg.type === 'ets_transfer') this.state.hits = msg.table;
 * }
 */
export interface EtsTransfer<T = unknown, G = unknown> {
  readonly type: 'ets_transfer';
  readonly table: T;
  /** The previous owner. */
  readonly from: ActorRef;
  readonly gift: G;
}

const registries = new WeakMap<ActorSystem, Map<string, TableState<any, any>>>();

/** The named tables of a system. @internal */
export function namedTables(system: ActorSystem): Map<string, TableState<any, any>> {
  let m = registries.get(system);
  if (m === undefined) registries.set(system, (m = new Map()));
  return m;
}

/** Makes `owner` the table's owner and watches it. @internal */
export function own(s: TableState<any, any>, owner: ActorRef): void {
  if (s.monitor !== null) s.system.demonitor(s.monitor);
  s.owner = owner;
  s.monitor = s.system.monitor(owner, () => ownerDown(s, owner));
}

/** The owner exited: the heir takes the table if it is alive, else the table goes. */
function ownerDown(s: TableState<any, any>, owner: ActorRef): void {
  if (s.deleted || s.owner !== owner) return;
  const heir = s.heir;
  if (heir !== null && heir !== owner && s.system.isAlive(heir)) {
    transfer(s, heir, s.heirData);
    return;
  }
  s.system.logger.debug('table deleted with its owner', { report: 'ets_table_deleted', table: s.label, owner: owner.id });
  deleteTable(s);
}

/** Moves the table to `to` and tells it with an {@link EtsTransfer} message. @internal */
export function transfer(s: TableState<any, any>, to: ActorRef, gift: unknown): void {
  const from = s.owner;
  own(s, to);
  s.system.logger.debug('table transferred', { report: 'ets_transfer', table: s.label, from: from.id, to: to.id });
  const msg: EtsTransfer = { type: 'ets_transfer', table: s.bind(to), from, gift };
  s.system.send(to as ActorRef<any>, msg as never);
}

/**
 * Checks that `to` can take the table: an ActorRef (core's `checkRef`: InvalidOptionError
 * otherwise), not the owner, alive (OwnershipError otherwise). @internal
 */
export function checkReceiver(s: TableState<any, any>, op: string, to: ActorRef): void {
  checkRef(op, to, 'to');
  if (to === s.owner) throw new OwnershipError(s.label, op, `actor ${to.id} already owns the table`);
  if (!s.system.isAlive(to)) throw new OwnershipError(s.label, op, `actor ${to.id} is not alive`);
}

/** Deletes the table: its objects go, its name is free, every handle throws TableDeletedError. @internal */
export function deleteTable(s: TableState<any, any>): void {
  if (s.deleted) return;
  s.deleted = true;
  s.readMode = 2;
  s.writeMode = 2;
  if (s.monitor !== null) s.system.demonitor(s.monitor);
  s.monitor = null;
  s.store.clear();
  if (s.name !== undefined) {
    const named = namedTables(s.system);
    if (named.get(s.name) === s) named.delete(s.name);
  }
}

/**
 * If the table's owner has exited but its DOWN has not been handled yet (it runs in a
 * microtask), handles it now: the heir takes the table, or the table goes. @internal
 */
export function settleOwner(s: TableState<any, any>): void {
  if (!s.deleted && !s.system.isAlive(s.owner)) ownerDown(s, s.owner);
}

/**
 * Throws core's `badRef` error (InvalidOptionError; `or` names what else the argument
 * may be) unless `heir` is an actor ref (alive or not): checked when the heir is set,
 * because the owner's exit, where it is used, is too late to report it. @internal
 */
export function checkHeir(op: string, argument: string, heir: unknown, or?: string): void {
  if (!isActorRef(heir)) throw badRef(op, heir, argument, or);
}
