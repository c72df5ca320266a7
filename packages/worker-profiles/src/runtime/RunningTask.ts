import type { TaskContext } from '../contract/Handlers.js';

/**
 * The {@link TaskContext} of one request in the worker: its id and an AbortSignal that is
 * only made when the handler reads `signal` (most handlers never do). The runtime keeps it
 * while an async handler runs, so a `cancel` frame can fire the signal.
 * @internal
 *
 * @example
 * const task = new RunningTask(7);
 * task.cancel();
 * task.signal.aborted; // true
 */
export class RunningTask implements TaskContext {
  readonly id: number;
  #controller: AbortController | undefined = undefined;
  #cancelled = false;

  constructor(id: number) {
    this.id = id;
  }

  /** Fires when the parent cancels the request. */
  get signal(): AbortSignal {
    return (this.#controller ??= new AbortController()).signal;
  }

  /** Whether the parent cancelled the request (its reply will be a `cancelled` error). */
  get cancelled(): boolean {
    return this.#cancelled;
  }

  /** Marks the request cancelled and fires its signal (once). */
  cancel(): void {
    if (this.#cancelled) return;
    this.#cancelled = true;
    (this.#controller ??= new AbortController()).abort(cancelReason());
  }
}

function cancelReason(): Error {
  const reason = new Error('the parent cancelled this request (its caller aborted or timed out)');
  reason.name = 'AbortError';
  (reason as Error & { code: string }).code = 'cancelled';
  return reason;
}
