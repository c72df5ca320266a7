import type { DumpNode } from '@arbor/core';

/** Status keys that hold an actor's memory in bytes, most telling first. */
const MEMORY_KEYS = ['rssBytes', 'rss', 'memoryBytes', 'memory', 'heapUsedBytes', 'heapUsed', 'heapBytes', 'heap'] as const;

/**
 * The memory an actor's `formatStatus` reports, in bytes (`rssBytes`, else `memoryBytes`,
 * else `heapUsedBytes`, ...; a worker actor may report its process's), or null when it
 * reports none. Other byte counts (a job pool's `committedBytes`) are not memory.
 *
 * @example
 * memoryOf({ ...node, details: { pid: 4242, rssBytes: 52_428_800 } }); // { key: 'rssBytes', bytes: 52428800 }
 */
export function memoryOf(node: DumpNode): { readonly key: string; readonly bytes: number } | null {
  const d = node.details;
  if (d === undefined || d === null || typeof d !== 'object') return null;
  for (const key of MEMORY_KEYS) {
    const v = d[key];
    if (typeof v === 'number' && Number.isFinite(v) && v >= 0) return { key, bytes: v };
  }
  return null;
}
