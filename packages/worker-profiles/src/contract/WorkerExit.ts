import type { WireError } from './frames.js';

/**
 * Why Arbor itself ended a worker (recorded on `killed` and `recycled` exits, so a kill
 * Arbor sent is never mistaken for one it did not).
 */
export type KillCause =
  | 'stop_timeout' // an orderly stop got no exit within its grace
  | 'shutdown' // the owning actor was killed or shut down
  | 'cancel_grace' // a cancelled request did not end within cancelGraceMs
  | 'health_timeout' // missed health checks
  | 'recycle_timeout' // a draining worker did not finish within drainTimeoutMs
  | 'start_timeout'; // no READY frame within readyTimeoutMs

/** What made a worker be recycled. */
export type RecycleTrigger = 'requests' | 'ttl' | 'heap' | 'rss' | 'manual';

/**
 * How a worker ended, as data. Exactly one is produced per worker, however it ends.
 *
 * - `normal`: it exited 0, or stopped because Arbor asked it to.
 * - `exit`: it exited with a non-zero `code` (`process.exit(1)` in a handler).
 * - `crash`: a signal other than SIGKILL (SIGSEGV, SIGTERM from someone else), or a thread's uncaught error.
 * - `oom`: a thread's `ERR_WORKER_OUT_OF_MEMORY`; SIGABRT from a Node child started with `--max-old-space-size`.
 * - `killed`: SIGKILL (or `worker.terminate()`); `by` says whether Arbor sent it (and `cause` why) or someone else (the kernel's OOM killer, a person).
 * - `timeout`: it missed `missed` health checks in a row; Arbor killed it.
 * - `recycled`: Arbor replaced it (served too many requests, too old, too big).
 * - `startup_failed`: it never sent READY (spawn error, crash at import, start timeout).
 *
 * @example
 * if (exit.reason === 'killed' && exit.by === 'external') console.warn('someone SIGKILLed', exit.pid);
 */
export type WorkerExit = WorkerExitBase &
  (
    | { readonly reason: 'normal' }
    | { readonly reason: 'exit'; readonly code: number }
    | { readonly reason: 'crash'; readonly signal?: string; readonly error?: WireError }
    | { readonly reason: 'oom'; readonly signal?: string; readonly error?: WireError }
    | { readonly reason: 'killed'; readonly signal: string; readonly by: 'arbor' | 'external'; readonly cause?: KillCause }
    | { readonly reason: 'timeout'; readonly missed: number }
    | { readonly reason: 'recycled'; readonly trigger: RecycleTrigger }
    | { readonly reason: 'startup_failed'; readonly detail: string; readonly error?: WireError }
  );

/** Fields every {@link WorkerExit} carries. */
export interface WorkerExitBase {
  /** The worker's id (unique per start: a restarted worker gets a new one). */
  readonly workerId: string;
  /** The profile kind (`thread`, `node-process`, `stdio`, or a library's own). */
  readonly kind: string;
  readonly pid?: number;
  readonly threadId?: number;
  /** `Date.now()` when the exit was seen. */
  readonly at: number;
}

/** The exit classes, for switch statements and tests. */
export const WORKER_EXIT_REASONS = ['normal', 'exit', 'crash', 'oom', 'killed', 'timeout', 'recycled', 'startup_failed'] as const;

/**
 * One readable phrase for an exit: `killed by SIGKILL (not sent by Arbor)`, `exited with code 1`.
 *
 * @example
 * console.log(`worker ${exit.workerId} ${formatWorkerExit(exit)}`);
 */
export function formatWorkerExit(exit: WorkerExit): string {
  switch (exit.reason) {
    case 'normal':
      return 'exited normally';
    case 'exit':
      return `exited with code ${exit.code}`;
    case 'crash':
      return exit.signal !== undefined ? `crashed with ${exit.signal}` : `crashed: ${exit.error?.name ?? 'Error'}: ${exit.error?.message ?? 'unknown error'}`;
    case 'oom':
      return `ran out of memory${exit.signal !== undefined ? ` (${exit.signal})` : ''}`;
    case 'killed':
      return `killed by ${exit.signal} (${exit.by === 'arbor' ? `sent by Arbor: ${exit.cause ?? 'unknown cause'}` : 'not sent by Arbor'})`;
    case 'timeout':
      return `missed ${exit.missed} health checks and was killed`;
    case 'recycled':
      return `recycled (${exit.trigger})`;
    case 'startup_failed':
      return `failed to start: ${exit.detail}`;
  }
}
