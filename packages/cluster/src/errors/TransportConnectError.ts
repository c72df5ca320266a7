import { ArborError } from '@arbor/core';

/**
 * A transport could not connect to the message bus within its timeout (no server listening,
 * refused credentials, or no answer). `servers` are the addresses tried; `cause` is the client's error.
 *
 * @example
 * try { await NatsTransport.connect({ servers: 'nats://127.0.0.1:4222', name: 'n1-1', timeout: 2000 }) }
 * catch (e) { if (e instanceof TransportConnectError) console.error(e.message) }
 */
export class TransportConnectError extends ArborError {
  readonly code = 'transport_connect' as const;
  constructor(readonly servers: readonly string[], readonly connectionName: string, readonly timeoutMs: number, cause: unknown) {
    const why = cause instanceof Error ? cause.message : String(cause);
    const auth = /auth/i.test(why);
    super(
      `transport "${connectionName}" could not connect to NATS at ${servers.join(', ')} within ${timeoutMs} ms: ${why}; ` +
        (auth
          ? 'check the user and pass (or token) the server expects'
          : 'is nats-server running and listening there? (start it with `nats-server -a 127.0.0.1 -p PORT`, or pass the right { servers })'),
      { cause },
    );
  }
}
