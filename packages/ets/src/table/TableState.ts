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
  /** Who may read: 0 anyone, 1 the owner only, 2 nobody (deleted). One field for the hot paths. */
  readMode: 0 | 1 | 2;
  /** Who may write: 0 anyone, 1 the owner only, 2 nobody (deleted). */
  writeMode: 0 | 1 | 2;
  /** The Map of a `set` (the hot paths use it directly for number and string keys); null otherwise. */
  readonly map: Map<K, V> | null;
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
    this.readMode = access === 'private' ? 1 : 0;
    this.writeMode = access === 'public' ? 0 : 1;
    this.map = (store as { map?: Map<K, V> }).map ?? null;
  }
}
