import { fileURLToPath } from 'node:url';
import type { TransferListItem } from 'node:worker_threads';
import type { Task, TaskFrame } from './Task.js';

/**
 * How one job runs.
 *
 * @example
 * await pool.run(thumb, [img], { name: 'tenant-42', timeoutMs: 10_000, maxHeapBytes: 64 * MiB, idempotent: true });
 */
export interface RunOptions {
  /** A name to kill it by (`pool.kill(name)`); many jobs may share one. */
  readonly name?: string;
  /** One deadline for the queue and the run together (default Infinity; the queue wait is also bounded by the pool's queueTimeoutMs). */
  readonly timeoutMs?: number;
  /** The heap the job may use: committed against the pool's budget, and a hard cap (a worker of that heap class) where the profile can cap. */
  readonly maxHeapBytes?: number;
  /** May it run again after its worker crashed (the crash barrier retries only these). */
  readonly idempotent?: boolean;
  /** Aborting it kills the job (queued: it is dropped; running: cancelled in the worker). */
  readonly signal?: AbortSignal;
  /** Transferred with the arguments (threads only). */
  readonly transfer?: readonly TransferListItem[];
}

let nextJobId = 1;

/** One job's life in a pool. @internal */
export class Job {
  readonly id = nextJobId++;
  settled = false;
  /** `new` until it is queued or started (and while it is being dispatched from the queue). */
  state: 'new' | 'queued' | 'running' | 'settled' = 'new';
  attempts = 0;
  /** The worker slot (or the parent pool's job) it runs on. */
  slot: unknown;
  /** Set when killed while running: what the caller gets once the worker stops it. */
  killedWith: Error | undefined;
  /** The job's own `maxHeapBytes`, if it declared one: its cap wherever it runs (a tenant's job keeps it in the parent). */
  declaredHeap: number | undefined;
  /** The caller's signal and the listener this job added to it (removed when it settles). */
  signal: AbortSignal | undefined;
  onAbort: (() => void) | undefined;
  /** Present when the job can be cancelled in its worker (named, async, or with a signal). */
  abort: AbortController | undefined;
  enqueuedAt = 0;
  /** The pool's list of live jobs (admission order). */
  prevLive: Job | undefined = undefined;
  nextLive: Job | undefined = undefined;
  startedAt = 0;
  readonly promise: Promise<unknown>;
  resolve!: (value: unknown) => void;
  reject!: (error: unknown) => void;

  constructor(
    readonly task: Task,
    readonly args: readonly unknown[],
    readonly name: string | undefined,
    /** performance.now() past which it fails (Infinity: none). */
    readonly deadline: number,
    readonly timeoutMs: number,
    /** Bytes committed against the budget. */
    readonly heapBytes: number,
    /** The heap class it must run on (its own maxHeapBytes), if any. */
    readonly heapClass: number | undefined,
    readonly idempotent: boolean,
    readonly transfer: readonly TransferListItem[] | undefined,
  ) {
    this.promise = new Promise((resolve, reject) => {
      this.resolve = resolve;
      this.reject = reject;
    });
  }

  /** The label errors use: the task's export name or `(source)`. */
  get label(): string {
    return this.task.kind === 'module' ? JSON.stringify(this.task.name) : `(source ${this.task.hash})`;
  }

  /** The `$task` request argument; `nodeWorker` false sends a file path (Python). */
  frame(nodeWorker: boolean): TaskFrame {
    const t = this.task;
    if (t.kind === 'source') return { s: t.source, h: t.hash, a: this.args };
    const u = nodeWorker || !t.url.startsWith('file:') ? t.url : fileURLToPath(t.url);
    return { u, n: t.name, a: this.args };
  }
}
