import { threadProfile, type WorkerProfile } from '@arbor/worker-profiles';
import { TASK_WORKER_URL } from '../../src/index.js';
import { allExited, tracked, type TrackedConn } from './tracked.js';

/** Every task-worker thread the tracked profiles started, and its exit once Node reported it. */
export const taskThreads: TrackedConn[] = [];

/**
 * `threadProfile({ module: TASK_WORKER_URL })` recording each started thread and its exit
 * (heap-class profiles too), so a test file can check at its end that every thread it started is gone.
 * Uncapped by default (no `withHeapLimit`: a job's maxHeapBytes is only committed against the
 * budget, as for a profile that cannot cap); `capped` keeps heap classes.
 */
export function trackedTaskProfile(capacity = 1, capped = false): WorkerProfile<any> {
  const profile = tracked(threadProfile({ module: TASK_WORKER_URL, capacity }), taskThreads);
  if (capped) return profile;
  const { withHeapLimit: _, ...uncapped } = profile;
  return uncapped;
}

/** Whether every tracked thread reported its exit within 10 s. */
export function allTaskThreadsExited(): Promise<boolean> {
  return allExited(taskThreads);
}
