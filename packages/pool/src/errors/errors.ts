import { ArborError, formatReason } from '@arbor/core';

/**
 * A blocking checkout found no worker within its `timeoutMs`. Its place in the queue was
 * removed; a worker that was being handed to it goes back to the pool (poolboy #70).
 *
 * @example
 * catch (e) { if (e instanceof CheckoutTimeoutError) shedLoad() }
 */
export class CheckoutTimeoutError extends ArborError {
  readonly code = 'checkout_timeout' as const;
  constructor(readonly pool: string, readonly timeoutMs: number) {
    super(`checkout from pool ${JSON.stringify(pool)} got no worker within ${timeoutMs} ms; raise { timeoutMs }, the pool's size or maxOverflow, or check in leases sooner`);
  }
}

/**
 * The checkout's `signal` aborted (`by: 'signal'`), or its `owner` actor exited while it
 * waited (`by: 'owner'`, `reason`: the owner's exit reason). Its place in the queue was
 * removed; a worker already handed to it went back to the pool.
 *
 * @example
 * catch (e) { if (e instanceof CheckoutAbortedError) return }
 */
export class CheckoutAbortedError extends ArborError {
  readonly code = 'checkout_aborted' as const;
  constructor(readonly pool: string, readonly reason?: unknown, readonly by: 'signal' | 'owner' = 'signal') {
    super(
      by === 'owner'
        ? `checkout from pool ${JSON.stringify(pool)} was aborted: its owner actor exited while it waited (${formatReason(reason)}); pass a live { owner }, or owner: null`
        : `checkout from pool ${JSON.stringify(pool)} was aborted by its signal${reason !== undefined ? ` (${formatReason(reason)})` : ''}`,
    );
  }
}

/**
 * A blocking checkout was refused because `maxWaiting` callers wait already (the
 * non-blocking checkout answers `'full'` instead).
 *
 * @example
 * catch (e) { if (e instanceof PoolFullError) return reply503() }
 */
export class PoolFullError extends ArborError {
  readonly code = 'pool_full' as const;
  constructor(readonly pool: string, readonly maxWaiting: number) {
    super(`pool ${JSON.stringify(pool)} has ${maxWaiting} checkouts waiting already (maxWaiting); retry later, or raise { maxWaiting }`);
  }
}

/**
 * The pool is not running (stopped, never started, or between a crash and its restart), or
 * it stopped or restarted while the checkout waited. Leases of a restarted pool are void:
 * their workers were stopped with it.
 *
 * @example
 * catch (e) { if (e instanceof PoolStoppedError) await sleep(50) } // a restarting pool answers again soon
 */
export class PoolStoppedError extends ArborError {
  readonly code = 'pool_stopped' as const;
  constructor(readonly pool: string, readonly op: string, readonly reason?: unknown) {
    super(
      reason === undefined
        ? `${op}: pool ${JSON.stringify(pool)} is not running; start it with pools.startPool({ name: ${JSON.stringify(pool)}, ... }), or retry if it is restarting`
        : `${op}: pool ${JSON.stringify(pool)} stopped while the call waited (${formatReason(reason)}); retry if it restarts`,
    );
  }
}

/**
 * A worker the pool started for this checkout failed to start (its `cause` says why). The
 * pool stays up and backs off before it starts another (poolboy #122, generic-pool #175).
 *
 * @example
 * catch (e) { if (e instanceof WorkerStartFailedError) console.error(e.cause) }
 */
export class WorkerStartFailedError extends ArborError {
  readonly code = 'start_failed' as const;
  constructor(readonly pool: string, readonly error: unknown, readonly failures: number) {
    super(`pool ${JSON.stringify(pool)} could not start a worker (${failures} failed start${failures === 1 ? '' : 's'} in a row): ${formatReason(error)}`, {
      cause: error instanceof Error ? error : undefined,
    });
  }
}

/**
 * `startPool` could not start the pool: its workers or its manager failed to start
 * (`cause`). Nothing of it is left running.
 *
 * @example
 * const r = await pools.startPool(spec); if (r.status === 'error') console.error(r.reason.message);
 */
export class PoolStartError extends ArborError {
  readonly code = 'pool_start_failed' as const;
  constructor(readonly pool: string, readonly error: unknown) {
    super(`pool ${JSON.stringify(pool)} failed to start: ${formatReason(error)}`, { cause: error instanceof Error ? error : undefined });
  }
}

/**
 * A lease was used after it ended: checked in, dismissed, revoked (`maxLeaseMs`, its owner
 * died) or voided by a pool restart.
 *
 * @example
 * lease.checkin(); lease.worker; // throws LeaseEndedError
 */
export class LeaseEndedError extends ArborError {
  readonly code = 'lease_ended' as const;
  constructor(readonly pool: string, readonly op: string) {
    super(`${op}: this lease of pool ${JSON.stringify(pool)} has ended (checked in or dismissed); check out again`);
  }
}
