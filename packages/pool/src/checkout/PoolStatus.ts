/**
 * A checkout pool's counters (poolboy's `status/1`, plus workers starting).
 * - `state`: `ready` (an idle worker waits), `overflow` (none idle, but the pool may still
 *   start one), `full` (none idle and none may start now, at `maxOverflow` or backing off after
 *   failed starts: blocking checkouts wait).
 * - `overflow`: workers running beyond `size`.
 *
 * @example
 * const { state, idle, checkedOut, waiting } = await pool.status();
 */
export interface PoolStatus {
  readonly state: 'ready' | 'overflow' | 'full';
  readonly size: number;
  readonly maxOverflow: number;
  readonly idle: number;
  readonly overflow: number;
  readonly checkedOut: number;
  readonly waiting: number;
  readonly starting: number;
}

/** poolboy's `state_name/1` (an idle overflow worker, lingering, makes the pool `ready`; backing off after failed starts, it is `full`). @internal */
export function poolState(idle: number, overflow: number, maxOverflow: number, canStart: boolean): PoolStatus['state'] {
  if (idle > 0) return 'ready';
  return overflow >= maxOverflow || !canStart ? 'full' : 'overflow';
}
