import type { ActorRef, ActorSystem } from '@arbor/core';
import type { TransferListItem } from 'node:worker_threads';
import type { ChildFrame, ParentFrame } from './frames.js';
import type { apiType } from './Handlers.js';
import type { KillCause, WorkerExit } from './WorkerExit.js';

/**
 * What a profile's `start` gets: who asks, under what id, and within what time.
 *
 * @example
 * const conn = await profile.start({ workerId: 'py-1', system, actor: self, readyTimeoutMs: 10_000 });
 */
export interface StartContext {
  /** Unique per start (`<name>-<n>`); process profiles register it in the process registry. */
  readonly workerId: string;
  readonly system: ActorSystem;
  /** The WorkerActor that will own the worker. */
  readonly actor: ActorRef;
  /** `start` rejects (and leaves nothing running) if READY has not come within this time. */
  readonly readyTimeoutMs: number;
  /** The owning actor's logger (the worker actor passes its own); a profile reports what the caller must know through it. */
  readonly logger?: StartLogger;
}

/**
 * The part of a logger a profile uses in `start` (Arbor's winston logger fits).
 *
 * @example
 * const logger: StartLogger = { warn: (message, meta) => console.warn(message, meta) };
 */
export interface StartLogger {
  warn(message: string, meta?: Record<string, unknown>): void;
}

/**
 * A live connection to one started worker: the only thing the worker actor needs from a
 * profile. A profile creates it in `start` and resolves it once the worker's READY frame came.
 *
 * Rules every implementation keeps (the settle guarantee rests on them):
 * - `onExit`'s callback is called **exactly once**, however the worker ends (thread `error`
 *   and `exit`, child `exit`/`close`, IPC `disconnect`, stdout EOF, `stop`, `kill`), after
 *   which no frame is delivered; if the worker has already ended when `onExit` is
 *   registered, the callback runs on the next microtask.
 * - `send` never throws and never blocks: frames go into a per-worker outbox flushed once
 *   per microtask (see `Outbox`); after the exit they are dropped.
 * - `stop` and `kill` are idempotent, and once the exit is reported the OS side is gone
 *   (thread terminated; process and its process group reaped or SIGKILLed).
 */
export interface WorkerConn {
  readonly workerId: string;
  /** The profile kind, as in {@link WorkerExit.kind}. */
  readonly kind: string;
  readonly pid?: number;
  readonly threadId?: number;
  /** The handler names from READY, when the worker reported them. */
  readonly methods?: readonly string[];
  /** What the profile and the READY frame tell about the worker (shown by `metadata()`). */
  readonly meta: Readonly<Record<string, unknown>>;
  /** Queues a frame (with an optional transfer list, threads only) for the next flush. */
  send(frame: ParentFrame, transfer?: readonly TransferListItem[]): void;
  /** Sets the one receiver of the worker's frames (called once, before any frame is read). */
  onFrame(receiver: (frame: ChildFrame) => void): void;
  /** Sets the one receiver of the exit (see the rules above). */
  onExit(receiver: (exit: WorkerExit) => void): void;
  /**
   * Asks the worker to end (closes its port / IPC / stdin, so the runtime exits at EOF),
   * waits up to `graceMs`, then terminates it (SIGTERM, then SIGKILL to its group, for
   * processes). Resolves with the exit; `normal` when it left in time.
   */
  stop(graceMs: number): Promise<WorkerExit>;
  /** Ends the worker now (terminate / SIGKILL to the group); the exit records `by: 'arbor'` and `cause`. */
  kill(cause: KillCause): void;
}

/**
 * How workers of one kind are made: a plain object a library can write. The worker actor
 * does the rest (requests, in-flight tables, timeouts, cancels, health, recycling, memory)
 * the same way for every profile, through {@link WorkerConn}.
 *
 * Seed 004's callbacks map to it so: `start_worker` = `start`, `get_capacity` = `capacity`,
 * and `execute_request`, `get_load`, `health_check`, `get_metadata`, `stop_worker` are the
 * worker actor's (`WorkerHandle.request`, `.load`, `.healthCheck()`, `.metadata()`, `.stop()`).
 *
 * `H` is the worker's API (see `WorkerApi`): requests the worker does not serve fail to compile.
 *
 * @example
 * const profile = threadProfile<typeof import('./worker.js').handlers>({ module: new URL('./worker.js', import.meta.url), capacity: 4 });
 */
export interface WorkerProfile<H = unknown> {
  /** `thread`, `node-process`, `stdio`, or a library's own name. */
  readonly kind: string;
  /** How many requests one worker runs at once. */
  readonly capacity: number;
  /** Whether the worker is an OS process (recycling by RSS applies; pids are reported). */
  readonly isProcess: boolean;
  /** Starts one worker; resolves once it is READY, rejects with `WorkerStartError` (leaving nothing running). */
  start(ctx: StartContext): Promise<WorkerConn>;
  /**
   * Optional capability: a copy of this profile whose workers are hard-capped at
   * `maxHeapBytes` of V8 old generation (rounded up to whole MiB); a worker past it exits
   * `oom`. `threadProfile` (`resourceLimits.maxOldGenerationSizeMb`) and
   * `nodeProcessProfile` (`--max-old-space-size`) have it; `stdioProfile` and
   * `pythonProfile` do not (use their `addressSpaceLimitBytes`, or RSS recycling). A pool
   * that enforces per-job caps checks `profile.withHeapLimit !== undefined` first.
   *
   * @example
   * const capped = profile.withHeapLimit?.(64 * 1024 * 1024);
   * if (capped === undefined) throw new Error(`${profile.kind} workers cannot be heap-capped`);
   */
  withHeapLimit?(maxHeapBytes: number): WorkerProfile<H>;
  /** Type only: the worker's API. */
  readonly [apiType]?: H;
}
