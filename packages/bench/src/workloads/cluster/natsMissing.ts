/**
 * What a cluster workload reports when `nats-server` is not on PATH: no figure (`arbor`,
 * `limit` and every peer null), no ratio, every target unmet, and a one-line note, so the
 * run goes on.
 */
import { hasNatsServer } from '@arbor/test-support';
import type { Better, TargetSpec, WorkloadRecord } from '../../record.js';

/** The note of a record without nats-server. */
export const NATS_MISSING = 'nats-server is not on PATH (apt-get install -y nats-server): no cluster figure';

/** Null when nats-server is on PATH, else the note. */
export function natsMissing(): string | null {
  return hasNatsServer() ? null : NATS_MISSING;
}

/**
 * The record of a cluster workload that could not run.
 *
 * @example
 * const missing = natsMissing();
 * if (missing !== null) return natsMissingRecord({ unit: 'us', better: 'lower', targets }, missing);
 */
export function natsMissingRecord(spec: { unit: string; better: Better; targets: readonly TargetSpec[] }, note: string): WorkloadRecord {
  return {
    arbor: null,
    limit: null,
    peers: {},
    unit: spec.unit,
    better: spec.better,
    ratios: {},
    targets: spec.targets.map((t) => ({ ...t, actual: null, met: false })),
    nats_missing: note,
  };
}
