import { threadProfile, type WorkerExit, type WorkerProfile } from '@arbor/worker-profiles';
import { allExited, tracked, type TrackedConn } from './tracked.js';
import type { Api } from '../fixtures/poolWorker.js';

/** Every thread the tracked profiles started, and its exit once Node reported it. */
export const threads: TrackedConn[] = [];

/**
 * `threadProfile<Api>` of the test fixture, recording each started thread and its exit (the
 * worker actor's exit receiver is wrapped), so a test file can check at its end that every
 * thread it started is gone.
 */
export function trackedThreadProfile(): WorkerProfile<Api> {
  return tracked(threadProfile<Api>({ module: new URL('../fixtures/poolWorker.js', import.meta.url) }), threads);
}

/** Whether every tracked thread (or each of `records`) reported its exit within 10 s. */
export function allThreadsExited(records: readonly { exit: WorkerExit | undefined }[] = threads): Promise<boolean> {
  return allExited(records);
}
