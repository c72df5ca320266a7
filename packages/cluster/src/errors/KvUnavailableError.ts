import { ArborError } from '@arbor/core';

/**
 * A key-value operation did not complete: the server did not answer within the store's timeout,
 * the connection is down, or the store is closed. A write that timed out may still have been
 * applied; read the key to find out.
 *
 * @example
 * try { await kv.put('k', value) }
 * catch (e) { if (e instanceof KvUnavailableError) console.log(e.operation, e.bucket, e.cause) }
 */
export class KvUnavailableError extends ArborError {
  readonly code = 'kv_unavailable' as const;
  constructor(
    readonly operation: string,
    readonly bucket: string,
    cause: unknown,
  ) {
    super(
      `${operation} on bucket ${JSON.stringify(bucket)} is unavailable: ${cause instanceof Error ? cause.message : String(cause)}; ` +
        'check the NATS server and retry (a timed-out write may have been applied)',
      { cause },
    );
  }
}
