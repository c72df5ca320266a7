import type { ActorRef } from '@arbor/core';
import type { SetTable } from '@arbor/ets';
import type { WorkerHandle } from '@arbor/worker-profiles';
import type { Taint } from './CrashBarrier.js';
import type { JobPoolCore } from './JobPoolCore.js';

/** One worker of a job pool, as the router sees it. @internal */
export interface JobSlot {
  readonly ref: ActorRef;
  readonly handle: WorkerHandle<any>;
  /** Stable across the worker's replacements (taints are kept per slot id). */
  readonly slotId: number;
  /** The heap class (its hard cap in bytes), or undefined for the default workers. */
  readonly heapClass: number | undefined;
  readonly capacity: number;
  load: number;
  lastUsed: number;
  idleSince: number;
}

/**
 * What the core needs from the actor that owns it: starting and stopping workers, and the
 * pools it delegates to. @internal
 */
export interface JobPoolHost {
  startWorker(heapClass: number | undefined): void;
  stopWorker(slot: JobSlot): void;
  parent(name: string): JobPoolCore | undefined;
  /** The pools tree's taint table (undefined: taints are kept in memory). */
  taintTable?(): SetTable<string, Taint> | undefined;
}

/**
 * A job pool's counters and timings, as `status()` answers them and the dump shows them.
 *
 * @example
 * const { running, queued, committedBytes, runP99Ms } = pool.status();
 */
export interface JobPoolStatus {
  readonly workers: number;
  readonly starting: number;
  readonly running: number;
  readonly queued: number;
  readonly committedBytes: number;
  readonly maxMemoryBytes: number;
  readonly completed: number;
  readonly failed: number;
  readonly killed: number;
  readonly rejected: Readonly<Record<string, number>>;
  /** Sum of running jobs over the sum of worker capacity (0 to 1). */
  readonly utilisation: number;
  readonly runP50Ms: number | null;
  readonly runP99Ms: number | null;
  readonly waitP50Ms: number | null;
  readonly waitP99Ms: number | null;
  /** Slots tainted by the crash barrier now. */
  readonly taints: number;
  /** Jobs run again after their worker died (crash barrier). */
  readonly retries: number;
}
