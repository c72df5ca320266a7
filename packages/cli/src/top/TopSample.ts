import type { Dump, DumpNode } from '@arbor/core';
import { walkDump } from './walkDump.js';

/**
 * One refresh of `arbor top`: a dump, and the messages per second of each actor since the
 * previous dump (the growth of its `handled` count over the time between the two).
 */
export interface TopSample {
  readonly dump: Dump;
  /** 1 for the first sample, then 2, 3, ... */
  readonly index: number;
  /** Milliseconds between the previous dump and this one; null for the first sample. */
  readonly elapsedMs: number | null;
  /** Messages handled per second, by actor id; only actors that were in both dumps. */
  readonly rates: ReadonlyMap<string, number>;
}

/**
 * The sample of `dump`, with rates against `previous` (the sample before it, if any). The
 * time between the two is taken from their `takenAt` (the application's clock), else from
 * `elapsedMs` (the caller's clock) when those are equal or unreadable.
 *
 * @example
 * const first = sampleOf(await fetchDump(e), undefined, 0);
 * const second = sampleOf(await fetchDump(e), first, 1000);
 * second.rates.get(busyId); // e.g. 250 (messages per second)
 */
export function sampleOf(dump: Dump, previous: TopSample | undefined, elapsedMs: number): TopSample {
  if (previous === undefined) return { dump, index: 1, elapsedMs: null, rates: new Map() };
  const byClock = Date.parse(dump.takenAt) - Date.parse(previous.dump.takenAt);
  const dt = Number.isFinite(byClock) && byClock > 0 ? byClock : elapsedMs;
  const before = new Map<string, number>();
  for (const n of nodesOf(previous.dump)) if (n.id !== null) before.set(n.id, n.handled);
  const rates = new Map<string, number>();
  if (dt > 0) {
    for (const n of nodesOf(dump)) {
      const was = n.id === null ? undefined : before.get(n.id);
      if (was !== undefined && n.handled >= was) rates.set(n.id!, ((n.handled - was) * 1000) / dt);
    }
  }
  return { dump, index: previous.index + 1, elapsedMs: dt, rates };
}

function* nodesOf(dump: Dump): Generator<DumpNode, void, void> {
  for (const { node } of walkDump(dump)) yield node;
}
