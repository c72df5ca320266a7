import type { Logger } from 'winston';
import type { CallDeadlines } from './CallDeadlines.js';
import type { Cell } from './Cell.js';
import type { Scheduler } from './Scheduler.js';

/**
 * What a cell needs from the system it runs in, and all it may reach of it: the run queue,
 * the call deadlines, the logger, and three callbacks for an exit. The kernel never sees the
 * `ActorSystem`; `facade` is the public object this host serves, handed back to the
 * behaviour layer (`this.system`) without being read here. @internal
 *
 * @example
 * const host: Host = { name: 'arbor', logger, scheduler: new Scheduler(), deadlines: new CallDeadlines(),
 *   facade: system, forget: (cell) => live.remove(cell), reportCrash, reportTerminateError };
 */
export interface Host {
  /** The system's name, for logs and errors. */
  readonly name: string;
  readonly logger: Logger;
  readonly scheduler: Scheduler;
  readonly deadlines: CallDeadlines;
  /** The public object this host serves (the `ActorSystem`); opaque to the kernel. */
  readonly facade: object;
  /** A cell exited: drop it from the live list and release its local name. */
  forget(cell: Cell): void;
  /** A cell crashed (or exited abnormally): log the crash report. */
  reportCrash(cell: Cell, reason: unknown): void;
  /** A cell's `onTerminate` threw. */
  reportTerminateError(cell: Cell, error: unknown): void;
}
