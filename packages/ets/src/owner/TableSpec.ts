import { InvalidOptionError } from '@arbor/core';
import type { Key } from '../keys/Key.js';
import { checkKnownKeys, checkOptionsObject } from '../table/checkOptions.js';
import { ACCESS_MODES, TABLE_TYPES, type Access, type TableType } from '../table/TableOptions.js';

/**
 * How a table owner declares one table; the key and value types ride along as phantoms.
 *
 * @example
 * const d: TableDecl<'set', string, number> = TableSpec.set<string, number>();
 */
export interface TableDecl<T extends TableType = TableType, K extends Key = Key, V = unknown> {
  readonly type: T;
  /** Default 'public' (shared tables are written by many actors). */
  readonly access: Access;
  /**
   * Keep the table's contents across a crash of the owner: the owner's keeper (see
   * `keeperSpec`) is the heir and hands the table back to the restarted owner. Default
   * false: a restarted owner starts with an empty table.
   */
  readonly keep: boolean;
  readonly __key?: K;
  readonly __value?: V;
}

/**
 * The options of one declared table.
 *
 * @example
 * TableSpec.set<string, number>({ access: 'protected', keep: true });
 */
export interface TableDeclOptions {
  readonly access?: Access;
  readonly keep?: boolean;
}

const DECL_OPTION_KEYS: readonly string[] = ['access', 'keep'];

function decl<T extends TableType, K extends Key, V>(type: T, o: TableDeclOptions | undefined): TableDecl<T, K, V> {
  if (o !== undefined) {
    checkOptionsObject('TableSpec: options', o, "{ access?, keep? } or undefined, such as { access: 'protected', keep: true }");
    checkKnownKeys('TableSpec', o, DECL_OPTION_KEYS);
    if (o.access !== undefined && !ACCESS_MODES.includes(o.access)) throw new InvalidOptionError('TableSpec: access', "'public', 'protected' or 'private'", o.access);
    if (o.keep !== undefined && typeof o.keep !== 'boolean') throw new InvalidOptionError('TableSpec: keep', 'a boolean', o.keep);
  }
  return { type, access: o?.access ?? 'public', keep: o?.keep ?? false };
}

/**
 * Declares the tables of a {@link TableOwner}, with their key and value types.
 *
 * @example
 * const AppTables = TableOwner.define('app_tables', {
 *   worker_taints: TableSpec.set<string, Taint>(),
 *   hits: TableSpec.set<string, number>({ keep: true }),
 * });
 */
export const TableSpec = {
  set: <K extends Key, V>(o?: TableDeclOptions): TableDecl<'set', K, V> => decl('set', o),
  orderedSet: <K extends Key, V>(o?: TableDeclOptions): TableDecl<'ordered_set', K, V> => decl('ordered_set', o),
  bag: <K extends Key, V>(o?: TableDeclOptions): TableDecl<'bag', K, V> => decl('bag', o),
  duplicateBag: <K extends Key, V>(o?: TableDeclOptions): TableDecl<'duplicate_bag', K, V> => decl('duplicate_bag', o),
};

/** Throws InvalidOptionError unless `d` is a declaration a TableSpec function made. @internal */
export function checkDecl(op: string, d: unknown): void {
  const x = d as Partial<TableDecl> | null;
  if (x === null || typeof x !== 'object' || !TABLE_TYPES.includes(x.type as string) || !ACCESS_MODES.includes(x.access as string) || typeof x.keep !== 'boolean') {
    throw new InvalidOptionError(op, 'a table declaration made by TableSpec (TableSpec.set(), .orderedSet(), .bag() or .duplicateBag())', d);
  }
}
