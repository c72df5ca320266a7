import type { DumpNode } from '@arbor/core';

/**
 * Whether a node's `formatStatus` details look like a pool's: `@arbor/pool`'s managers
 * report their `pool` name, and a checkout pool its `idle`/`checkedOut` counts, a job pool
 * its `workers`/`queued` counts. `arbor top` lists these nodes under "pools".
 *
 * @example
 * isPoolStatus({ ...node, details: { pool: 'db', size: 4, idle: 3, checkedOut: 1, waiting: 0 } }); // true
 */
export function isPoolStatus(node: DumpNode): boolean {
  const d = node.details;
  if (d === undefined || d === null || typeof d !== 'object') return false;
  const num = (k: string): boolean => typeof d[k] === 'number';
  return typeof d['pool'] === 'string' || (num('idle') && num('checkedOut')) || (num('workers') && num('queued'));
}
