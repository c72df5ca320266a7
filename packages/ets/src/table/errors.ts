import { ArborError, isActorRef, type ActorRef } from '@arbor/core';
import { MAX_KEY_DEPTH, MAX_KEY_ELEMENTS, showKey, tooDeep, tooManyElements } from '../keys/showKey.js';


/**
 * A key that is not a {@link Key}: keys are numbers (not NaN), strings, or arrays of keys
 * nested at most 100 deep and holding at most 100,000 elements in all (an array that
 * contains itself is never a key). `table` is the
 * table's label, or '' for a key checked outside any table (`compareKeys`).
 *
 * @example
 * table.insert({ id: 1 } as never, 'x'); // throws BadKeyError
 */
export class BadKeyError extends ArborError {
  readonly code = 'bad_key' as const;
  constructor(readonly table: string, readonly operation: string, readonly key: unknown) {
    const where = table === '' ? String(operation) : `${String(operation)} on ${String(table)}`;
    super(
      tooDeep(key)
        ? `${where}: ${showKey(key)} is not a key: it nests arrays more than ${MAX_KEY_DEPTH} deep (or contains itself); use a flatter key, e.g. join the path into one string or one array`
        : tooManyElements(key)
          ? `${where}: ${showKey(key)} is not a key: it holds more than ${MAX_KEY_ELEMENTS} array elements in all (nested arrays counted each time they appear); use a smaller key, e.g. a hash or an id of the value`
          : `${where}: ${showKey(key)} is not a key; use a number (not NaN), a string, or an array of those`,
    );
  }
}

/**
 * The handle's actor may not do this: a write to a protected table by anyone but its
 * owner, or any access to a private table by anyone but its owner.
 *
 * @example
 * Ets.whereis(system, 'hits', 'set')!.insert('a', 1); // protected: throws AccessDeniedError
 */
export class AccessDeniedError extends ArborError {
  readonly code = 'access_denied' as const;
  constructor(
    readonly table: string,
    readonly operation: string,
    readonly access: string,
    readonly caller: ActorRef | null,
  ) {
    const who = caller === null || caller === undefined ? 'code outside any actor' : isActorRef(caller) ? String(caller) : `actor ${String((caller as { id?: unknown }).id)}`;
    super(
      `${operation} on ${access} table ${table} is not allowed for ${who}, which does not own it; ` +
        "write through the owner's handle (or give the table away to this actor), or create the table with access 'public'",
    );
    // A ref is the whole actor: keep it readable but out of the printed error.
    Object.defineProperty(this, 'caller', { enumerable: false });
  }
}

/**
 * The table was deleted (dropped, or its owner exited with no live heir).
 *
 * @example
 * table.drop(); table.lookup('a'); // throws TableDeletedError
 */
export class TableDeletedError extends ArborError {
  readonly code = 'table_deleted' as const;
  constructor(readonly table: string, readonly operation: string) {
    super(`${operation} on ${table}: the table was deleted (dropped, or its owner exited without a live heir); create it again, or set an heir to keep it`);
  }
}

/**
 * A table with this name already exists in the system.
 *
 * @example
 * Ets.create(this, { type: 'set', name: 'hits' }); // twice: throws TableNameTakenError
 */
export class TableNameTakenError extends ArborError {
  readonly code = 'name_taken' as const;
  constructor(readonly tableName: string) {
    super(`a table named ${showKey(tableName)} already exists; open it with Ets.whereis, or pick another name`);
  }
}

/**
 * An ownership change that only the owner may make (giveAway, setHeir, drop) was made
 * through a handle that is not the owner's, or named an actor that cannot take the table.
 *
 * @example
 * otherHandle.giveAway(ref, null); // throws OwnershipError
 */
export class OwnershipError extends ArborError {
  readonly code = 'ownership' as const;
  constructor(readonly table: string, readonly operation: string, reason: string) {
    super(`${operation} on ${table}: ${reason}`);
  }
}

/**
 * updateCounter on a key that holds no value and no default was given, or on a value
 * that is not a number.
 *
 * @example
 * table.updateCounter('missing', 1); // throws CounterError; pass a default: updateCounter('missing', 1, 0)
 */
export class CounterError extends ArborError {
  readonly code = 'bad_counter' as const;
  constructor(readonly table: string, readonly key: unknown, reason: string) {
    super(`updateCounter on ${table} at ${showKey(key)}: ${reason}`);
  }
}

/**
 * A table of another type than the one asked for was found under a name, or a select
 * continuation was used on another table or used twice.
 *
 * @example
 * Ets.whereis(system, 'hits', 'bag'); // 'hits' is a set: throws TableTypeError
 */
export class TableTypeError extends ArborError {
  readonly code = 'table_type' as const;
  constructor(readonly table: string, reason: string) {
    super(`${table}: ${reason}`);
  }
}
