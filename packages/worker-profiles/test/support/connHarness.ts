// Drives a WorkerConn by hand in tests: collects frames and exits, matches replies to ids.
import { setTimeout as sleep } from 'node:timers/promises';
import type { TransferListItem } from 'node:worker_threads';
import type { ChildFrame, ErrFrame, ResFrame, WorkerConn, WorkerExit } from '../../src/index.js';

export interface ConnHarness {
  readonly conn: WorkerConn;
  readonly frames: ChildFrame[];
  readonly exits: WorkerExit[];
  /** Sends a request and resolves with its reply frame. */
  request(m: string, a: unknown, transfer?: readonly TransferListItem[]): Promise<ResFrame | ErrFrame>;
  /** Sends a request without waiting; returns its id. */
  send(m: string, a: unknown): number;
  /** Resolves once the exit came (bounded). */
  exited(): Promise<WorkerExit>;
}

export function harness(conn: WorkerConn): ConnHarness {
  let nextId = 1;
  const frames: ChildFrame[] = [];
  const exits: WorkerExit[] = [];
  const waiting = new Map<number, (frame: ResFrame | ErrFrame) => void>();
  conn.onFrame((frame) => {
    frames.push(frame);
    if (frame.t === 'res' || frame.t === 'err') {
      waiting.get(frame.id)?.(frame);
      waiting.delete(frame.id);
    }
  });
  conn.onExit((exit) => exits.push(exit));
  const send = (m: string, a: unknown, transfer?: readonly TransferListItem[]): number => {
    const id = nextId++;
    conn.send({ t: 'req', id, m, a }, transfer);
    return id;
  };
  return {
    conn,
    frames,
    exits,
    send,
    request(m, a, transfer) {
      return new Promise((resolve) => waiting.set(send(m, a, transfer), resolve));
    },
    async exited() {
      if (!(await eventually(() => exits.length > 0))) throw new Error(`worker ${conn.workerId} did not exit`);
      return exits[0]!;
    },
  };
}

/** Polls until `check` holds or `ms` pass; returns whether it held. */
export async function eventually(check: () => boolean, ms = 20_000): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (!check()) {
    if (Date.now() > deadline) return false;
    await sleep(10);
  }
  return true;
}
