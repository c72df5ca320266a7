import { ArborError } from '@arbor/core';

/**
 * The transport is closed (by `close()`, or for good after the bus was lost): `flush()` rejects
 * with it, and so does `subscribe()` on a closed transport.
 *
 * @example
 * await t.close();
 * await t.flush(); // rejects with TransportClosedError
 */
export class TransportClosedError extends ArborError {
  readonly code = 'transport_closed' as const;
  constructor(readonly connectionName: string, operation: string) {
    super(`${operation}: transport "${connectionName}" is closed; connect a new one`);
  }
}
