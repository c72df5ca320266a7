import { ArborError } from '@arbor/core';
import { showKey } from '../keys/showKey.js';

/**
 * `ensureTable` was asked for a name the table owner does not declare.
 *
 * @example
 * AppTables.ensureTable('nope' as never); // throws UnknownTableError
 */
export class UnknownTableError extends ArborError {
  readonly code = 'unknown_table' as const;
  constructor(readonly owner: string, readonly table: string, known: readonly string[]) {
    super(`unknown table ${showKey(table)} for table owner ${showKey(owner)}; declare it in TableOwner.define (known: ${known.map((k) => showKey(k)).join(', ')})`);
  }
}

/**
 * `ensureTable` was called while the table owner is not running (never started, or
 * between a crash and its restart).
 *
 * @example
 * AppTables.ensureTable('hits'); // before the tree started: throws NotStartedError
 */
export class NotStartedError extends ArborError {
  readonly code = 'not_started' as const;
  constructor(readonly owner: string, detail: string) {
    super(
      `table owner ${showKey(owner)} is not running${detail}; start it in the supervision tree (put its childSpec(), ` +
        'after its keeperSpec() if a table is declared with keep, in a supervisor\'s children) before using its tables, and pass that system to ensureTable',
    );
  }
}
