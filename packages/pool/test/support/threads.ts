import { threadProfile, type WorkerConn, type WorkerExit, type WorkerProfile } from '@arbor/worker-profiles';
import type { Api } from '../fixtures/poolWorker.js';

/** Every thread the tracked profiles started, and its exit once Node reported it. */
export const threads: { conn: WorkerConn; exit: WorkerExit | undefined }[] = [];

/**
 * `threadProfile<Api>` of the test fixture, recording each started thread and its exit (the
 * worker actor's exit receiver is wrapped), so a test file can check at its end that every
 * thread it started is gone.
 */
export function trackedThreadProfile(): WorkerProfile<Api> {
  const profile = threadProfile<Api>({ module: new URL('../fixtures/poolWorker.js', import.meta.url) });
  return {
    ...profile,
    async start(ctx) {
      const conn = await profile.start(ctx);
      const record: { conn: WorkerConn; exit: WorkerExit | undefined } = { conn, exit: undefined };
      threads.push(record);
      const onExit = conn.onExit.bind(conn);
      (conn as { onExit: WorkerConn['onExit'] }).onExit = (receiver) =>
        onExit((e) => {
          record.exit = e;
          receiver(e);
        });
      return conn;
    },
  };
}

/** Whether every tracked thread (or each of `records`) reported its exit within 10 s. */
export async function allThreadsExited(records: readonly { exit: WorkerExit | undefined }[] = threads): Promise<boolean> {
  const end = Date.now() + 10_000;
  while (records.some((r) => r.exit === undefined)) {
    if (Date.now() > end) return false;
    await new Promise((r) => setTimeout(r, 10));
  }
  return true;
}
