import type { WorkerConn, WorkerExit, WorkerProfile } from '@arbor/worker-profiles';
import { isAlive, pollUntil as eventually } from '@arbor/test-support';

/** One worker a tracked profile started: its pid (OS workers), and its exit once reported. */
export interface TrackedConn {
  readonly conn: WorkerConn;
  readonly kind: string;
  readonly pid: number | undefined;
  exit: WorkerExit | undefined;
}

/**
 * `profile`, recording every worker it (or a heap-capped copy from `withHeapLimit`) starts
 * into `into`: the conn's pid and its exit (the worker actor's exit receiver is wrapped), so
 * a test can check at its end that every worker it started is gone.
 */
export function tracked<H>(profile: WorkerProfile<H>, into: TrackedConn[]): WorkerProfile<H> {
  const capped = profile.withHeapLimit;
  return {
    ...profile,
    ...(capped !== undefined ? { withHeapLimit: (bytes: number) => tracked(capped.call(profile, bytes), into) } : {}),
    async start(ctx) {
      const conn = await profile.start(ctx);
      const record: TrackedConn = { conn, kind: conn.kind, pid: conn.pid, exit: undefined };
      into.push(record);
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

export { isAlive };

/** Polls `check` (every 20 ms) until it holds or `ms` pass; answers whether it held. */
export { eventually };

/** SIGKILLs each live pid of `pids` (the after.always of a file whose processes survived); answers them. */
export function killLeft(pids: Iterable<number>): number[] {
  const left = [...new Set(pids)].filter((pid) => pid !== process.pid && isAlive(pid));
  for (const pid of left) {
    try {
      process.kill(pid, 'SIGKILL');
    } catch {
      // gone meanwhile
    }
  }
  return left;
}

/** Whether every record reported its exit within `ms` (default 10 s). */
export async function allExited(records: readonly { exit: WorkerExit | undefined }[], ms = 10_000): Promise<boolean> {
  return eventually(() => records.every((r) => r.exit !== undefined), ms);
}
