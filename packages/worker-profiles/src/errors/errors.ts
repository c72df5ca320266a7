import { ArborError } from '@arbor/core';
import type { WireError } from '../contract/frames.js';
import { formatWorkerExit, type WorkerExit } from '../contract/WorkerExit.js';

function whoIs(exit: Pick<WorkerExit, 'workerId' | 'kind' | 'pid' | 'threadId'>): string {
  const where = exit.pid !== undefined ? ` pid ${exit.pid}` : exit.threadId !== undefined ? ` thread ${exit.threadId}` : '';
  return `worker ${JSON.stringify(exit.workerId)} (${exit.kind}${where})`;
}

/**
 * The worker ended while the request was in flight (or queued for it). `exit` says how:
 * every in-flight request of that worker is rejected with this, exactly once.
 *
 * @example
 * catch (e) { if (e instanceof WorkerExitError && e.exit.reason === 'oom') shrinkInput() }
 */
export class WorkerExitError extends ArborError {
  readonly code = 'worker_exit' as const;
  constructor(readonly exit: WorkerExit, readonly method?: string) {
    super(`${whoIs(exit)} ${formatWorkerExit(exit)}${method !== undefined ? ` while request ${JSON.stringify(method)} was in flight` : ''}; the request did not finish (retry it if it is idempotent)`);
  }
}

/**
 * A worker could not be started: the spawn failed, the worker crashed before READY, or
 * READY did not come within `readyTimeoutMs`. Nothing is left running.
 *
 * @example
 * await startWorker(system, { profile: stdioProfile({ command: 'nope' }) }) // rejects (InitError wrapping this)
 */
export class WorkerStartError extends ArborError {
  readonly code = 'worker_start_failed' as const;
  constructor(readonly exit: WorkerExit & { reason: 'startup_failed' }, cause?: unknown) {
    super(`${whoIs(exit)} ${formatWorkerExit(exit)}; check the profile's module or command (run it by hand: it must print a READY frame)`, {
      cause: cause instanceof Error ? cause : undefined,
    });
  }
}

/**
 * The handler threw (or rejected) inside the worker; `remote` is its error as it crossed the
 * wire (name, message, stack, code). The worker is fine and keeps serving.
 *
 * @example
 * catch (e) { if (e instanceof WorkerTaskError) console.log(e.remote.name, e.remote.message) }
 */
export class WorkerTaskError extends ArborError {
  readonly code = 'task_failed' as const;
  constructor(readonly workerId: string, readonly method: string, readonly remote: WireError) {
    super(`request ${JSON.stringify(method)} failed in worker ${JSON.stringify(workerId)}: ${remote.name}: ${remote.message}`);
    if (remote.stack !== undefined) this.stack = `${this.name}: ${this.message}\n    --- in the worker ---\n${remote.stack}`;
  }
}

/**
 * No reply within the request's `timeoutMs`. The worker was sent a `cancel` frame; a reply
 * that comes later is dropped.
 *
 * @example
 * await worker.request('slow', 1, { timeoutMs: 100 }) // rejects with RequestTimeoutError
 */
export class RequestTimeoutError extends ArborError {
  readonly code = 'request_timeout' as const;
  constructor(readonly workerId: string, readonly method: string, readonly timeoutMs: number) {
    super(`request ${JSON.stringify(method)} to worker ${JSON.stringify(workerId)} got no reply within ${timeoutMs} ms; raise { timeoutMs } or make the handler faster`);
  }
}

/**
 * The request's AbortSignal fired. A queued request is dropped; a running one is sent a
 * `cancel` frame (its AbortSignal fires in the worker), and a worker that does not end it
 * within `cancelGraceMs` is killed and replaced.
 *
 * @example
 * await worker.request('spin', 4000, { signal: AbortSignal.timeout(300) }) // rejects with RequestAbortedError
 */
export class RequestAbortedError extends ArborError {
  readonly code = 'aborted' as const;
  constructor(readonly workerId: string, readonly method: string, reason: unknown) {
    super(`request ${JSON.stringify(method)} to worker ${JSON.stringify(workerId)} was aborted: ${reason instanceof Error ? reason.message : String(reason)}`, {
      cause: reason,
    });
  }
}

/**
 * The worker actor is not running (never started, stopped, or between a crash and its
 * restart). A supervised worker comes back under a new ref: look it up again by name.
 *
 * @example
 * await workerOf(system, 'py').request('add', 1) // rejects with WorkerStoppedError when 'py' is down
 */
export class WorkerStoppedError extends ArborError {
  readonly code = 'worker_stopped' as const;
  constructor(readonly worker: string, readonly method: string) {
    super(`request ${JSON.stringify(method)}: worker ${worker} is not running; start it, or look it up again by name after its supervisor restarts it`);
  }
}

/**
 * The worker does not serve this method (it listed its methods in READY). Only reachable
 * from untyped code: a typed request for an unknown method fails to compile.
 *
 * @example
 * await (worker as WorkerHandle<any>).request('nope', 1) // rejects with UnknownMethodError
 */
export class UnknownMethodError extends ArborError {
  readonly code = 'unknown_method' as const;
  constructor(readonly workerId: string, readonly method: string, readonly methods: readonly string[]) {
    super(`worker ${JSON.stringify(workerId)} serves no method ${JSON.stringify(method)}; it serves: ${methods.join(', ') || '(none)'}`);
  }
}
