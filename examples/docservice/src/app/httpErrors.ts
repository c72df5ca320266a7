/**
 * How the API answers errors: each typed error maps to one HTTP status, and the body is
 * `{ "error": code, "message": ... }` with the error's literal `code`, so a client can
 * tell an out-of-memory job (507 `oom`) from a worker that died under it (503
 * `worker_exit`) or a deadline (504 `timeout`). Nothing is left to hang.
 */
import { ArborError } from '@arbor/core';
import {
  InsufficientMemoryError,
  JobKilledError,
  JobRejectedError,
  JobTimeoutError,
  JobWorkerExitError,
  PoolStoppedError,
} from '@arbor/pool';
import { WorkerTaskError } from '@arbor/worker-profiles';

/**
 * A request the API cannot serve as sent; its message says how to fix it.
 *
 * @example
 * throw new BadRequestError('query "rounds" must be an integer from 1 to 5000000, got "x"');
 */
export class BadRequestError extends ArborError {
  readonly code = 'bad_request' as const;
}

/**
 * No document (or route) under that path.
 *
 * @example
 * throw new NotFoundError('no document "doc-1"; POST /documents first, and use the id it answers');
 */
export class NotFoundError extends ArborError {
  readonly code = 'not_found' as const;
}

/**
 * The request has no valid `x-session` header.
 *
 * @example
 * throw new NoSessionError('send the id that POST /sessions answered in the x-session header');
 */
export class NoSessionError extends ArborError {
  readonly code = 'no_session' as const;
}

/**
 * A part of the service is not available on this machine (python3 missing).
 *
 * @example
 * throw new UnavailableError('python_missing', 'summaries need python3 on the PATH: apt-get install python3');
 */
export class UnavailableError extends ArborError {
  constructor(readonly code: 'python_missing', message: string) {
    super(message);
  }
}

/** An error as the API sends it. */
export interface HttpError {
  readonly status: number;
  readonly body: { readonly error: string; readonly message: string };
}

/**
 * The status and body for `error`: 400 / 401 / 404 for the request's own faults, 503 for
 * a job the pool refused or lost (`pool_stopped`, `queue_full`, `worker_exit`, `killed`,
 * ...), 507 for memory (`oom`, `insufficient_memory`), 504 for `timeout`, 502 for a task
 * that threw (`task_failed`), 500 for anything untyped.
 *
 * @example
 * toHttpError(new JobTimeoutError(...)); // { status: 504, body: { error: 'timeout', message: '...' } }
 */
export function toHttpError(error: unknown): HttpError {
  const reply = (status: number, code: string, message: string): HttpError => ({ status, body: { error: code, message } });
  if (error instanceof BadRequestError) return reply(400, error.code, error.message);
  if (error instanceof NoSessionError) return reply(401, error.code, error.message);
  if (error instanceof NotFoundError) return reply(404, error.code, error.message);
  if (error instanceof InsufficientMemoryError) return reply(507, error.code, error.message);
  if (error instanceof JobRejectedError) return reply(503, error.code, error.message);
  if (error instanceof JobWorkerExitError) return reply(error.code === 'oom' ? 507 : 503, error.code, error.message);
  if (error instanceof JobKilledError) return reply(503, error.code, error.message);
  if (error instanceof PoolStoppedError) return reply(503, error.code, error.message);
  if (error instanceof JobTimeoutError) return reply(504, error.code, error.message);
  if (error instanceof WorkerTaskError) return reply(502, error.code, error.message);
  if (error instanceof UnavailableError) return reply(503, error.code, error.message);
  return reply(500, 'internal', error instanceof Error ? `${error.name}: ${error.message}` : String(error));
}
