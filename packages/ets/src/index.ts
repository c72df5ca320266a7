/**
 * @arbor/ets: ETS-style tables (set, ordered_set, bag, duplicate_bag) owned by actors,
 * with access rules, heirs and give-away, and the supervised table owner.
 */
export { compareKeys, isKey, MAX_KEY_DEPTH, MAX_KEY_ELEMENTS, type Key } from './keys/Key.js';
export { Ets, type AnyTable, type TableOf } from './table/Ets.js';
export type { ActorContext } from './table/context.js';
export { Table } from './table/Table.js';
export { SetTable, type CounterOp } from './table/SetTable.js';
export { OrderedTable, type RangeOptions } from './table/OrderedTable.js';
export { BagTable } from './table/BagTable.js';
export type { Entry } from './table/Store.js';
export { SelectContinuation, type SelectPage } from './table/SelectContinuation.js';
export type { Access, Heir, TableInfo, TableOptions, TableType } from './table/TableOptions.js';
export type { EtsTransfer } from './table/ownership.js';
export { AccessDeniedError, BadKeyError, CounterError, OwnershipError, TableDeletedError, TableNameTakenError, TableTypeError } from './table/errors.js';
export { TableOwner, type DeclaredTable, type TableDecls, type TableOwnerDef } from './owner/TableOwner.js';
export { TableSpec, type TableDecl, type TableDeclOptions } from './owner/TableSpec.js';
export { NotStartedError, UnknownTableError } from './owner/errors.js';
