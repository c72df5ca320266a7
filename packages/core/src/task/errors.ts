import type { ActorRef } from '../kernel/index.js';
import { ArborError, hideRefs, refLabel } from '../errors/ArborError.js';
import { formatReason } from '../exit/ExitReason.js';

/**
 * `Task.await` got no result within its timeout. The task keeps running: stop it with
 * `Task.shutdown`, or let the rejection crash your actor (a linked task goes down with it).
 *
 * @example
 * await Task.await(task, 100) // rejects with TaskTimeoutError if the task takes longer
 */
export class TaskTimeoutError extends ArborError {
  readonly code = 'task_timeout' as const;
  constructor(
    readonly task: ActorRef,
    readonly timeout: number,
  ) {
    super(`task ${refLabel(task)} gave no result within ${timeout} ms; raise the timeout, use Task.yield to poll, or Task.shutdown to stop it`);
    hideRefs(this, 'task');
  }
}

/**
 * The task exited without a result: its function threw or rejected (`reason` is the
 * error), or it was stopped or killed.
 *
 * @example
 * catch (e) { if (e instanceof TaskExitError) console.log('task failed:', e.reason) }
 */
export class TaskExitError extends ArborError {
  readonly code = 'task_exit' as const;
  constructor(
    readonly task: ActorRef,
    readonly reason: unknown,
  ) {
    super(`task ${refLabel(task)} exited with ${formatReason(reason)} before it gave a result`, { cause: reason instanceof Error ? reason : undefined });
    hideRefs(this, 'task');
  }
}
