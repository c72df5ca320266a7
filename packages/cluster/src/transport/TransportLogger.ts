/**
 * Where a transport reports what it cannot throw (a subscriber callback that threw, a client
 * error): a winston-like logger, `{ error(message, meta) }`. The default is silent.
 *
 * @example
 * const logger: TransportLogger = { error: (msg, meta) => console.error(msg, meta) };
 * await NatsTransport.connect({ servers: url, name: 'n1-1', logger });
 */
export interface TransportLogger {
  error(message: string, meta?: Record<string, unknown>): void;
}

/** The default {@link TransportLogger}: drops everything. @internal
 *
 * @example
 * const logger = options.logger ?? silentTransportLogger;
 */
export const silentTransportLogger: TransportLogger = { error: () => {} };
