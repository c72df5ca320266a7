import { ArborError } from '@arbor/core';

/**
 * `MemoryNetwork.connect(name)` was given the name of a connection that is still open: names
 * identify connections in the network's switches, so they are unique among open connections.
 *
 * @example
 * net.connect('a'); net.connect('a'); // throws TransportNameInUseError
 */
export class TransportNameInUseError extends ArborError {
  readonly code = 'transport_name_in_use' as const;
  constructor(readonly connectionName: string) {
    super(`a connection named "${connectionName}" is open on this MemoryNetwork; close or kill it first, or pick another name`);
  }
}
