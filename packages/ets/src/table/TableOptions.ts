import type { ActorRef } from '@arbor/core';

/**
 * set: one object per key; ordered_set: the same, sorted by key; bag: no two equal objects under a key; duplicate_bag: any.
 *
 * @example
 * Ets.create<string, number>(this, { type: 'bag' });
 */
export type TableType = 'set' | 'ordered_set' | 'bag' | 'duplicate_bag';

/**
 * public: anyone reads and writes; protected (default): the owner writes, anyone reads; private: the owner only.
 *
 * @example
 * Ets.create<string, number>(this, { type: 'set', access: 'private' });
 */
export type Access = 'public' | 'protected' | 'private';

/**
 * Who receives a table when its owner exits, and what it gets with it.
 *
 * @example
 * Ets.create<string, number>(this, { type: 'set', heir: { ref: keeper, data: 'hits' } });
 */
export interface Heir {
  readonly ref: ActorRef;
  /** Sent as `gift` in the heir's {@link EtsTransfer} message. */
  readonly data?: unknown;
}

/**
 * How to create a table.
 *
 * @example
 * Ets.create<string, number>(this, { type: 'set', name: 'hits', access: 'public' });
 */
export interface TableOptions<T extends TableType = TableType> {
  readonly type: T;
  /** A system-wide name: `Ets.whereis(ctx, name, type)` finds the table; a second table with it throws TableNameTakenError. */
  readonly name?: string;
  /** Default 'protected'. */
  readonly access?: Access;
  /** Receives the table when the owner exits (if alive then); without one, the table is deleted. */
  readonly heir?: Heir;
}

/**
 * What `info()` tells about a table.
 *
 * @example
 * table.info().size; // objects held
 */
export interface TableInfo {
  readonly type: TableType;
  readonly name: string | undefined;
  readonly access: Access;
  readonly owner: ActorRef;
  readonly heir: ActorRef | null;
  /** Objects held. */
  readonly size: number;
  /**
   * Estimated bytes of the table's own structure (Map entries or tree nodes); the keys
   * and values themselves are not counted (they are shared JS objects).
   */
  readonly memory: number;
}

/** Every {@link TableType}, for checks. @internal */
export const TABLE_TYPES: readonly string[] = ['set', 'ordered_set', 'bag', 'duplicate_bag'];

/** Every {@link Access} mode, for checks. @internal */
export const ACCESS_MODES: readonly string[] = ['public', 'protected', 'private'];
