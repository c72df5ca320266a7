import { checkKnownKeys, InvalidOptionError } from '@arbor/core';

/**
 * Options of node leases (`NodeLeases.start`, and `ClusterRegistry.start` when it starts them).
 *
 * @example
 * const leases = await NodeLeases.start(cluster, kv, { leaseMs: 1000, leaseTimeoutMs: 5000, onFenced: () => rejoin() });
 */
export interface LeaseOptions {
  /** How often this node renews its lease by compare-and-set (default 2000 ms). */
  readonly leaseMs?: number;
  /**
   * A lease whose revision has not changed for this long, on the observer's own clock, is
   * swept by the others: deleted by compare-and-set with its incarnation's names (default 6000 ms).
   */
  readonly leaseTimeoutMs?: number;
  /**
   * This node fences itself when no renewal sent in the last `fenceAfterMs` succeeded
   * (default `leaseTimeoutMs - leaseMs`): before any other node may sweep it.
   */
  readonly fenceAfterMs?: number;
  /** Called once when this node is fenced (after its name holders were told to exit): rejoin here. */
  readonly onFenced?: (reason: FenceReason) => void;
}

/** Why a node fenced itself: no renewal succeeded in time, or its lease was deleted or taken by another incarnation. */
export type FenceReason = 'unrenewed' | 'deleted' | 'replaced';

/** @internal */
export interface ResolvedLeaseOptions {
  readonly leaseMs: number;
  readonly leaseTimeoutMs: number;
  readonly fenceAfterMs: number;
  readonly onFenced: ((reason: FenceReason) => void) | undefined;
}

const KEYS = ['leaseMs', 'leaseTimeoutMs', 'fenceAfterMs', 'onFenced'] as const;

function ms(path: string, value: unknown, fallback: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < 1 || value > 2 ** 31 - 1) {
    throw new InvalidOptionError(path, 'a whole number of milliseconds from 1 to 2^31-1', value);
  }
  return value;
}

/** Checks lease options; misuse throws `InvalidOptionError` naming the option. @internal */
export function resolveLeaseOptions(options: unknown, where: string): ResolvedLeaseOptions {
  if (options === undefined) options = {};
  if (typeof options !== 'object' || options === null) throw new InvalidOptionError(`${where}: options`, '{ leaseMs?, leaseTimeoutMs?, fenceAfterMs?, onFenced? }', options);
  const o = options as LeaseOptions;
  checkKnownKeys(where, o, KEYS);
  const leaseMs = ms(`${where}: options.leaseMs`, o.leaseMs, 2000);
  const leaseTimeoutMs = ms(`${where}: options.leaseTimeoutMs`, o.leaseTimeoutMs, Math.max(6000, 3 * leaseMs));
  if (leaseTimeoutMs < 2 * leaseMs) {
    throw new InvalidOptionError(`${where}: options.leaseTimeoutMs`, `at least two renewals (>= ${2 * leaseMs} ms with leaseMs ${leaseMs})`, leaseTimeoutMs);
  }
  const fenceAfterMs = ms(`${where}: options.fenceAfterMs`, o.fenceAfterMs, leaseTimeoutMs - leaseMs);
  if (fenceAfterMs >= leaseTimeoutMs) {
    throw new InvalidOptionError(`${where}: options.fenceAfterMs`, `less than leaseTimeoutMs (${leaseTimeoutMs} ms): a node must fence itself before the others may sweep it`, fenceAfterMs);
  }
  if (o.onFenced !== undefined && typeof o.onFenced !== 'function') throw new InvalidOptionError(`${where}: options.onFenced`, 'a function (reason) => void', o.onFenced);
  return { leaseMs, leaseTimeoutMs, fenceAfterMs, onFenced: o.onFenced };
}
