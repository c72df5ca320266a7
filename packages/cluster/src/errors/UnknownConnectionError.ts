import { ArborError } from '@arbor/core';

/**
 * A `MemoryNetwork` switch that acts on one open connection (`isolate`, `rejoin`, `pause`,
 * `resume`, `kill`) was given a name with no open connection.
 *
 * @example
 * net.kill('nobody'); // throws UnknownConnectionError
 */
export class UnknownConnectionError extends ArborError {
  readonly code = 'unknown_connection' as const;
  constructor(readonly connectionName: string, operation: string) {
    super(`${operation}: no open connection named "${connectionName}" on this MemoryNetwork; connect it first with net.connect("${connectionName}")`);
  }
}
