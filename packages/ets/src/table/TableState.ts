import type { ActorRef, ActorSystem, MonitorRef } from '@arbor/core';
import type { Key } from '../keys/Key.js';
import type { Store } from './Store.js';
import type { Access, TableType } from './TableOptions.js';

/**
 * One table: its store and who may use it. Every handle on the table shares it, so an
 * ownership change or a delete is seen by all handles at once. @internal
 */
export class TableState<K extends Key = Key, V = unknown> {
  owner: ActorRef;
  heir: ActorRef | null = null;
  heirData: unknown = undefined;
  deleted = false;
  monitor: MonitorRef | null = null;
  /** Makes a handle of the right class bound to `me` (null: outside any actor). */
  bind!: (me: ActorRef | null) => unknown;

  constructor(
    readonly system: ActorSystem,
    readonly type: TableType,
    readonly access: Access,
    readonly name: string | undefined,
    readonly label: string,
    readonly store: Store<K, V>,
    owner: ActorRef,
  ) {
    this.owner = owner;
  }
}
