import { threadProfile, type WorkerConn, type WorkerExit, type WorkerProfile } from '@arbor/worker-profiles';
import { TASK_WORKER_URL } from '../../src/index.js';

/** Every task-worker thread the tracked profiles started, and its exit once Node reported it. */
export const taskThreads: { conn: WorkerConn; exit: WorkerExit | undefined }[] = [];

function track(profile: WorkerProfile<any>, capped: boolean): WorkerProfile<any> {
  const tracked: WorkerProfile<any> & { withHeapLimit?(bytes: number): WorkerProfile<any> } = {
    ...profile,
    async start(ctx) {
      const conn = await profile.start(ctx);
      const record: { conn: WorkerConn; exit: WorkerExit | undefined } = { conn, exit: undefined };
      taskThreads.push(record);
      const onExit = conn.onExit.bind(conn);
      (conn as { onExit: WorkerConn['onExit'] }).onExit = (receiver) =>
        onExit((e) => {
          record.exit = e;
          receiver(e);
        });
      return conn;
    },
  };
  const limit = (profile as { withHeapLimit?(bytes: number): WorkerProfile<any> }).withHeapLimit;
  if (!capped) delete tracked.withHeapLimit;
  else if (typeof limit === 'function') tracked.withHeapLimit = (bytes) => track(limit.call(profile, bytes), true);
  return tracked;
}

/**
 * `threadProfile({ module: TASK_WORKER_URL })` recording each started thread and its exit
 * (heap-class profiles too), so a test file can check at its end that every thread it started is gone.
 * Uncapped by default (no `withHeapLimit`: a job's maxHeapBytes is only committed against the
 * budget, as for a profile that cannot cap); `capped` keeps heap classes.
 */
export function trackedTaskProfile(capacity = 1, capped = false): WorkerProfile<any> {
  return track(threadProfile({ module: TASK_WORKER_URL, capacity }), capped);
}

/** Whether every tracked thread reported its exit within 10 s. */
export async function allTaskThreadsExited(): Promise<boolean> {
  const end = Date.now() + 10_000;
  while (taskThreads.some((r) => r.exit === undefined)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}

