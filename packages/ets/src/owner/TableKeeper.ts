import { GenServer, type ActorRef, type Call } from '@arbor/core';
import { Ets } from '../table/Ets.js';
import type { TableType } from '../table/TableOptions.js';

/** What the keeper accepts: a restarted owner reclaims its tables. @internal */
export interface TableKeeperProtocol {
  call: Call<'reclaim', string[], { owner: ActorRef; tables: readonly (readonly [name: string, type: TableType])[] }>;
  info: { type: 'ets_transfer' };
}

/** What a (re)started keeper tells its running owner: make me the heir of the keep tables. @internal */
export interface KeeperUp {
  readonly type: 'keeper_up';
  readonly keeper: ActorRef;
}

/**
 * The heir of a table owner's `keep` tables: it holds them while the owner restarts and
 * gives them back when the new owner asks from its init. It does nothing else, so it
 * has no reason to crash. @internal
 */
export class TableKeeper extends GenServer<TableKeeperProtocol, undefined, string | void> {
  /**
   * `owner` is the owner's registered name: a restarted keeper tells a running owner, so
   * that the keep tables, whose heir was the dead keeper, name this one again.
   */
  override init(owner: string | void): void {
    if (typeof owner !== 'string') return;
    const ref = this.system.whereis(owner);
    if (ref !== undefined) this.send(ref as ActorRef<{ info: KeeperUp }>, { type: 'keeper_up', keeper: this.self });
  }

  override handleCall(req: TableKeeperProtocol['call']): string[] {
    const given: string[] = [];
    for (const [name, type] of req.tables) {
      const t = Ets.whereis(this, name, type);
      if (t !== undefined && t.isOwner) {
        t.giveAway(req.owner, 'reclaim');
        given.push(name);
      }
    }
    return given;
  }

  override handleInfo(): void {
    // ets_transfer: the table is ours now (its state says so); nothing to keep here.
  }
}
