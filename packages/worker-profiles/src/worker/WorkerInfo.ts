import type { WorkerExit } from '../contract/WorkerExit.js';

/**
 * What `WorkerHandle.stats()` answers: the live worker and the actor's counters.
 *
 * @example
 * const { inFlight, served, heapUsedBytes } = await worker.stats();
 */
export interface WorkerStats {
  readonly workerId: string;
  readonly kind: string;
  readonly pid?: number;
  readonly threadId?: number;
  /** `starting` (between a kill and its replacement), `running`, `recycling`, `stopping`, `stopped`. */
  readonly state: string;
  readonly capacity: number;
  readonly inFlight: number;
  readonly queued: number;
  /** Requests answered over the actor's life (all its workers). */
  readonly served: number;
  /** Requests answered by the current worker. */
  readonly servedByWorker: number;
  /** The worker's V8 heap in bytes, as it last reported it. */
  readonly heapUsedBytes?: number;
  readonly rssBytes?: number;
  /** `Date.now()` when the current worker became ready. */
  readonly startedAt: number;
  /** Workers started by this actor (1 + replacements). */
  readonly starts: number;
  readonly recycles: number;
  /** How the previous worker ended, if one was replaced. */
  readonly lastExit?: WorkerExit;
}

/**
 * What `WorkerHandle.metadata()` answers: who the worker is and what it serves.
 *
 * @example
 * const { methods, pid } = await worker.metadata();
 */
export interface WorkerMetadata {
  readonly workerId: string;
  readonly kind: string;
  readonly pid?: number;
  readonly threadId?: number;
  readonly capacity: number;
  readonly methods?: readonly string[];
  readonly meta: Readonly<Record<string, unknown>>;
  readonly startedAt: number;
}

/**
 * A health check's outcome (an expected outcome, not a throw).
 *
 * @example
 * const h = await worker.healthCheck(500); if (!h.ok) console.warn(h.reason);
 */
export type HealthResult = { readonly ok: true; readonly rttMs: number } | { readonly ok: false; readonly reason: 'timeout' | 'not_running' };
