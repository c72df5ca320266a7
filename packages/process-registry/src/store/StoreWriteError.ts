import { ArborError } from '@arbor/core';

/**
 * A write to the registry's LMDB file was not committed (the disk is full, the file hit a
 * size limit, LMDB answered `MDB_BAD_TXN`, ...). The call that asked for the write
 * rejects with it; the registry then crashes, so that its supervisor restarts it. `detail`
 * is LMDB's own reason (lmdb-js hands it over in a separate `commitError` promise).
 *
 * @example
 * try { await registry.reserveWorker('w1') }
 * catch (e) { if (e instanceof StoreWriteError) console.log(e.code, e.detail) } // 'store_write_failed'
 */
export class StoreWriteError extends ArborError {
  readonly code = 'store_write_failed' as const;
  constructor(readonly path: string, readonly detail: string, cause?: unknown) {
    super(`the process registry could not commit a write to ${path} (${detail}); free disk space or raise the file size limit, or move the file aside, then restart the registry`, {
      cause: cause instanceof Error ? cause : undefined,
    });
  }
}

/** How long to wait for lmdb-js's `commitError` to give the reason (it settles in the same turn as the failure). */
const REASON_WAIT_MS = 1000;

/**
 * The typed error for a rejected lmdb-js write. lmdb-js rejects a failed commit with
 * "Commit failed (see commitError for details)" and attaches a second promise,
 * `commitError`, that rejects with the reason: it is handled here (else it would be an
 * unhandled rejection) and its reason becomes `detail`. Never rejects. @internal
 *
 * @example
 * db.put(key, value).catch(async (e) => { throw await storeWriteError(path, e); });
 */
export async function storeWriteError(path: string, error: unknown): Promise<StoreWriteError> {
  if (error instanceof StoreWriteError) return error;
  let reason: unknown = error;
  const commitError = (error as { commitError?: unknown } | null)?.commitError;
  if (commitError instanceof Promise) {
    let timer: NodeJS.Timeout | undefined;
    const detailed = await Promise.race([
      commitError.then(
        () => undefined,
        (e: unknown) => e,
      ),
      new Promise<undefined>((r) => (timer = setTimeout(() => r(undefined), REASON_WAIT_MS).unref())),
    ]);
    clearTimeout(timer);
    if (detailed !== undefined) reason = detailed;
  }
  const detail = reason instanceof Error ? reason.message : String(reason);
  return new StoreWriteError(path, detail.split('\n')[0]!, reason);
}
